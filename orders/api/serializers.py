from rest_framework import serializers

from ..models import (
    CancelReason,
    Memo,
    MemoFlag,
    Order,
    OrderItem,
    OrderStateChange,
    Problem,
    ProblemCategory,
    ProblemState,
)
from ..problem_states import TRANSITIONS
from ..states import OrderState


class OrderFilterInput(serializers.Serializer):
    shop = serializers.SlugField(required=False, help_text="shop code")
    state = serializers.ChoiceField(choices=OrderState.choices, required=False)
    buyer = serializers.CharField(required=False, max_length=64, help_text="nick or its start")
    date_from = serializers.DateField(required=False, help_text="ordered on or after (Shanghai)")
    date_to = serializers.DateField(required=False, help_text="ordered on or before (Shanghai)")


class ProblemFilterInput(serializers.Serializer):
    shop = serializers.SlugField(required=False, help_text="shop code")
    category = serializers.ChoiceField(choices=ProblemCategory.choices, required=False)
    state = serializers.ChoiceField(
        choices=[*ProblemState.choices, ("all", "all")],
        required=False,
        help_text="default: the active states",
    )
    assignee = serializers.CharField(
        required=False, help_text='a user id, "me" or "none" (unclaimed)'
    )


class OrderOutput(serializers.ModelSerializer):
    shop = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "shop",
            "order_id",
            "buyer_id",
            "buyer_nick",
            "state",
            "goods_amount",
            "postage",
            "total_amount",
            "paid_amount",
            "receiver_name",
            "address",
            "province",
            "city",
            "district",
            "shipping_method",
            "is_cod",
            "ordered_at",
            "paid_at",
            "shipped_at",
            "item_title",
            "item_count",
            "courier",
            "tracking_number",
        ]


class MemoOutput(serializers.ModelSerializer):
    class Meta:
        model = Memo
        fields = ["id", "flag", "reason", "work_number", "created_at"]


class ItemOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["title", "properties", "sku_code", "price", "quantity"]


class StateChangeOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderStateChange
        fields = ["from_state", "to_state", "changed_at"]


class ProblemBriefOutput(serializers.ModelSerializer):
    assignee = serializers.CharField(source="assignee.label", default=None, read_only=True)

    class Meta:
        model = Problem
        fields = ["id", "category", "state", "assignee", "opened_at", "due_at", "resolution"]


class OrderDetailOutput(OrderOutput):
    items = ItemOutput(many=True, read_only=True)
    memos = MemoOutput(many=True, read_only=True)
    problems = ProblemBriefOutput(many=True, read_only=True)
    state_changes = StateChangeOutput(many=True, read_only=True)

    class Meta(OrderOutput.Meta):
        fields = [
            *OrderOutput.Meta.fields,
            "buyer_message",
            "mobile",
            "postcode",
            "address_detail",
            "platform_memo",
            "items",
            "memos",
            "problems",
            "state_changes",
        ]


class ProblemOutput(serializers.ModelSerializer):
    shop = serializers.SlugRelatedField(slug_field="code", read_only=True)
    order = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "shop",
            "category",
            "state",
            "order",
            "assignee",
            "opened_at",
            "claimed_at",
            "due_at",
            "closed_at",
            "resolution",
            "cancel_reason",
        ]

    def get_order(self, problem) -> dict:
        order = problem.order
        return {"id": order.pk, "order_id": order.order_id, "buyer_nick": order.buyer_nick}

    def get_assignee(self, problem) -> dict | None:
        user = problem.assignee
        return {"id": user.pk, "label": user.label} if user else None


class TransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    cancel_reason = serializers.ChoiceField(
        choices=CancelReason.choices, required=False, allow_blank=True, default=""
    )


class MemoInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    flag = serializers.ChoiceField(choices=MemoFlag.choices, default=MemoFlag.RED)


class ClaimNextInput(serializers.Serializer):
    shop = serializers.SlugField(required=False)
    category = serializers.ChoiceField(choices=ProblemCategory.choices, required=False)
