from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from orders.models import Order, Sku

from .models import MAX_MESSAGE_LENGTH, ConversationState, Outcome, PresenceStatus, Queue


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("回复"), max_length=MAX_MESSAGE_LENGTH, widget=forms.Textarea)
    confirm = forms.BooleanField(required=False)
    # The newest message on the agent's screen when they began this reply.
    seen = forms.IntegerField(required=False, min_value=0)


class PresenceForm(forms.Form):
    status = forms.ChoiceField(choices=PresenceStatus.choices)


class OrderChoiceMixin:
    def limit_orders(self, conversation):
        self.fields["order"].queryset = Order.objects.filter(
            shop_id=conversation.shop_id, buyer_id=conversation.buyer_id
        ).order_by("-ordered_at")


class CloseForm(OrderChoiceMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=Outcome.choices)
    order = forms.ModelChoiceField(label=_("订单"), queryset=Order.objects.none(), required=False)

    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_orders(conversation)


class ConcessionForm(OrderChoiceMixin, forms.Form):
    order = forms.ModelChoiceField(label=_("订单"), queryset=Order.objects.none())
    amount = forms.DecimalField(
        label=_("金额(元)"), max_digits=12, decimal_places=2, min_value=0.01
    )
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)

    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_orders(conversation)


class TransferForm(forms.Form):
    to_agent = forms.ModelChoiceField(
        label=_("转给客服"), queryset=User.objects.none(), required=False
    )
    to_queue = forms.ChoiceField(
        label=_("或转入队列"), choices=[("", "—"), *Queue.choices], required=False
    )
    reason = forms.CharField(label=_("原因"), max_length=300)
    wants = forms.CharField(label=_("买家诉求"), max_length=300)
    todo = forms.CharField(label=_("需要做什么"), max_length=300)

    def __init__(self, *args, conversation, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agent"].queryset = (
            User.objects.filter(memberships__shop_id=conversation.shop_id, is_active=True)
            .exclude(pk=actor.pk)
            .order_by("work_number")
        )
        self.fields["to_agent"].label_from_instance = lambda user: user.label


class AssignForm(forms.Form):
    """A supervisor's "assign to …": each agent is listed with their load now (6/8)."""

    agent = forms.ModelChoiceField(label=_("分配给"), queryset=User.objects.none())
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        limit = conversation.shop.chat_limit_per_agent
        active = Q(conversations__state=ConversationState.ACTIVE)
        self.fields["agent"].queryset = (
            User.objects.filter(memberships__shop_id=conversation.shop_id, is_active=True)
            .annotate(load=Count("conversations", filter=active))
            .order_by("work_number")
        )
        self.fields["agent"].label_from_instance = lambda user: (
            f"{user.label} · {user.load}/{limit}"
        )


class BuyerNickForm(forms.Form):
    nick = forms.CharField(label=_("您的昵称"), max_length=64)


class BuyerMessageForm(forms.Form):
    """Text, a photo, or both (the photo's bytes are checked by chats.media)."""

    text = forms.CharField(label=_("消息"), max_length=MAX_MESSAGE_LENGTH, required=False)
    image = forms.FileField(label=_("图片"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("image"):
            raise forms.ValidationError(_("请输入消息或选择一张图片。"))
        return cleaned


class StockWishForm(forms.Form):
    sku = forms.ModelChoiceField(label=_("缺货商品"), queryset=Sku.objects.none())

    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].queryset = Sku.objects.filter(
            shop_id=conversation.shop_id, stock__lte=0
        ).order_by("code")
