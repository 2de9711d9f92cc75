from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "售后工单"

    def ready(self):
        from django.urls import reverse

        from approvals.links import register_subject_link

        from . import services  # noqa: F401  (registers the approvals decision handler)

        register_subject_link(
            "tickets.ticket", lambda pk: reverse("tickets:detail", args=[int(pk)])
        )
