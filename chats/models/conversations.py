"""Conversations: a buyer's chat with the shop, its queue, state and outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .channels import Channel

PREVIEW_LENGTH = 80


def preview_of(text: str) -> str:
    """The start of a message on one line, as the queue row shows it."""
    return " ".join(text.split())[:PREVIEW_LENGTH]


class Queue(models.TextChoices):
    PRE_SALE = "pre_sale", _("售前")
    IN_SALE = "in_sale", _("售中")
    AFTER_SALE = "after_sale", _("售后")


class ConversationState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    ACTIVE = "active", _("接待中")
    CLOSED = "closed", _("已结束")


class Outcome(models.TextChoices):
    PAID = "paid", _("已付款")
    ORDERED_UNPAID = "ordered_unpaid", _("已下单未付款")
    NO_SALE = "no_sale", _("未成交")
    NOT_SALE_QUESTION = "not_sale_question", _("非售前咨询")
    SPAM = "spam", _("骚扰/广告")


class Conversation(models.Model):
    """A buyer's chat with the shop, from the first message until it is closed.

    Response figures are kept on the row as messages arrive, so queues and KPIs read them
    without scanning messages."""

    shop = models.ForeignKey(
        "accounts.Shop", on_delete=models.CASCADE, related_name="conversations"
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="conversations")
    buyer = models.ForeignKey(
        "orders.Buyer", on_delete=models.CASCADE, related_name="conversations"
    )
    queue = models.CharField(max_length=12, choices=Queue.choices, default=Queue.PRE_SALE)
    state = models.CharField(
        max_length=8, choices=ConversationState.choices, default=ConversationState.QUEUED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    response_seconds_total = models.PositiveBigIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)
    responses_within_3min = models.PositiveIntegerField(default=0)
    buyer_message_count = models.PositiveIntegerField(default=0)
    agent_message_count = models.PositiveIntegerField(default=0)
    auto_greeted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    csat_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    last_buyer_message_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    alerted_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    csat_answered_at = models.DateTimeField(null=True, blank=True)
    last_message_preview = models.CharField(
        max_length=PREVIEW_LENGTH,
        blank=True,
        default="",
        help_text="The start of the latest message, kept here so the queue reads no messages.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "会话"
        indexes = [
            models.Index(fields=["shop", "state", "queue", "-last_message_at"]),
            # The queue pages and sweeps read open conversations only; the condition is
            # written exactly as their filters are, so the planner can use it.
            models.Index(
                fields=["shop", "-last_message_at", "-id"],
                condition=models.Q(state__in=["queued", "active"]),
                name="chats_open_conversations",
            ),
            models.Index(
                fields=["shop", "awaiting_reply_since"],
                condition=models.Q(state__in=["queued", "active"])
                & models.Q(awaiting_reply_since__isnull=False),
                name="chats_awaiting_reply",
            ),
            models.Index(fields=["assignee", "state", "-last_message_at"]),
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["shop", "created_at"]),
        ]

    def __str__(self):
        return f"#{self.pk}"

    @property
    def average_response_seconds(self) -> float | None:
        if not self.response_count:
            return None
        return self.response_seconds_total / self.response_count

    @property
    def is_open(self) -> bool:
        return self.state != ConversationState.CLOSED

    def is_overdue(self, now) -> bool:
        """Red in the queue: the buyer has waited longer than the shop's alert time."""
        if not self.is_open or self.awaiting_reply_since is None:
            return False
        waited = (now - self.awaiting_reply_since).total_seconds()
        return waited >= self.shop.unanswered_alert_seconds
