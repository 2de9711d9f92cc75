from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_schedules(**kwargs):
    from .schedules import ensure_schedules

    ensure_schedules()


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "催付与回访"

    def ready(self):
        post_migrate.connect(_ensure_schedules, sender=self)
        from scripts_lib.buyer_texts import register_shipped_texts

        from .texts import dispatch_buyer_texts

        register_shipped_texts(dispatch_buyer_texts)
