"""What conversations' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "conversation.discount_requested": _("申请优惠"),
    "conversation.discount_decided": _("优惠申请已审批"),
    "conversation.erased": _("抹零"),
    "chat_presence.changed": _("切换在线状态"),
    "conversation.claimed": _("接入会话"),
    "conversation.transferred": _("转接会话"),
    "conversation.assigned": _("自动分配会话"),
    "conversation.assigned_by_supervisor": _("主管分配会话"),
    "conversation.unanswered_alert": _("会话超时未回复告警"),
    "conversation.closed": _("结束会话"),
    "conversation.rated": _("买家评价服务"),
    "conversation.idle_closed": _("会话无消息自动结束"),
    "conversation.auto_greeted": _("自动问候买家"),
    "stock_wish.notified": _("发送到货通知"),
    "conversation.handed_to_supervisor": _("无人接待，转交主管"),
    "conversation.message_sent": _("向买家发送消息"),
    "conversation.reopened": _("重新打开会话"),
}
OBJECTS = {
    "chats.conversation": (_("会话"), "chats:conversation"),
    "chats.agentpresence": (_("在线状态"), None),
    "chats.outboxmessage": (_("待发消息"), None),
}
FIELDS = {
    "discount": _("优惠金额"),
    "erase": _("抹零金额"),
    "outcome": _("结果"),
    "waited": _("等待时长"),
    "agent_load": _("分配时的接待量"),
    "sku": _("商品"),
}
