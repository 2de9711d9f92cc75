import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_LENGTH = 2000
PREVIEW_LENGTH = 80


def preview_of(text: str) -> str:
    """The start of a message on one line, as the queue row shows it."""
    return " ".join(text.split())[:PREVIEW_LENGTH]


def new_channel_secret() -> str:
    return secrets.token_hex(32)


class ChannelKind(models.TextChoices):
    WEBCHAT = "webchat", _("网页聊天")
    BRIDGE = "bridge", _("平台消息桥")

    @property
    def proves_identity(self) -> bool:
        """Whether a message from this kind of channel is known to come from the buyer the
        nick names. The bridge relays the platform's own chat, signed, with the nick the
        platform logged in; on the web chat page the visitor types any nick they like."""
        return self == ChannelKind.BRIDGE


class Channel(models.Model):
    """Where buyer messages come from and agent messages leave through."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=ChannelKind.choices)
    secret = models.CharField(max_length=64, default=new_channel_secret)
    webhook_url = models.URLField(_("回调地址"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息渠道"

    def __str__(self):
        return f"{self.shop.code}/{self.name}"


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


class Sender(models.TextChoices):
    BUYER = "buyer", _("买家")
    AGENT = "agent", _("客服")
    AUTO = "auto", _("自动回复")
    SYSTEM = "system", _("系统")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=64, null=True, blank=True)
    sent_at = models.DateTimeField()
    is_internal = models.BooleanField(
        default=False, help_text="Seen by staff only (handover notes, approval answers)."
    )
    findings = models.JSONField(
        default=list, blank=True, help_text="Etiquette findings on an agent's text, kept for QA."
    )
    card = models.JSONField(
        null=True,
        blank=True,
        help_text="A product or order card sent with the text (chats/cards.py), as sent.",
    )

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="one_message_per_external_id"
            )
        ]
        indexes = [models.Index(fields=["conversation", "sent_at"])]

    def __str__(self):
        return self.text[:40]


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


class PresenceStatus(models.TextChoices):
    ONLINE = "online", _("在线")
    BUSY = "busy", _("挂起")
    AWAY = "away", _("离开")


class AgentPresence(models.Model):
    """Whether an agent takes new conversations now. Absent row = away. Busy (挂起):
    still at work, keeps their conversations and may claim by hand, but automatic
    assignment passes them by."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_presence"
    )
    status = models.CharField(
        max_length=8, choices=PresenceStatus.choices, default=PresenceStatus.AWAY
    )
    changed_at = models.DateTimeField()
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last poll of the workspace; a closed tab stops assignment.",
    )

    def __str__(self):
        return f"{self.user} {self.status}"


class Handover(models.Model):
    """A transfer note (交接): who, on which channel, why, what they want, what to do."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="handovers"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_queue = models.CharField(max_length=12, choices=Queue.choices)
    to_queue = models.CharField(max_length=12, choices=Queue.choices)
    reason = models.CharField(_("原因"), max_length=300)
    wants = models.CharField(_("买家诉求"), max_length=300)
    todo = models.CharField(_("需要做什么"), max_length=300)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class ConcessionKind(models.TextChoices):
    ERASE = "erase", _("抹零")
    DISCOUNT_REQUEST = "discount_request", _("优惠申请")


class Concession(models.Model):
    """A price concession in a conversation: a 抹零 within the agent's own authority, or a
    larger discount sent to the supervisors (then ``approval`` holds their answer)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="concessions"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ConcessionKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=300, blank=True)
    approval = models.OneToOneField(
        "approvals.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["agent", "shop", "kind", "created_at"])]


def message_image_path(image: "MessageImage", filename: str) -> str:
    return f"chats/{image.shop_id}/{image.pk.hex}.{image.extension}"


def message_thumbnail_path(image: "MessageImage", filename: str) -> str:
    return f"chats/{image.shop_id}/{image.pk.hex}-thumb.{image.extension}"


class MessageImage(models.Model):
    """A photo in a message, re-encoded without EXIF (helpdesk/images.py), stored under
    MEDIA_ROOT with a random name and served only through views that check the viewer:
    the shop's staff (chats.views.image) or the browser that sent it (buyer_views.image)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=message_image_path, max_length=200)
    thumbnail = models.FileField(upload_to=message_thumbnail_path, max_length=200)
    content_type = models.CharField(max_length=20)
    extension = models.CharField(max_length=5)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["message_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "position"], name="one_image_per_message_position"
            )
        ]
