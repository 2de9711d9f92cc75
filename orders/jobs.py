"""Scheduled jobs of the orders app."""

from datetime import timedelta

from accounts.models import Shop
from helpdesk.jobs import register_job

from .models import ImportRun, ImportStatus
from .services import problem_digest_build
from .services.digest import problem_digest_send


@register_job("problem_digest")
def problem_digest(*, shop, now) -> dict:
    """Build each shop's problem digest once per ``Shop.digest_interval_hours`` slot and
    send it (notifications to in-sale agents and managers with the XLSX, and an e-mail
    where the shop set an address). Safe to run as often as beat likes: a slot already
    built and sent is skipped."""
    shops = [shop] if shop is not None else list(Shop.objects.filter(is_active=True))
    built, already, notified, emailed = 0, 0, 0, 0
    for each in shops:
        digest, created = problem_digest_build(shop=each, now=now)
        if created:
            built += 1
        else:
            already += 1
        sent = problem_digest_send(digest=digest, now=now)
        notified += sent["notified"]
        emailed += sent["emailed"]
    return {
        "sent": notified + emailed,
        "skipped": {"already_built": already} if already else {},
        "digests": built,
        "notified": notified,
        "emailed": emailed,
    }


# An upload whose task has not started within this time lost its task (the broker was
# down when the upload committed): long enough not to double the queue of a busy worker.
IMPORT_QUEUE_GRACE = timedelta(minutes=5)
IMPORT_RESUME_BATCH = 100


@register_job("import_runs_resume")
def import_runs_resume(*, shop, now) -> dict:
    """Queue the import task again for uploads still waiting after IMPORT_QUEUE_GRACE.
    A run is imported once however often its task is delivered (importing/runs.py)."""
    from .tasks import import_run_task

    runs = ImportRun.objects.filter(
        status=ImportStatus.QUEUED, created_at__lte=now - IMPORT_QUEUE_GRACE
    )
    if shop is not None:
        runs = runs.filter(shop=shop)
    ids = list(runs.order_by("created_at").values_list("pk", flat=True)[:IMPORT_RESUME_BATCH])
    for run_id in ids:
        import_run_task.delay(run_id)
    return {"sent": 0, "skipped": {}, "requeued": len(ids)}
