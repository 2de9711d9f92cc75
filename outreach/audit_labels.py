"""What outreach's audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

from outreach.schedules import JOB_LABELS

VERBS = {
    "outbox.retried": _("重新发送消息"),
    "job.schedule_changed": _("修改定时任务"),
    "job.run_requested": _("手动运行定时任务"),
    "reminder.sent": _("发送催付"),
    "followup.sent": _("发送回访"),
    "shipping_notice.sent": _("发送发货通知"),
}
OBJECTS = {"django_celery_beat.periodictask": (_("定时任务"), None)}
FIELDS = {"outbox": _("待发消息"), "job": _("定时任务"), "steps": _("回访步骤")}
VALUES = {
    "steps": {
        "followup": _("发货回访"),
        "receipt_followup": _("签收回访"),
        "review_thanks": _("好评感谢"),
        "delay_problem": _("登记物流延误"),
        "negative_review": _("中差评，不发消息"),
        "already_sent": _("已发过"),
        "no_script": _("无可用话术"),
        "quiet_hours": _("免打扰时段"),
        "no_buyer": _("无买家"),
        "malicious": _("恶意买家"),
        "opted_out": _("买家已退订"),
        "busy": _("处理中"),
    },
    "job": JOB_LABELS,
}
