"""The outbox: every message to a buyer, written once, delivered by a task."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .conversations import Conversation
from .messages import MAX_MESSAGE_LENGTH, Message


class OutboxKind(models.TextChoices):
    REPLY = "reply", _("客服回复")
    PAYMENT_REMINDER = "payment_reminder", _("催付")
    DELIVERY_FOLLOWUP = "delivery_followup", _("回访")
    RECEIPT_FOLLOWUP = "receipt_followup", _("签收回访")
    REVIEW_THANKS = "review_thanks", _("好评感谢")
    STOCK_NOTICE = "stock_notice", _("到货通知")
    SURVEY = "survey", _("满意度调查")
    SHIPPING_NOTICE = "shipping_notice", _("发货通知")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    """A message to a buyer, written in the transaction that decides to send it.

    ``key`` is unique: "never twice" is a database constraint, not a hope about the broker.
    Delivery uses the row's id as the idempotency key at the receiving end."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=OutboxKind.choices)
    key = models.CharField(max_length=100, unique=True)
    buyer = models.ForeignKey("orders.Buyer", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    card = models.JSONField(null=True, blank=True)
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The conversation message this row delivers; its images travel with it.",
    )
    status = models.CharField(
        max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=models.Q(order__isnull=False)
                & models.Q(
                    kind__in=[
                        "payment_reminder",
                        "delivery_followup",
                        "review_thanks",
                        "shipping_notice",
                    ]
                ),
                name="one_scheduled_message_per_order_and_kind",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # the retention job's batches (chats.retention), oldest first
            models.Index(fields=["created_at"], name="outbox_created_at_idx"),
            # The outbox page's two lists, walked in their order and stopped at a page:
            # sent messages grow without end, failures stay few.
            models.Index(
                fields=["shop", "-sent_at", "-id"],
                condition=models.Q(status="sent"),
                name="outbox_recent_sent",
            ),
            models.Index(
                fields=["shop", "-next_attempt_at", "-id"],
                condition=models.Q(status="failed") | models.Q(status="pending", attempts__gt=0),
                name="outbox_failures",
            ),
        ]

    def __str__(self):
        return self.key
