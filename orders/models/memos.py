"""Seller memos (卖家备注) on an order."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Order


class MemoFlag(models.TextChoices):
    RED = "red", _("红旗")
    YELLOW = "yellow", _("黄旗")
    GREEN = "green", _("绿旗")
    BLUE = "blue", _("蓝旗")
    PURPLE = "purple", _("紫旗")


class Memo(models.Model):
    """A seller memo (卖家备注): flag, reason, work number and time, for whoever packs it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="memos")
    flag = models.CharField(
        _("旗帜"), max_length=10, choices=MemoFlag.choices, default=MemoFlag.RED
    )
    reason = models.CharField(_("原因"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    work_number = models.CharField(_("工号"), max_length=20, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"[{self.get_flag_display()}] {self.reason} ({self.work_number})"
