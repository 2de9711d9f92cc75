"""In-sale problem orders (问题订单): categories, states, the problem, the shop's digest."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Order


class ProblemCategory(models.TextChoices):
    ADDRESS_CHANGE = "address_change", _("改地址")
    ADDRESS_UNCLEAR = "address_unclear", _("地址不详")
    OUT_OF_AREA = "out_of_area", _("超区")
    OUT_OF_STOCK = "out_of_stock", _("缺货")
    SHIPPING_CONDITION = "shipping_condition", _("不满足包邮")
    MESSAGE_UNMET = "message_unmet", _("留言无法满足")
    DUPLICATE_ORDERS = "duplicate_orders", _("重复/多地址订单")
    COD_CONFIRM = "cod_confirm", _("货到付款确认")
    LOGISTICS_DELAY = "logistics_delay", _("物流超时")
    LOGISTICS_STUCK = "logistics_stuck", _("物流滞留")
    LOGISTICS_LOST = "logistics_lost", _("丢件")
    LOGISTICS_REFUSED = "logistics_refused", _("拒收")
    LOGISTICS_CONFISCATED = "logistics_confiscated", _("安检没收")


class ProblemState(models.TextChoices):
    OPEN = "open", _("待处理")
    CONTACTING = "contacting", _("联系中")
    WAITING_BUYER = "waiting_buyer", _("等待买家")
    RESOLVED = "resolved", _("已解决")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_PROBLEM_STATES = [ProblemState.OPEN, ProblemState.CONTACTING, ProblemState.WAITING_BUYER]


class CancelReason(models.TextChoices):
    """Why a problem was closed without being worked to a result."""

    NOT_A_PROBLEM = "not_a_problem", _("无需处理")
    ORDER_CLOSED = "order_closed", _("订单已关闭")
    BUYER_CANCELLED = "buyer_cancelled", _("买家取消")
    DUPLICATE = "duplicate", _("重复问题")
    OTHER = "other", _("其他")


class Problem(models.Model):
    """An in-sale problem order (问题订单) in one category, worked from the queue."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="problems")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="problems")
    category = models.CharField(_("类别"), max_length=24, choices=ProblemCategory.choices)
    state = models.CharField(
        _("状态"), max_length=16, choices=ProblemState.choices, default=ProblemState.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(_("处理记录"), default=dict, blank=True)
    resolution = models.CharField(_("结果"), max_length=300, blank=True)
    cancel_reason = models.CharField(
        _("取消原因"), max_length=20, choices=CancelReason.choices, blank=True
    )
    opened_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题订单"
        constraints = [
            models.UniqueConstraint(
                fields=["order", "category"],
                condition=models.Q(state__in=["open", "contacting", "waiting_buyer"]),
                name="one_active_problem_per_order_and_category",
            )
        ]
        indexes = [
            models.Index(fields=["shop", "state", "due_at"]),
            models.Index(fields=["shop", "category", "state"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(
                fields=["shop", "due_at"],
                condition=models.Q(state__in=["open", "contacting", "waiting_buyer"]),
                name="active_problem_queue",
            ),
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(state__in=["open", "contacting", "waiting_buyer"]),
                name="active_problem_due_order",
            ),
            models.Index(fields=["shop", "closed_at"]),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.order.order_id}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_PROBLEM_STATES


class ProblemDigest(models.Model):
    """The problem-order report a shop gets every few hours (问题订单汇总).

    One per shop and time slot (``slot_start``): building it twice for a slot is a no-op.
    ``counts`` and ``rows`` are a snapshot of the active problems; ``changes`` compares
    with the previous digest (opened, closed, per category)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    slot_start = models.DateTimeField()
    created_at = models.DateTimeField()
    since = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    rows = models.JSONField(default=list)
    changes = models.JSONField(default=dict)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-slot_start"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "slot_start"], name="one_digest_per_slot")
        ]

    def __str__(self):
        return f"{self.shop_id} {self.slot_start:%Y-%m-%d %H:%M}"
