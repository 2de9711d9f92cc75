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
        from scripts_lib.buyer_texts import register_shipped_texts

        from .complaint import complaint_buyer_texts

        register_shipped_texts(complaint_buyer_texts)
