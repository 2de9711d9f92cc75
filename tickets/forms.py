from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from orders.models import Order

from .models import ReturnReason
from .states import Action, TicketState, TicketType

SLA_CHOICES = [
    ("", _("全部时限")),
    ("overdue", _("已超时")),
    ("due_soon", _("4小时内到期")),
    ("none", _("无时限")),
]
STATE_CHOICES = [
    ("open", _("未结束")),
    ("", _("全部状态")),
    ("done", _("已结束")),
    *list(TicketState.choices),
]


class QueueFilterForm(forms.Form):
    shop = forms.TypedChoiceField(label=_("店铺"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *TicketType.choices]
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATE_CHOICES)
    sla = forms.ChoiceField(label=_("时限"), required=False, choices=SLA_CHOICES)
    assignee = forms.ChoiceField(label=_("处理人"), required=False)

    def __init__(self, *args, shops, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [("", _("全部店铺"))] + [(s.pk, s.name) for s in shops]
        self.fields["assignee"].choices = [
            ("", _("全部")),
            ("me", _("我的")),
            ("nobody", _("未分配")),
        ] + [(str(u.pk), u.label) for u in agents]


class RegisterFilterForm(forms.Form):
    shop = forms.TypedChoiceField(label=_("店铺"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATE_CHOICES[1:])

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [("", _("全部店铺"))] + [(s.pk, s.name) for s in shops]


class TicketForm(forms.Form):
    """A new ticket. The order is named by its platform id (订单编号); the buyer comes from
    the order, or by nick for tickets without an order (invoice, platform dispute)."""

    shop = forms.TypedChoiceField(label=_("店铺"), coerce=int)
    type = forms.ChoiceField(label=_("类型"), choices=TicketType.choices)
    order_id = forms.CharField(label=_("订单编号"), max_length=19, required=False)
    buyer_nick = forms.CharField(label=_("买家昵称"), max_length=64, required=False)
    reason = forms.ChoiceField(label=_("原因"), choices=ReturnReason.choices)
    description = forms.CharField(
        label=_("问题描述"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    worn_or_washed = forms.BooleanField(label=_("商品已穿着/洗涤"), required=False)
    signed_intact = forms.NullBooleanField(
        label=_("签收时外包装完好"),
        required=False,
        help_text=_("破损/少件工单：买家签收时外包装是否完好（赔付前必须记录，并经主管审批）。"),
    )

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.shops = {s.pk: s for s in shops}
        self.fields["shop"].choices = [(s.pk, s.name) for s in shops]

    def clean(self):
        data = super().clean()
        shop = self.shops.get(data.get("shop"))
        if shop is None:
            return data
        data["shop_obj"] = shop
        order_id = data.get("order_id", "").strip().strip('="')
        nick = data.get("buyer_nick", "").strip()
        data["order"] = None
        if order_id:
            order = (
                Order.objects.filter(shop=shop, order_id=order_id).select_related("buyer").first()
            )
            if order is None:
                self.add_error("order_id", _("该店铺没有这个订单。"))
                return data
            data["order"] = order
            nick = nick or (order.buyer.nick if order.buyer_id else order.buyer_nick)
        if not nick:
            self.add_error("buyer_nick", _("请填写买家昵称或订单编号。"))
            return data
        data["buyer_nick"] = nick
        return data


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices)
    amount = forms.DecimalField(
        label=_("金额(元)"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    reason = forms.CharField(label=_("说明/理由"), max_length=300, required=False)
    tracking_number = forms.CharField(label=_("物流单号"), max_length=40, required=False)
    courier = forms.CharField(label=_("物流公司"), max_length=40, required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    internal = forms.BooleanField(label=_("仅内部备注"), required=False)


class CostsForm(forms.Form):
    reshipping_postage = forms.DecimalField(
        label=_("补发邮费"), max_digits=12, decimal_places=2, min_value=0
    )
    return_postage = forms.DecimalField(
        label=_("退货邮费"), max_digits=12, decimal_places=2, min_value=0
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片"))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("拒绝"))])
    reason = forms.CharField(label=_("意见"), max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("拒绝时请写明理由。"))
        return data


def assignable(shop_ids) -> "forms.QuerySet":
    return (
        User.objects.filter(
            is_active=True,
            memberships__shop_id__in=shop_ids,
            memberships__role__in=["after_sale", "supervisor", "manager"],
        )
        .distinct()
        .order_by("work_number")
    )
