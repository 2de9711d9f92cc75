"""The buyer file (客户档案)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Buyer(models.Model):
    """The buyer file (客户档案) of one shop, keyed by the buyer's platform nick."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="buyers")
    nick = models.CharField(_("买家昵称"), max_length=64)
    is_vip = models.BooleanField("VIP", default=False)
    is_malicious = models.BooleanField(_("恶意买家"), default=False)
    opted_out = models.BooleanField(_("拒收消息"), default=False)
    height_cm = models.PositiveSmallIntegerField(_("身高(cm)"), null=True, blank=True)
    weight_kg = models.DecimalField(
        _("体重(kg)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    size = models.CharField(_("尺码"), max_length=20, blank=True)
    style = models.CharField(_("风格偏好"), max_length=100, blank=True)
    notes = models.TextField(_("备注"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "客户档案"
        constraints = [
            models.UniqueConstraint(fields=["shop", "nick"], name="unique_buyer_nick_per_shop")
        ]

    def __str__(self):
        return self.nick
