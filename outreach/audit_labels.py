"""What outreach's audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "outbox.retried": _("重新发送消息"),
    "job.schedule_changed": _("修改定时任务"),
    "job.run_requested": _("手动运行定时任务"),
    "reminder.sent": _("发送催付"),
    "followup.sent": _("发送回访"),
}
OBJECTS = {"django_celery_beat.periodictask": (_("定时任务"), None)}
FIELDS = {"outbox": _("待发消息"), "job": _("定时任务")}
