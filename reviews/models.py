"""Neutral and negative reviews (中评/差评) and what the review specialist keeps about them.

Evidence messages are copies made once and never changed: they stand in a platform appeal
even if the conversation they came from is later edited or deleted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.keyset import Keyset

from .errors import EvidenceImmutableError

# The review list's and register's pages: newest review first.
REVIEW_PAGES = Keyset(name="reviews", field="reviewed_at")


class Rating(models.TextChoices):
    NEUTRAL = "neutral", _("中评")
    NEGATIVE = "negative", _("差评")


class ReviewState(models.TextChoices):
    NEW = "new", _("新评价")
    CONTACTED = "contacted", _("已联系")
    RESOLVED = "resolved", _("已解决")
    REVISION_REQUESTED = "revision_requested", _("已请求改评")
    REVISED = "revised", _("已改评")
    UNCHANGED = "unchanged", _("未改评")
    APPEALED = "appealed", _("已申诉")


FINAL_STATES = [ReviewState.REVISED, ReviewState.UNCHANGED, ReviewState.APPEALED]


def _dsr_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


def _dsr_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=f"review_{field}_1_to_5",
    )


class Review(models.Model):
    """One neutral or negative review of a shop, worked by its review specialists.

    ``platform_order_id`` keeps the order id the platform gave even when no order of the
    shop matches it yet (``order`` is then empty). A review is identified by the
    platform's review id when the export has one, else by (shop, order id, review time)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="reviews")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    platform_order_id = models.CharField(_("订单编号"), max_length=19)
    external_id = models.CharField(_("评价ID"), max_length=64, blank=True)
    buyer = models.ForeignKey("orders.Buyer", on_delete=models.PROTECT, related_name="reviews")
    rating = models.CharField(_("评价"), max_length=8, choices=Rating.choices)
    text = models.TextField(_("评价内容"), max_length=2000, blank=True)
    item_title = models.CharField(_("宝贝标题"), max_length=500, blank=True)
    dsr_description = _dsr_field(_("描述相符"))
    dsr_service = _dsr_field(_("服务态度"))
    dsr_logistics = _dsr_field(_("物流服务"))
    reviewed_at = models.DateTimeField(_("评价时间"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ReviewState.choices, default=ReviewState.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    is_extortion = models.BooleanField(_("差评要挟"), default=False)
    extortion_note = models.CharField(_("要挟说明"), max_length=500, blank=True)
    extortion_marked_at = models.DateTimeField(null=True, blank=True)
    extortion_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    state_changed_at = models.DateTimeField()
    due_at = models.DateTimeField(
        _("处理时限"),
        null=True,
        blank=True,
        help_text="First contact is due by then (Shop.review_due_hours); cleared once it leaves 新评价.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "中差评"
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_review_id_per_shop",
            ),
            models.UniqueConstraint(
                fields=["shop", "platform_order_id", "reviewed_at"],
                condition=models.Q(external_id=""),
                name="unique_review_per_order_and_time",
            ),
            _dsr_check("dsr_description"),
            _dsr_check("dsr_service"),
            _dsr_check("dsr_logistics"),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=models.Q(due_at__isnull=False), name="reviews_due"
            ),
            models.Index(fields=["shop", "state", "-reviewed_at"]),
            models.Index(fields=["shop", "-reviewed_at"]),
            REVIEW_PAGES.index("shop", name="review_shop_newest"),
            # a user of several shops: shop_id IN (…) cannot walk the per-shop index in order
            REVIEW_PAGES.index(name="review_newest"),
            models.Index(fields=["assignee", "state"]),
            models.Index(
                fields=["shop", "state"],
                condition=models.Q(is_extortion=True),
                name="review_extortion_cases",
            ),
        ]

    def __str__(self):
        return f"{self.get_rating_display()} {self.platform_order_id}"

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES


class ReviewTransition(models.Model):
    """The review's workflow history; KPIs count revisions won from it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=20, choices=ReviewState.choices)
    to_state = models.CharField(max_length=20, choices=ReviewState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["to_state", "created_at"])]


class DraftKind(models.TextChoices):
    PUBLIC_REPLY = "public_reply", _("店铺公开回复")
    BUYER_MESSAGE = "buyer_message", _("给买家的消息")


class ReplyDraft(models.Model):
    """A reply the specialist wrote, with the etiquette findings it had when saved.

    Saving is allowed despite findings; they are kept so a supervisor sees what was
    flagged. Every save is a new row: the drafts are the reply's history."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="drafts")
    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=DraftKind.choices)
    text = models.TextField(_("内容"), max_length=500)
    findings = models.JSONField(_("规范提示"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "kind", "-created_at"])]

    def __str__(self):
        return self.text[:40]


class EvidenceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise EvidenceImmutableError

    def bulk_update(self, objs, fields, batch_size=None):
        raise EvidenceImmutableError


class EvidenceMessage(models.Model):
    """A buyer message copied, with its time and channel, as evidence of extortion. Only
    a message with ``identity_verified`` is known to be the buyer's own words.

    Append-only: the model refuses saves of an existing row and queryset updates, and a
    database trigger (migration 0002) refuses UPDATE statements from anywhere else."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="evidence")
    source_message = models.ForeignKey(
        "chats.Message", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    conversation_id_copy = models.PositiveBigIntegerField(_("会话编号"))
    buyer_nick = models.CharField(_("买家"), max_length=64)
    text = models.TextField(_("消息内容"), max_length=2000)
    sent_at = models.DateTimeField(_("发送时间"))
    channel_name = models.CharField(_("渠道"), max_length=100, blank=True)
    identity_verified = models.BooleanField(
        _("身份已验证"),
        default=False,
        help_text="The channel proves the sender is the buyer (the platform bridge); a "
        "web-chat nick is typed by the visitor and proves nothing.",
    )
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    selected_at = models.DateTimeField()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "source_message"], name="one_copy_per_message_and_review"
            )
        ]

    def __str__(self):
        return self.text[:40]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise EvidenceImmutableError
        super().save(*args, **kwargs)


class GoodReview(models.Model):
    """A 好评 the review export showed for an order: not the specialists' work, kept only so
    the after-receipt job thanks a buyer for a review that exists (outreach.followups)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    platform_order_id = models.CharField(_("订单编号"), max_length=19)
    reviewed_at = models.DateTimeField(_("评价时间"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "好评记录"
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "platform_order_id"], name="one_good_review_per_order"
            )
        ]

    def __str__(self):
        return f"好评 {self.platform_order_id}"


class ReviewBreach(models.Model):
    """A review nobody contacted by its due time: an alert to the specialist and a row in
    the supervisors' inbox until the review is contacted. Unique per (review, due time),
    so the job running twice records it once."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="breaches")
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "due_at"], name="one_breach_per_review_due")
        ]
        indexes = [models.Index(fields=["shop", "-detected_at"])]
