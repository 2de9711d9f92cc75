from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.keyset import Keyset

from .states import OrderState

# The orders list's pages: newest first by 订单创建时间; orders without one come last.
ORDER_PAGES = Keyset(name="orders", field="ordered_at", nullable=True)

MONEY = {"max_digits": 12, "decimal_places": 2}


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


class ProblemCategory(models.TextChoices):
    ADDRESS_CHANGE = "address_change", _("改地址")
    ADDRESS_UNCLEAR = "address_unclear", _("地址不详")
    OUT_OF_AREA = "out_of_area", _("超区")
    OUT_OF_STOCK = "out_of_stock", _("缺货")
    SHIPPING_CONDITION = "shipping_condition", _("不满足包邮")
    MESSAGE_UNMET = "message_unmet", _("留言无法满足")
    DUPLICATE_ORDERS = "duplicate_orders", _("重复/多地址订单")
    COD_CONFIRM = "cod_confirm", _("货到付款确认")
    LOGISTICS_DELAY = "logistics_delay", _("物流超时")
    LOGISTICS_STUCK = "logistics_stuck", _("物流滞留")
    LOGISTICS_LOST = "logistics_lost", _("丢件")
    LOGISTICS_REFUSED = "logistics_refused", _("拒收")
    LOGISTICS_CONFISCATED = "logistics_confiscated", _("安检没收")


class ProblemState(models.TextChoices):
    OPEN = "open", _("待处理")
    CONTACTING = "contacting", _("联系中")
    WAITING_BUYER = "waiting_buyer", _("等待买家")
    RESOLVED = "resolved", _("已解决")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_PROBLEM_STATES = [ProblemState.OPEN, ProblemState.CONTACTING, ProblemState.WAITING_BUYER]


class CancelReason(models.TextChoices):
    """Why a problem was closed without being worked to a result."""

    NOT_A_PROBLEM = "not_a_problem", _("无需处理")
    ORDER_CLOSED = "order_closed", _("订单已关闭")
    BUYER_CANCELLED = "buyer_cancelled", _("买家取消")
    DUPLICATE = "duplicate", _("重复问题")
    OTHER = "other", _("其他")


class Problem(models.Model):
    """An in-sale problem order (问题订单) in one category, worked from the queue."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="problems")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="problems")
    category = models.CharField(_("类别"), max_length=24, choices=ProblemCategory.choices)
    state = models.CharField(
        _("状态"), max_length=16, choices=ProblemState.choices, default=ProblemState.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(_("处理记录"), default=dict, blank=True)
    resolution = models.CharField(_("结果"), max_length=300, blank=True)
    cancel_reason = models.CharField(
        _("取消原因"), max_length=20, choices=CancelReason.choices, blank=True
    )
    opened_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题订单"
        constraints = [
            models.UniqueConstraint(
                fields=["order", "category"],
                condition=models.Q(state__in=["open", "contacting", "waiting_buyer"]),
                name="one_active_problem_per_order_and_category",
            )
        ]
        indexes = [
            models.Index(fields=["shop", "state", "due_at"]),
            models.Index(fields=["shop", "category", "state"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(
                fields=["shop", "due_at"],
                condition=models.Q(state__in=["open", "contacting", "waiting_buyer"]),
                name="active_problem_queue",
            ),
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(state__in=["open", "contacting", "waiting_buyer"]),
                name="active_problem_due_order",
            ),
            models.Index(fields=["shop", "closed_at"]),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.order.order_id}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_PROBLEM_STATES


class CourierRequestKind(models.TextChoices):
    REDIRECT = "redirect", _("改签（改派地址）")
    WITHDRAW = "withdraw", _("撤件（拦截退回）")


class CourierRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("已提交快递")
    DONE = "done", _("快递已处理")
    FAILED = "failed", _("拦截失败")


class CourierRequest(models.Model):
    """An address change after shipping: the courier is asked to redirect or withdraw the
    parcel (改签/撤件). The agent files it with the courier and records the answer here."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="courier_requests")
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="courier_requests"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=CourierRequestKind.choices)
    courier = models.CharField(_("物流公司"), max_length=40, blank=True)
    tracking_number = models.CharField(_("物流单号"), max_length=40, blank=True)
    new_address = models.CharField(_("新地址"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CourierRequestStatus.choices,
        default=CourierRequestStatus.REQUESTED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class ProblemDigest(models.Model):
    """The problem-order report a shop gets every few hours (问题订单汇总).

    One per shop and time slot (``slot_start``): building it twice for a slot is a no-op.
    ``counts`` and ``rows`` are a snapshot of the active problems; ``changes`` compares
    with the previous digest (opened, closed, per category)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    slot_start = models.DateTimeField()
    created_at = models.DateTimeField()
    since = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    rows = models.JSONField(default=list)
    changes = models.JSONField(default=dict)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-slot_start"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "slot_start"], name="one_digest_per_slot")
        ]

    def __str__(self):
        return f"{self.shop_id} {self.slot_start:%Y-%m-%d %H:%M}"


class ImportKind(models.TextChoices):
    ORDERS = "orders", _("订单报表")
    ITEMS = "items", _("宝贝报表")
    REFUNDS = "refunds", _("退款报表")
    REVIEWS = "reviews", _("评价报表")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportRun(models.Model):
    """One upload of a platform export, worked by a Celery task; the page polls it."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    file_name = models.CharField(max_length=200)
    stored_path = models.CharField(max_length=300)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["shop", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"
