"""What tickets' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

from .complaint import STEPS
from .models import TicketEvent
from .states import Action

VERBS = {
    "ticket.created": _("创建售后工单"),
    "ticket.held_for_approval": _("金额超出权限，提交主管审批"),
    "ticket.approval_applied": _("执行主管批准的处理"),
    "ticket.assigned": _("分配工单"),
    "ticket.step_ticked": _("勾选处理步骤"),
    "ticket.escalated": _("升级给主管"),
    "ticket.escalation_handled": _("处理升级"),
    "ticket.costs_changed": _("修改售后成本"),
    "ticket.refund_imported": _("导入退款记录"),
    "tickets.refunds_imported": _("导入退款表"),
    "ticket.photo_added": _("上传照片"),
    "ticket.sla_breached": _("工单超时"),
    "ticket.sla_breach_handled": _("处理超时工单"),
}
FAMILIES = {"ticket.": {**dict(Action.choices), **dict(TicketEvent.Kind.choices)}}
OBJECTS = {"tickets.ticket": (_("售后工单"), "tickets:detail")}
FIELDS = {
    **{step.code: step.label for step in STEPS},
    "photo": _("照片"),
    "escalation_reason": _("升级原因"),
}
