"""Beat schedules of the outreach jobs, kept by django-celery-beat's DatabaseScheduler so a
manager can change intervals or pause a job from the jobs page without a deploy.

The schedules are installation-wide: a job run visits every active shop. ``ensure_schedules``
creates the missing ones after every ``migrate`` and never overwrites a manager's edits.
"""

import json

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from accounts.permissions import require

DEFAULT_MINUTES = {
    "payment_reminders": 5,
    "shipping_notices": 10,
    "delivery_followups": 30,
    "outbox_retry": 1,
    "problem_digest": 60,
}
TASK = "outreach.run_scheduled_job"
JOB_LABELS = {
    "payment_reminders": _("催付"),
    "shipping_notices": _("发货通知"),
    "delivery_followups": _("物流回访与好评感谢"),
    "outbox_retry": _("待重发消息"),
    "problem_digest": _("问题订单汇总"),
}


def schedule_name(job_name: str) -> str:
    return f"outreach:{job_name}"


def interval_of(minutes: int) -> IntervalSchedule:
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=minutes, period=IntervalSchedule.MINUTES
    )
    return interval


@transaction.atomic
def ensure_schedules() -> list[PeriodicTask]:
    """One PeriodicTask per job, created with the default interval when missing."""
    tasks = []
    for job_name, minutes in DEFAULT_MINUTES.items():
        task = PeriodicTask.objects.filter(name=schedule_name(job_name)).first()
        if task is None:
            task = PeriodicTask.objects.create(
                name=schedule_name(job_name),
                task=TASK,
                interval=interval_of(minutes),
                args=json.dumps([job_name]),
            )
        tasks.append(task)
    return tasks


def job_schedules() -> list[tuple[str, PeriodicTask]]:
    """(job name, PeriodicTask with its interval) in DEFAULT_MINUTES order."""
    names = {schedule_name(job): job for job in DEFAULT_MINUTES}
    tasks = PeriodicTask.objects.filter(name__in=names).select_related("interval")
    by_name = {task.name: task for task in tasks}
    return [(job, by_name[name]) for name, job in names.items() if name in by_name]


def access_job_schedule(user, job_name: str) -> PeriodicTask:
    """A job's schedule, for a manager; an unknown job (or its missing row) is a 404."""
    require(user, "jobs.manage")
    if job_name not in DEFAULT_MINUTES:
        raise Http404
    task = PeriodicTask.objects.filter(name=schedule_name(job_name)).first()
    if task is None:
        raise Http404
    return task
