from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "售后工单"

    def ready(self):
        from django.urls import reverse

        from . import services  # noqa: F401  (registers the approvals decision handler)
        from .inbox import register_subject_link

        register_subject_link(
            "tickets.ticket", lambda pk: reverse("tickets:detail", args=[int(pk)])
        )
        register_subject_link(
            "chats.conversation", lambda pk: reverse("chats:conversation", args=[int(pk)])
        )
