"""What approvals' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "approval.requested": _("提交审批"),
    "approval.decided": _("审批决定"),
    "notifications.read": _("通知全部标为已读"),
}
OBJECTS = {"approvals.approvalrequest": (_("审批"), None)}
FIELDS = {"amount": _("金额"), "unread": _("未读通知数")}
