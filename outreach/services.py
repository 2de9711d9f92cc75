"""Changes people make to scheduled messaging: retry a failed message, edit a job's
schedule, run a job now. Each checks permission, changes state and writes an audit event."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_celery_beat.models import PeriodicTask

from accounts.models import Shop, User
from accounts.permissions import require, shop_ids_for
from audit.services import audit
from chats.models import OutboxMessage, OutboxStatus
from helpdesk.errors import ConflictError

from .errors import OutreachError
from .schedules import DEFAULT_MINUTES, interval_of

MAX_INTERVAL_MINUTES = 24 * 60


@transaction.atomic
def outbox_message_retry(*, actor: User, message: OutboxMessage, now: datetime) -> OutboxMessage:
    """Put a failed (or backing-off) message back in line and deliver it now. The row
    keeps its attempts count, so the history stays visible."""
    from .tasks import redeliver_outbox_message

    require(actor, "outreach.view", message)
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status == OutboxStatus.SENT:
        raise ConflictError(_("这条消息已经发出，无需重试。"))
    before = message.status
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = now
    message.save(update_fields=["status", "next_attempt_at"])
    audit(actor, "outbox.retried", message, changes={"status": [before, message.status]}, now=now)
    redeliver_outbox_message.delay_on_commit(message.pk)
    return message


def _require_jobs_manager(actor: User) -> list[int]:
    shop_ids = shop_ids_for(actor, "jobs.manage")
    if not shop_ids:
        raise PermissionDenied(_("没有权限管理定时任务。"))
    return shop_ids


@transaction.atomic
def schedule_update(
    *, actor: User, task: PeriodicTask, every_minutes: int, enabled: bool, now: datetime
) -> PeriodicTask:
    """Change how often a job runs, or pause it. Schedules are installation-wide, so any
    manager may change them; every change is audited."""
    _require_jobs_manager(actor)
    if not 1 <= every_minutes <= MAX_INTERVAL_MINUTES:
        raise OutreachError(_("运行间隔须在 1 到 1440 分钟之间。"))
    task = (
        PeriodicTask.objects.select_for_update(of=("self",))
        .select_related("interval")
        .get(pk=task.pk)
    )
    before = {
        "every_minutes": task.interval.every if task.interval else None,
        "enabled": task.enabled,
    }
    task.interval = interval_of(every_minutes)
    task.enabled = enabled
    task.save()
    changes = {
        field: [old, new]
        for field, old, new in (
            ("every_minutes", before["every_minutes"], every_minutes),
            ("enabled", before["enabled"], enabled),
        )
        if old != new
    }
    audit(actor, "job.schedule_changed", task, changes=changes, now=now)
    return task


@transaction.atomic
def job_run_now(*, actor: User, job_name: str, now: datetime) -> list[Shop]:
    """Queue the job for every shop where ``actor`` manages jobs (not others' shops)."""
    from .tasks import run_job_for_shop

    shop_ids = _require_jobs_manager(actor)
    if job_name not in DEFAULT_MINUTES:
        raise OutreachError(_("没有这个定时任务。"))
    shops = list(Shop.objects.filter(pk__in=shop_ids, is_active=True))
    for shop in shops:
        audit(actor, "job.run_requested", shop, changes={"job": [None, job_name]}, now=now)
        run_job_for_shop.delay_on_commit(job_name, shop.pk)
    return shops
