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
