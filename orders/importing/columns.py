"""Which header names mean which field, for each export layout.

Export versions rename, append and insert columns, so columns are matched by name (after
trimming stray spaces) through an alias table, never by position. A header the table does
not know is kept with the order in ``Order.extra`` under its own name.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from orders.models import ImportKind, Order, OrderItem

from .errors import ImportFatal
from .parsing import PARSERS

# field -> (header names, kind of value). The first name is the one messages use.
ORDER_COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "order_id": (("订单编号", "订单号", "主订单编号"), "id"),
    "buyer_nick": (("买家会员名", "买家昵称"), "text"),
    "goods_amount": (("买家应付货款", "应付货款"), "money"),
    "postage": (("买家应付邮费", "应付邮费"), "money"),
    "total_amount": (("总金额", "订单金额"), "money"),
    "paid_amount": (("买家实际支付金额", "买家实付金额", "实付金额"), "money"),
    "state": (("订单状态",), "state"),
    "buyer_message": (("买家留言",), "text"),
    "receiver_name": (("收货人姓名", "收货人"), "text"),
    "address": (("收货地址",), "text"),
    "shipping_method": (("运送方式",), "text"),
    "phone": (("联系电话",), "phone"),
    "mobile": (("联系手机", "手机号码"), "phone"),
    "ordered_at": (("订单创建时间", "下单时间", "创建时间"), "time"),
    "paid_at": (("订单付款时间", "付款时间"), "time"),
    "shipped_at": (("发货时间",), "time"),
    "received_at": (("确认收货时间",), "time"),
    "item_title": (("宝贝标题", "商品标题"), "text"),
    "item_count": (("宝贝总数量", "商品数量", "宝贝数量"), "count"),
    "tracking_number": (("物流单号", "运单号"), "code"),
    "courier": (("物流公司",), "text"),
    "platform_memo": (("订单备注", "商家备注"), "text"),
    "close_reason": (("订单关闭原因",), "text"),
    "shop_name": (("店铺名称",), "text"),
}

ITEM_COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "order_id": (("订单编号", "订单号", "主订单编号"), "id"),
    "title": (("标题", "商品标题", "宝贝标题"), "text"),
    "price": (("价格", "单价", "商品单价"), "money"),
    "quantity": (("购买数量", "数量"), "count"),
    "external_code": (("外部系统编号",), "code"),
    "properties": (("商品属性", "销售属性"), "text"),
    "package": (("套餐信息",), "text"),
    "note": (("备注",), "text"),
    "state": (("订单状态",), "state"),
    "sku_code": (("商家编码", "商家编码(SKU)"), "code"),
}

REQUIRED = {
    ImportKind.ORDERS: ("order_id", "state"),
    ImportKind.ITEMS: ("order_id", "title", "price", "quantity"),
}

# Headers only the item report has, and headers only the order report has.
ITEM_MARKERS = {"购买数量", "套餐信息", "外部系统编号", "商品属性"}
ORDER_MARKERS = {"收货地址", "总金额", "买家实际支付金额", "买家实付金额", "买家应付货款"}

SELF_NAMED_KINDS = {"id", "state"}
TEXT_KINDS = {"text", "code", "phone"}
_TRIM = " \t\r\n\u3000\ufeff\u200b\"'"


def clean_header(name: str) -> str:
    return name.strip(_TRIM)


@dataclass(frozen=True)
class Column:
    index: int
    field: str
    kind: str
    header: str


@dataclass(frozen=True)
class Layout:
    """The columns of one file: the fields found (with their index and value kind) and
    the unknown headers to keep in ``extra``."""

    kind: str
    columns: tuple[Column, ...]
    extra: tuple[tuple[int, str], ...]

    @functools.cached_property
    def readers(self) -> tuple[tuple[int, str, Callable, str, int | None], ...]:
        """(index, field, parser, message prefix, length limit) per known column: what
        ``read_row`` runs on every record, worked out once per file. Messages that
        already name their column get no prefix; text longer than its model field is
        cut to fit."""
        model = OrderItem if self.kind == ImportKind.ITEMS else Order
        limits = {
            field.attname: field.max_length
            for field in model._meta.fields
            if field.get_internal_type() in ("CharField", "TextField") and field.max_length
        }
        return tuple(
            (
                column.index,
                column.field,
                PARSERS[column.kind],
                "" if column.kind in SELF_NAMED_KINDS else f"{column.header}：",
                limits.get(column.field) if column.kind in TEXT_KINDS else None,
            )
            for column in self.columns
        )

    @functools.cached_property
    def width(self) -> int:
        """The number of cells a record needs for every known column to be present."""
        return 1 + max([column.index for column in self.columns] + [i for i, _ in self.extra])

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(column.field for column in self.columns)


def detect_kind(headers: list[str]) -> str:
    names = set(headers)
    if names & ITEM_MARKERS and not names & ORDER_MARKERS:
        return ImportKind.ITEMS
    return ImportKind.ORDERS


def layout_for(header: list[str], kind: str | None = None) -> Layout:
    """Match the header row; raise ImportFatal naming any required column that is missing."""
    headers = [clean_header(name) for name in header]
    kind = kind or detect_kind(headers)
    table = ITEM_COLUMNS if kind == ImportKind.ITEMS else ORDER_COLUMNS
    field_by_name = {name: field for field, (names, _kind) in table.items() for name in names}
    columns: dict[str, Column] = {}
    extra = []
    for index, name in enumerate(headers):
        field = field_by_name.get(name)
        if field and field not in columns:
            columns[field] = Column(index, field, table[field][1], table[field][0][0])
        elif name and name not in field_by_name:
            extra.append((index, name))
    missing = [table[field][0][0] for field in REQUIRED[kind] if field not in columns]
    if missing:
        raise ImportFatal(
            _("表头缺少必需的列：%(columns)s。请确认导出的是%(report)s。")
            % {
                "columns": "、".join(missing),
                "report": _("宝贝报表") if kind == ImportKind.ITEMS else _("订单报表"),
            }
        )
    return Layout(kind=kind, columns=tuple(columns.values()), extra=tuple(extra))
