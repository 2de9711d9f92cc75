import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import TicketState, TicketType

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}


class ReturnReason(models.TextChoices):
    NO_REASON = "no_reason", _("七天无理由")
    SIZE = "size", _("尺码/颜色不合适")
    QUALITY = "quality", _("质量问题")
    DAMAGED = "damaged", _("运输破损")
    WRONG = "wrong", _("发错货")
    MISSING = "missing", _("少件/漏发")
    NOT_AS_DESCRIBED = "not_as_described", _("与描述不符")
    OTHER = "other", _("其他")


# Reasons the buyer may give without the seller being at fault: the 7-day window applies.
NO_FAULT_REASONS = frozenset({ReturnReason.NO_REASON, ReturnReason.SIZE})


class Ticket(models.Model):
    """An after-sale case (售后工单): one type, one state machine (tickets/states.py)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="tickets")
    type = models.CharField(_("类型"), max_length=20, choices=TicketType.choices)
    state = models.CharField(
        _("状态"), max_length=20, choices=TicketState.choices, default=TicketState.REQUESTED
    )
    buyer = models.ForeignKey("orders.Buyer", on_delete=models.PROTECT, related_name="tickets")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    reason = models.CharField(
        _("原因"), max_length=20, choices=ReturnReason.choices, default=ReturnReason.OTHER
    )
    description = models.TextField(_("问题描述"), max_length=2000, blank=True)
    worn_or_washed = models.BooleanField(
        _("已穿着/洗涤"), default=False, help_text=_("影响二次销售的商品不可退换。")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Returns and reshipping
    return_tracking_number = models.CharField(_("退货物流单号"), max_length=40, blank=True)
    return_courier = models.CharField(_("退货物流公司"), max_length=40, blank=True)
    return_received_at = models.DateTimeField(_("退货签收时间"), null=True, blank=True)
    reship_tracking_number = models.CharField(_("补发物流单号"), max_length=40, blank=True)
    refusal_reason = models.CharField(_("拒绝理由"), max_length=300, blank=True)

    # Costs (for after-sale rate and cost reports)
    refund_amount = models.DecimalField(_("退款金额"), **MONEY)
    compensation_amount = models.DecimalField(_("补偿金额"), **MONEY)
    reshipping_postage = models.DecimalField(_("补发邮费"), **MONEY)
    return_postage = models.DecimalField(_("退货邮费"), **MONEY)

    # SLA: the current deadline; first reply (simple types) or next follow-up (complex).
    sla_due_at = models.DateTimeField(_("SLA截止"), null=True, blank=True)
    first_replied_at = models.DateTimeField(null=True, blank=True)
    last_followup_at = models.DateTimeField(null=True, blank=True)

    # Escalation to the supervisors' inbox
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(_("升级原因"), max_length=300, blank=True)
    escalation_handled_at = models.DateTimeField(null=True, blank=True)

    # What waits for a supervisor: {"action", "amount", "from_state", "approval_id"}
    pending_action = models.JSONField(default=dict, blank=True)
    complaint_steps = models.JSONField(_("投诉处理步骤"), default=dict, blank=True)

    # The platform's refund (退款单编号) when the ticket came from the refund export
    platform_refund_id = models.CharField(_("退款单编号"), max_length=40, blank=True)
    platform_status = models.CharField(_("平台退款状态"), max_length=60, blank=True)
    platform_intervention = models.CharField(_("客服介入状态"), max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("售后工单")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "platform_refund_id"],
                condition=~models.Q(platform_refund_id=""),
                name="unique_platform_refund_per_shop",
            ),
            models.CheckConstraint(
                condition=models.Q(order__isnull=False)
                | models.Q(type__in=["invoice", "platform_dispute"]),
                name="ticket_order_required_unless_invoice_or_dispute",
            ),
            models.CheckConstraint(
                condition=models.Q(refund_amount__gte=0)
                & models.Q(compensation_amount__gte=0)
                & models.Q(reshipping_postage__gte=0)
                & models.Q(return_postage__gte=0),
                name="ticket_costs_not_negative",
            ),
        ]
        indexes = [
            # The queue's order (most urgent first): walked in order, stopped at a page.
            models.Index(fields=["shop", "sla_due_at", "-created_at"], name="ticket_queue_order"),
            models.Index(fields=["shop", "type", "-created_at"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["shop", "closed_at"]),
            models.Index(
                fields=["sla_due_at"],
                condition=models.Q(sla_due_at__isnull=False),
                name="ticket_sla_due_open",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_type_display()}"

    @property
    def total_cost(self) -> Decimal:
        return (
            self.refund_amount
            + self.compensation_amount
            + self.reshipping_postage
            + self.return_postage
        )


class TicketEvent(models.Model):
    """The ticket's timeline: creation, state changes, replies to the buyer, notes."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        TRANSITION = "transition", _("状态变更")
        REPLY = "reply", _("回复买家")
        NOTE = "note", _("内部备注")
        PHOTO = "photo", _("上传照片")
        APPROVAL = "approval", _("审批")
        ESCALATION = "escalation", _("升级")
        SLA_BREACH = "sla_breach", _("超时")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def from_state_label(self) -> str:
        return str(dict(TicketState.choices).get(self.from_state, self.from_state))

    @property
    def to_state_label(self) -> str:
        return str(dict(TicketState.choices).get(self.to_state, self.to_state))


def photo_path(photo: "TicketPhoto", filename: str) -> str:
    return f"tickets/{photo.ticket.shop_id}/{photo.pk.hex}.{photo.extension}"


class TicketPhoto(models.Model):
    """An evidence photo, re-encoded without EXIF, stored under MEDIA_ROOT (never served
    by the web server; only through tickets.views.photo, which checks the viewer)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=20)
    extension = models.CharField(max_length=5)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at"]

    @property
    def shop_id(self) -> int:
        return self.ticket.shop_id


class SlaBreach(models.Model):
    """A missed SLA deadline: escalated once to the supervisors' inbox and kept for KPIs.
    One row per (ticket, deadline), so the job escalates once however often it runs."""

    class Kind(models.TextChoices):
        FIRST_REPLY = "first_reply", _("首次回复超时")
        FOLLOW_UP = "follow_up", _("跟进超时")

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="breaches")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "due_at"], name="one_breach_per_deadline")
        ]
        indexes = [models.Index(fields=["shop", "handled_at", "-detected_at"])]
