"""Orders as the platform's reports describe them: the order, its item lines, its history."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.keyset import Keyset

from ..states import OrderState
from .buyers import Buyer

# The orders list's pages: newest first by 订单创建时间; orders without one come last.
ORDER_PAGES = Keyset(name="orders", field="ordered_at", nullable=True)

MONEY = {"max_digits": 12, "decimal_places": 2}


class Order(models.Model):
    """An order as the platform's order report describes it (one row of 订单报表).

    The two foreign keys have no index of their own: the unique (shop, order_id) and the
    (buyer, -ordered_at) indexes serve every lookup by them, and each index is written
    by every imported row."""

    shop = models.ForeignKey(
        "accounts.Shop", on_delete=models.CASCADE, related_name="orders", db_index=False
    )
    order_id = models.CharField(_("订单编号"), max_length=19)
    buyer = models.ForeignKey(
        Buyer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
        db_index=False,
    )
    buyer_nick = models.CharField(_("买家会员名"), max_length=64, blank=True)
    state = models.CharField(_("订单状态"), max_length=24, choices=OrderState.choices)
    goods_amount = models.DecimalField(_("买家应付货款"), null=True, blank=True, **MONEY)
    postage = models.DecimalField(_("买家应付邮费"), null=True, blank=True, **MONEY)
    total_amount = models.DecimalField(_("总金额"), null=True, blank=True, **MONEY)
    paid_amount = models.DecimalField(_("买家实际支付金额"), null=True, blank=True, **MONEY)
    buyer_message = models.TextField(_("买家留言"), blank=True)
    receiver_name = models.CharField(_("收货人姓名"), max_length=64, blank=True)
    address = models.CharField(_("收货地址"), max_length=300, blank=True)
    province = models.CharField(_("省"), max_length=32, blank=True)
    city = models.CharField(_("市"), max_length=32, blank=True)
    district = models.CharField(_("区"), max_length=32, blank=True)
    address_detail = models.CharField(_("详细地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮编"), max_length=10, blank=True)
    shipping_method = models.CharField(_("运送方式"), max_length=40, blank=True)
    is_cod = models.BooleanField(_("货到付款"), default=False)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    mobile = models.CharField(_("联系手机"), max_length=32, blank=True)
    ordered_at = models.DateTimeField(_("订单创建时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("订单付款时间"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("确认收货时间"), null=True, blank=True)
    item_title = models.CharField(_("宝贝标题"), max_length=500, blank=True)
    item_count = models.PositiveIntegerField(_("宝贝总数量"), default=0)
    tracking_number = models.CharField(_("物流单号"), max_length=40, blank=True)
    courier = models.CharField(_("物流公司"), max_length=40, blank=True)
    platform_memo = models.TextField(_("订单备注"), blank=True)
    close_reason = models.CharField(_("订单关闭原因"), max_length=200, blank=True)
    extra = models.JSONField(_("其他列"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "订单"
        constraints = [
            models.UniqueConstraint(fields=["shop", "order_id"], name="unique_order_id_per_shop")
        ]
        indexes = [
            models.Index(fields=["shop", "state", "ordered_at"]),
            models.Index(fields=["shop", "-ordered_at"]),
            models.Index(fields=["buyer", "-ordered_at"]),
            models.Index(fields=["shop", "paid_at"]),
            ORDER_PAGES.index("shop", name="order_shop_newest"),
            # a user of several shops: shop_id IN (…) cannot walk the per-shop index in order
            ORDER_PAGES.index(name="order_newest"),
            models.Index(fields=["shop", "shipped_at"]),
            models.Index(
                fields=["shop", "buyer_nick"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="order_buyer_nick_prefix",
            ),
        ]

    def __str__(self):
        return self.order_id


class OrderItem(models.Model):
    """One line of the item report (宝贝报表)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    line_key = models.CharField(max_length=64)
    title = models.CharField(_("标题"), max_length=500)
    price = models.DecimalField(_("价格"), **MONEY)
    quantity = models.PositiveIntegerField(_("购买数量"))
    external_code = models.CharField(_("外部系统编号"), max_length=64, blank=True)
    properties = models.CharField(_("商品属性"), max_length=300, blank=True)
    package = models.CharField(_("套餐信息"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    sku_code = models.CharField(_("商家编码"), max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "line_key"], name="unique_order_line")
        ]


class OrderStateChange(models.Model):
    """The order's history as successive imports saw it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(max_length=24, choices=OrderState.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=OrderState.choices)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]
