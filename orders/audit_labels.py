"""What orders' and problems' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

from .models import CourierRequestKind
from .problem_scripts import SCRIPTS
from .problem_states import TRANSITIONS
from .services import DuplicateDecision, StockChoice

VERBS = {
    "order.courier_request_settled": _("登记快递处理结果"),
    "order.courier_request": _("向快递申请改签/撤件"),
    "order.address_changed": _("修改收货地址"),
    "order.memo_written": _("写卖家备注"),
    "problem.opened": _("登记问题订单"),
    "problem.claimed": _("认领问题订单"),
    "problem.assigned": _("分配问题订单"),
    "problem.noted": _("记录处理情况"),
    "problem.stock_offer": _("缺货：提供方案"),
    "problem.stock_choice": _("缺货：买家选择"),
    "problem.cod_confirmed": _("货到付款已确认"),
    "problem.duplicate_settled": _("重复订单已处理"),
    "sku.stock_set": _("修改库存"),
    "buyer.updated": _("更新买家档案"),
    "buyer.stock_wish_added": _("登记到货通知"),
    "import.queued": _("提交订单导入"),
    "import.done": _("订单导入完成"),
    "buyer.message_sent": _("给买家发消息"),
    "problem.script_sent": _("向买家发送话术"),
    "problem_digest.sent": _("发送问题订单汇总"),
}
FAMILIES = {"problem.": {action: t.label for action, t in TRANSITIONS.items()}}
OBJECTS = {
    "orders.order": (_("订单"), "orders:detail"),
    "orders.problem": (_("问题订单"), "orders:problem"),
    "orders.buyer": (_("买家档案"), "orders:buyer"),
    "orders.importrun": (_("订单导入"), "orders:import_run"),
    "orders.courierrequest": (_("快递申请"), None),
    "orders.sku": (_("商品库存"), None),
    "orders.stockwish": (_("到货通知"), None),
}
FIELDS = {
    "memo": _("卖家备注"),
    "note": _("备注"),
    "decision": _("决定"),
    "consent": _("买家同意"),
    "choice": _("买家选择"),
    "similar": _("相似商品"),
    "stock": _("库存"),
    "courier_request": _("快递申请"),
    "new_address": _("新地址"),
    "script": _("话术"),
    "file_name": _("文件名"),
    "report": _("导入结果"),
}
VALUES = {
    "courier_request": dict(CourierRequestKind.choices),
    "choice": dict(StockChoice.choices),
    "decision": dict(DuplicateDecision.choices),
    "script": {s.key: s.title for scripts in SCRIPTS.values() for s in scripts},
}
