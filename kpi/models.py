"""Daily rollups of the figures, quality reviews (质检) and shift handover notes (交接本).

Rollup rows hold additive counters (sums and their denominators), not rates: a week's
3-minute rate is recomputed from the week's summed counters, never averaged from days.
``kpi.figures.derive`` turns counters into the figures of ``kpi.definitions``. A counter is
NULL when its source does not exist on this installation."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class DayCounters(models.Model):
    """Counters shared by the shop's and the agents' rows."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    reception_count = models.PositiveIntegerField(default=0)
    inquiry_count = models.PositiveIntegerField(default=0)
    paying_count = models.PositiveIntegerField(default=0)
    inquiry_orders = models.PositiveIntegerField(default=0)
    inquiry_sales = models.DecimalField(default=0, **MONEY)
    first_response_total = models.PositiveBigIntegerField(default=0)
    first_response_n = models.PositiveIntegerField(default=0)
    response_seconds_total = models.PositiveBigIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)
    responses_within_3min = models.PositiveIntegerField(default=0)
    buyer_message_count = models.PositiveIntegerField(default=0)
    agent_message_count = models.PositiveIntegerField(default=0)
    csat_total = models.PositiveIntegerField(default=0)
    csat_n = models.PositiveIntegerField(default=0)
    qa_score_total = models.DecimalField(max_digits=10, decimal_places=1, default=0)
    qa_n = models.PositiveIntegerField(default=0)
    reminders_sent = models.PositiveIntegerField(null=True)
    reminders_paid = models.PositiveIntegerField(null=True)
    tickets_resolved = models.PositiveIntegerField(null=True)
    tickets_sla_kept = models.PositiveIntegerField(null=True)
    reviews_revised = models.PositiveIntegerField(null=True)
    computed_at = models.DateTimeField()
    generated = models.BooleanField(
        _("演示生成"),
        default=False,
        help_text="Made up by the demo loader for days without activity; never real figures.",
    )

    class Meta:
        abstract = True


class ShopDay(DayCounters):
    orders = models.PositiveIntegerField(default=0)
    sales = models.DecimalField(default=0, **MONEY)
    followups_sent = models.PositiveIntegerField(null=True)
    refund_amount = models.DecimalField(null=True, **MONEY)
    after_sale_cost = models.DecimalField(null=True, **MONEY)
    after_sale_tickets = models.PositiveIntegerField(null=True)
    new_negative_reviews = models.PositiveIntegerField(null=True)
    problems_by_category = models.JSONField(default=dict)
    # Rolling 30-day counters, as of the end of ``day`` (the platform's 近30天 window): not
    # additive over days; a period's value is its last day's (kpi.figures.ROLLING_COUNTERS).
    orders_30d = models.PositiveIntegerField(default=0)
    refunded_30d = models.PositiveIntegerField(null=True)
    after_sale_30d = models.PositiveIntegerField(null=True)
    orders_updated_at = models.DateTimeField(
        null=True,
        help_text="The latest change of the day's paid orders when the day was computed: an "
        "order report imported later moves it, and the next rollup recomputes the day.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "店铺日报"
        constraints = [models.UniqueConstraint(fields=["shop", "day"], name="one_shop_day")]


class AgentDay(DayCounters):
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "客服日报"
        constraints = [
            models.UniqueConstraint(fields=["shop", "agent", "day"], name="one_agent_day")
        ]
        indexes = [
            models.Index(fields=["shop", "day"]),
            models.Index(fields=["agent", "day"]),
        ]


NOT_COUNTERS = frozenset(
    {"id", "shop", "agent", "day", "computed_at", "generated", "orders_updated_at"}
)
"""The bookkeeping columns of a rollup row; every other column is a counter."""


def counter_names(model: type[DayCounters]) -> list[str]:
    """The counter columns of a rollup model, in declaration order: the one list of counters
    (kpi.figures, the plain-SQL reads and the rollup's defaults all take theirs from here)."""
    return [field.name for field in model._meta.concrete_fields if field.name not in NOT_COUNTERS]


def counter_zero(model: type[DayCounters], name: str):
    """A counter's value on a day without activity, typed as its column stores it."""
    field = model._meta.get_field(name)
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.DecimalField):
        return Decimal(0).scaleb(-field.decimal_places)
    return 0


class QaKind(models.TextChoices):
    SAMPLE = "sample", _("每周抽检")
    MYSTERY = "mystery", _("神秘客户")


class QaState(models.TextChoices):
    QUEUED = "queued", _("待评分")
    SCORED = "scored", _("已评分")


class QaReview(models.Model):
    """A supervisor's scoring of one conversation against the rubric (kpi.qa.RUBRIC)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        "chats.Conversation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=QaKind.choices)
    week = models.CharField(_("周"), max_length=8, help_text="ISO week, e.g. 2026-W47")
    state = models.CharField(max_length=8, choices=QaState.choices, default=QaState.QUEUED)
    prefill = models.JSONField(default=dict, help_text="measured facts the form starts from")
    scores = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    comment = models.TextField(_("点评"), max_length=2000, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    scored_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = verbose_name_plural = "质检"
        ordering = ["state", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "kind"], name="one_qa_review_per_conversation_and_kind"
            )
        ]
        indexes = [
            models.Index(fields=["shop", "state", "week"]),
            models.Index(fields=["agent", "-created_at"]),
            models.Index(fields=["shop", "scored_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.conversation_id}"


class Shift(models.TextChoices):
    MORNING = "morning", _("早班")
    EVENING = "evening", _("晚班")
    NIGHT = "night", _("夜班")


class HandoverNote(models.Model):
    """交接本: "buyer X, on channel Y, because of Z, wants W; please do V"."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    shift_date = models.DateField(_("班次日期"))
    shift = models.CharField(_("班次"), max_length=8, choices=Shift.choices)
    buyer = models.ForeignKey(
        "orders.Buyer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_nick = models.CharField(_("买家"), max_length=64)
    channel = models.CharField(_("渠道"), max_length=40)
    cause = models.CharField(_("原因"), max_length=300)
    wish = models.CharField(_("买家诉求"), max_length=300)
    todo = models.TextField(_("请下一班处理"), max_length=1000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "交接本"
        ordering = ["acknowledged_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "acknowledged_at", "-created_at"])]

    def __str__(self):
        return f"{self.buyer_nick}: {self.wish}"


DSR_SCORE = {"max_digits": 3, "decimal_places": 2}


class DsrSource(models.TextChoices):
    IMPORT = "import", _("导入")
    FORM = "form", _("手工录入")
    DEMO = "demo", _("演示生成")


class ShopDsr(models.Model):
    """The shop's DSR (店铺动态评分) as the seller centre showed it on ``day``: the platform's
    rolling 180-day averages of the buyers' 1–5 star ratings, kept with two decimals. Not
    derived from our reviews (we keep only neutral and negative ones, whose stars would
    misstate the score); recorded by a manager from the seller centre (docs/kpi.md)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    description = models.DecimalField(_("描述相符"), **DSR_SCORE)
    service = models.DecimalField(_("服务态度"), **DSR_SCORE)
    logistics = models.DecimalField(_("物流服务"), **DSR_SCORE)
    source = models.CharField(max_length=8, choices=DsrSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "店铺动态评分"
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "day"], name="one_dsr_per_shop_day"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{score}__gte": 0, f"{score}__lte": 5}),
                    name=f"dsr_{score}_between_0_and_5",
                )
                for score in ("description", "service", "logistics")
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.description}/{self.service}/{self.logistics}"
