"""Reply scripts (话术): the shop's standard replies with shortcut codes and placeholders.

A script belongs to a team. With ``shop`` empty it is team-wide and serves every shop of
the team that has no script of its own with the same shortcut code; with ``shop`` set it is
that shop's own and is seen only by that shop's staff.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ScriptCategory(models.TextChoices):
    """In the order a conversation goes (DOMAIN.md), then the scheduled jobs' texts."""

    GREETING = "greeting", _("欢迎语")
    CONSULTATION = "consultation", _("对话语")
    BARGAINING = "bargaining", _("议价语")
    PAYMENT = "payment", _("支付用语")
    LOGISTICS = "logistics", _("物流用语")
    AFTER_SALE = "after_sale", _("售后语")
    FAREWELL = "farewell", _("欢送语")
    REVIEW_THANKS = "review_thanks", _("好评用语")
    PAYMENT_REMINDER = "payment_reminder", _("催付")
    DELIVERY_FOLLOWUP = "delivery_followup", _("回访")
    RECEIPT_FOLLOWUP = "receipt_followup", _("签收回访")


CATEGORY_ORDER: dict[str, int] = {code: i for i, code in enumerate(ScriptCategory.values)}


def category_rank_expression():
    """A database expression sorting categories in conversation order (not alphabetically)."""
    return models.Case(
        *(models.When(category=code, then=models.Value(i)) for code, i in CATEGORY_ORDER.items()),
        output_field=models.IntegerField(),
    )


class ReplyScript(models.Model):
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("团队"), on_delete=models.CASCADE, related_name="scripts"
    )
    shop = models.ForeignKey(
        "accounts.Shop",
        verbose_name=_("店铺"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scripts",
        help_text=_("留空表示全团队通用。"),
    )
    category = models.CharField(_("分类"), max_length=20, choices=ScriptCategory.choices)
    title = models.CharField(_("标题"), max_length=60)
    code = models.CharField(
        _("快捷码"), max_length=20, help_text="Typed as /code in the chat composer."
    )
    body = models.TextField(_("内容"), max_length=1000)
    title_initials = models.CharField(
        _("标题拼音首字母"), max_length=60, blank=True, editable=False
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    use_count = models.PositiveIntegerField(_("使用次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = verbose_name_plural = "话术"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "code"],
                condition=Q(shop__isnull=False),
                name="unique_script_code_per_shop",
            ),
            models.UniqueConstraint(
                fields=["team", "code"],
                condition=Q(shop__isnull=True),
                name="unique_team_wide_script_code",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "shop", "category", "position"]),
        ]

    def __str__(self):
        return f"{self.title} (/{self.code})"

    @property
    def is_team_wide(self) -> bool:
        return self.shop_id is None


class ReplyScriptVersion(models.Model):
    """What a script said at each saved version, who wrote it and when."""

    script = models.ForeignKey(ReplyScript, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    category = models.CharField(_("分类"), max_length=20, choices=ScriptCategory.choices)
    title = models.CharField(_("标题"), max_length=60)
    code = models.CharField(_("快捷码"), max_length=20)
    body = models.TextField(_("内容"))
    is_active = models.BooleanField(_("启用"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("保存时间"))

    class Meta:
        verbose_name = verbose_name_plural = "话术版本"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["script", "number"], name="unique_script_version")
        ]


class ScriptUsage(models.Model):
    """How often one agent used one script (a counter, kept up to date on each use)."""

    script = models.ForeignKey(ReplyScript, on_delete=models.CASCADE, related_name="usages")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="script_usages"
    )
    count = models.PositiveIntegerField(_("使用次数"), default=0)
    last_used_at = models.DateTimeField(_("最近使用"))

    class Meta:
        verbose_name = verbose_name_plural = "话术使用统计"
        constraints = [
            models.UniqueConstraint(fields=["script", "agent"], name="unique_script_usage")
        ]
