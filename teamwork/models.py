"""Team collaboration: internal notes with mentions, tags, and outbound webhooks."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    CONVERSATION_CREATED = "conversation.created", _("新会话")
    CONVERSATION_CLOSED = "conversation.closed", _("会话结束")
    PROBLEM_OPENED = "problem.opened", _("问题订单登记")
    PROBLEM_RESOLVED = "problem.resolved", _("问题订单解决")
    TICKET_CREATED = "ticket.created", _("售后工单创建")
    TICKET_STATE_CHANGED = "ticket.state_changed", _("售后工单状态变化")
    REVIEW_CREATED = "review.created", _("新中差评")
    REMINDER_SENT = "reminder.sent", _("催付已发送")


TEST_EVENT = "webhook.test"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL of another system that hears about a shop's events, signed with its secret."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("地址"), max_length=500)
    events = models.JSONField(_("事件"), default=list)
    secret = models.CharField(max_length=64, default=new_secret)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["shop", "is_active"])]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("失败")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row written with the change. Its ``event_id``
    travels in every attempt, so a receiver drops repeats."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=40)
    event = models.CharField(max_length=40)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    response_excerpt = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="one_delivery_per_endpoint_and_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["endpoint", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id}"


class NoteTarget(models.TextChoices):
    CONVERSATION = "conversation", _("会话")
    PROBLEM = "problem", _("问题订单")
    TICKET = "ticket", _("售后工单")
    REVIEW = "review", _("中差评")


class Note(models.Model):
    """An internal note on a case: staff only, never shown to or sent to the buyer."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=20, choices=NoteTarget.choices)
    target_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("内部备注"), max_length=2000)
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self):
        return self.body[:50]


class TagColour(models.TextChoices):
    RED = "#d92d20", _("红")
    ORANGE = "#d48806", _("橙")
    GREEN = "#10a050", _("绿")
    BLUE = "#1664ff", _("蓝")
    PURPLE = "#7a3cff", _("紫")
    GREY = "#646a73", _("灰")


class Tag(models.Model):
    """A label of a team (VIP, 大码, 易纠纷, 双11) put on buyers and cases."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=20)
    colour = models.CharField(
        _("颜色"), max_length=7, choices=TagColour.choices, default=TagColour.BLUE
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="unique_tag_per_team")]

    def __str__(self):
        return self.name


class TagTarget(models.TextChoices):
    BUYER = "buyer", _("买家")
    CONVERSATION = "conversation", _("会话")
    PROBLEM = "problem", _("问题订单")
    TICKET = "ticket", _("售后工单")


class TagLink(models.Model):
    """One tag on one buyer or case."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="links")
    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=20, choices=TagTarget.choices)
    target_id = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tag", "target_type", "target_id"], name="one_link_per_tag_and_target"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]


class AgentGroup(models.Model):
    """A named set of agents of one shop (售前A组, 大码专席) that routing rules send chats to."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=40)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="agent_groups")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="unique_group_name_per_shop")
        ]

    def __str__(self):
        return self.name


class RoutingPriority(models.IntegerChoices):
    HIGH = 1, _("高")
    NORMAL = 2, _("普通")
    LOW = 3, _("低")


class RoutingRule(models.Model):
    """If a new conversation matches every condition set here, its group takes it.
    Rules are tried by ``position``; the first match wins."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("规则名称"), max_length=60)
    position = models.PositiveIntegerField(default=0)
    keywords = models.JSONField(_("首条消息关键词"), default=list, blank=True)
    product_terms = models.JSONField(_("商品标题/类目"), default=list, blank=True)
    buyer_tag = models.ForeignKey(
        Tag, verbose_name=_("买家标签"), null=True, blank=True, on_delete=models.CASCADE
    )
    channel = models.ForeignKey(
        "chats.Channel", verbose_name=_("渠道"), null=True, blank=True, on_delete=models.CASCADE
    )
    weekdays = models.JSONField(_("星期"), default=list, blank=True)
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    group = models.ForeignKey(AgentGroup, verbose_name=_("分给"), on_delete=models.CASCADE)
    priority = models.PositiveSmallIntegerField(
        _("优先级"), choices=RoutingPriority.choices, default=RoutingPriority.NORMAL
    )
    examples = models.TextField(_("示例消息"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class ConversationRoute(models.Model):
    """Which rule took a conversation, for its group's queue and auto-assignment."""

    conversation = models.OneToOneField(
        "chats.Conversation", on_delete=models.CASCADE, related_name="route"
    )
    rule = models.ForeignKey(RoutingRule, null=True, on_delete=models.SET_NULL, related_name="+")
    group = models.ForeignKey(AgentGroup, on_delete=models.CASCADE, related_name="routes")
    priority = models.PositiveSmallIntegerField(choices=RoutingPriority.choices)
    routed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["group", "priority", "routed_at"])]
