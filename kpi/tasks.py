"""Celery entry points for the KPI jobs; beat fires them (settings CELERY_BEAT_SCHEDULE).
Both jobs are upserts / constraint-guarded, so a double firing or a retry is harmless."""

from celery import shared_task

from helpdesk import clock
from helpdesk.task_policy import IDEMPOTENT_SWEEP


@shared_task(**IDEMPOTENT_SWEEP)
def kpi_rollup() -> dict:
    """Nightly: yesterday's rollups (and the days still inside the conversion window)."""
    from helpdesk.jobs import run_job

    return run_job("kpi_rollup", shop=None, now=clock.now())


@shared_task(**IDEMPOTENT_SWEEP)
def qa_sample() -> dict:
    """Mondays: queue last week's quality-review sample."""
    from helpdesk.jobs import run_job

    return run_job("qa_sample", shop=None, now=clock.now())
