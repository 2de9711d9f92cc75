"""SKUs with the stock the helpdesk keeps, and buyers waiting for one to be back."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .buyers import Buyer
from .orders import MONEY


class Sku(models.Model):
    """A product variant the shop keeps stock figures for in the helpdesk."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="skus")
    code = models.CharField(_("商家编码"), max_length=64)
    title = models.CharField(_("商品"), max_length=200)
    properties = models.CharField(_("规格"), max_length=200, blank=True)
    price = models.DecimalField(_("价格"), **MONEY)
    stock = models.IntegerField(_("库存"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = "商品库存"
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="unique_sku_code_per_shop")
        ]

    def __str__(self):
        return f"{self.title} {self.properties}".strip()


class StockWish(models.Model):
    """A buyer asked to be told when an out-of-stock SKU is back (到货通知)."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="stock_wishes")
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="wishes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "sku"],
                condition=models.Q(notified_at__isnull=True),
                name="one_waiting_wish_per_buyer_and_sku",
            )
        ]
