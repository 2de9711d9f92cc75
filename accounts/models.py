from datetime import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


def default_delivery_regions() -> dict:
    """Days from shipping to expected arrival, by destination province (DOMAIN.md)."""
    return {
        "fast": {"days": 3, "provinces": ["江苏省", "浙江省", "上海市"]},
        "remote": {
            "days": 7,
            "provinces": [
                "新疆维吾尔自治区",
                "西藏自治区",
                "青海省",
                "内蒙古自治区",
                "宁夏回族自治区",
                "甘肃省",
                "海南省",
                "香港特别行政区",
                "澳门特别行政区",
                "台湾省",
            ],
        },
        "default_days": 5,
    }


def default_approval_limits() -> dict:
    """The largest refund or compensation (yuan) each role may grant without approval."""
    return {"after_sale": "100.00", "review_specialist": "100.00", "supervisor": "2000.00"}


class Team(models.Model):
    """A customer-service team; it serves one or more shops."""

    name = models.CharField(_("团队名称"), max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "客服团队"

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A personal account. Shared logins are not supported by design."""

    team = models.ForeignKey(
        Team, verbose_name=_("团队"), on_delete=models.PROTECT, null=True, blank=True
    )
    work_number = models.CharField(
        _("工号"), max_length=20, blank=True, help_text="Shown in replies so a buyer can quote it."
    )
    display_name = models.CharField(_("显示名"), max_length=50, blank=True)
    language = models.CharField(
        _("界面语言"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text="Chosen with the language switch; follows the person to every computer.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "员工"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "work_number"],
                condition=~models.Q(work_number=""),
                name="unique_work_number_per_team",
            )
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def label(self) -> str:
        """Name and work number as agents see each other: 小美 (1024)."""
        name = self.display_name or self.username
        return f"{name} ({self.work_number})" if self.work_number else name


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("淘宝")
    TMALL = "tmall", _("天猫")


class Shop(models.Model):
    """A shop the team serves, with the settings its rules read."""

    team = models.ForeignKey(Team, verbose_name=_("团队"), on_delete=models.PROTECT)
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices)
    code = models.SlugField(_("店铺代码"), max_length=40, unique=True)
    name = models.CharField(_("店铺名称"), max_length=100)
    is_active = models.BooleanField(_("启用"), default=True)

    # Orders and reminders
    courier_cutoff = models.TimeField(_("快递截单时间"), default=time(17, 0))
    quiet_hours_start = models.TimeField(_("免打扰开始"), default=time(22, 0))
    quiet_hours_end = models.TimeField(_("免打扰结束"), default=time(9, 0))
    remind_after_minutes = models.PositiveIntegerField(_("下单多久后催付(分钟)"), default=30)
    auto_close_hours = models.PositiveIntegerField(_("未付款自动关闭(小时)"), default=72)
    free_shipping_threshold = models.DecimalField(
        _("包邮门槛(元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    excluded_regions = models.JSONField(_("不发货地区"), default=list, blank=True)
    delivery_regions = models.JSONField(_("物流时效(天)"), default=default_delivery_regions)
    digest_interval_hours = models.PositiveIntegerField(_("问题订单汇总间隔(小时)"), default=3)

    # Pre-sale chat
    greeting_delay_seconds = models.PositiveIntegerField(_("自动问候延迟(秒)"), default=8)
    unanswered_alert_seconds = models.PositiveIntegerField(_("未回复告警(秒)"), default=100)
    idle_close_minutes = models.PositiveIntegerField(_("无消息自动结束(分钟)"), default=30)
    chat_limit_per_agent = models.PositiveIntegerField(_("每人同时接待上限"), default=8)
    erase_limit_percent = models.DecimalField(
        _("抹零上限(%)"), max_digits=5, decimal_places=2, default=Decimal("1.00")
    )
    erase_daily_count = models.PositiveIntegerField(_("每人每日抹零次数"), default=3)
    conversion_window_hours = models.PositiveIntegerField(_("询单转化窗口(小时)"), default=24)

    # After-sale
    return_window_days = models.PositiveIntegerField(_("无理由退货(天)"), default=7)
    simple_reply_hours = models.PositiveIntegerField(_("简单售后回复时限(小时)"), default=24)
    complex_followup_hours = models.PositiveIntegerField(_("复杂投诉跟进时限(小时)"), default=48)
    business_hours_start = models.TimeField(_("营业开始"), default=time(9, 0))
    business_hours_end = models.TimeField(_("营业结束"), default=time(23, 0))
    approval_limits = models.JSONField(_("免审批额度(元)"), default=default_approval_limits)

    # Quality review
    qa_sample_size = models.PositiveIntegerField(_("每周质检抽样(每人)"), default=5)

    class Meta:
        verbose_name = verbose_name_plural = "店铺"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """Which shops a user works in, and with which role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "店铺成员"
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="one_role_per_user_and_shop")
        ]

    def __str__(self):
        return f"{self.user} @ {self.shop}: {self.get_role_display()}"


class UserSession(models.Model):
    """The sessions a user holds, so deactivation can end every one of them at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
