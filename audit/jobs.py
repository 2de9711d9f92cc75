"""The audit log's scheduled job; beat runs it nightly (settings CELERY_BEAT_SCHEDULE),
``manage.py run_job audit_retention`` by hand. Safe to run twice, even at once."""

from helpdesk.jobs import register_job

from .retention import audit_purge


@register_job("audit_retention")
def audit_retention(*, shop, now) -> dict:
    """The kept period is one setting for all shops (the ``--shop`` option is ignored)."""
    return audit_purge(now=now)
