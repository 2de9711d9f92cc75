"""One record of the file → the model values it carries, or the messages saying why not."""

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from orders.states import OrderState

from .columns import Layout
from .errors import FieldError
from .parsing import unwrap

COD_STATES = frozenset(
    {
        OrderState.COD_WAITING_CONFIRM,
        OrderState.COD_CONFIRMED,
        OrderState.COD_SHIPPED,
        OrderState.COD_SIGNED,
        OrderState.COD_SETTLED,
    }
)


@dataclass(slots=True)
class Row:
    line: int
    order_id: str = ""
    key: str = ""
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_row(layout: Layout, line: int, cells: list[str]) -> Row:
    """Parse every known column; a cell that cannot be read adds a message, the others
    are still read so the employee learns all that is wrong with the line at once."""
    row = Row(line=line)
    values = row.values
    if len(cells) < layout.width:
        cells = cells + [""] * (layout.width - len(cells))
    for index, name, parse, prefix, limit in layout.readers:
        try:
            value = parse(cells[index])
        except FieldError as error:
            row.errors.append(f"{prefix}{error}")
            continue
        values[name] = value[:limit] if limit and len(value) > limit else value
    row.order_id = values.pop("order_id", "") or ""
    extra = values["extra"] = {}
    for index, name in layout.extra:
        value = cells[index].strip()
        if value:
            extra[name] = unwrap(value) if value[0] == "=" else value
    return row


def finish_order(row: Row) -> None:
    """Derived fields; the address is split later for the whole chunk."""
    values = row.values
    row.key = row.order_id
    if "shipping_method" in values or "state" in values:
        values["is_cod"] = (
            "货到付款" in values.get("shipping_method", "") or values.get("state") in COD_STATES
        )


def line_key(values: dict) -> str:
    """The item report has no line id. The platform merges identical goods into one line,
    so 商家编码 + 标题 + 商品属性 + 套餐信息 identify a line within its order; price,
    quantity and note are values a later export may change."""
    identity = "\x1f".join(
        values.get(name, "") for name in ("sku_code", "title", "properties", "package")
    )
    return hashlib.sha1(identity.encode(), usedforsecurity=False).hexdigest()[:20]


def finish_item(row: Row) -> None:
    values = row.values
    values.pop("extra", None)
    values.pop("state", None)
    values["line_key"] = line_key(values)
    row.key = f"{row.order_id}:{values['line_key']}"
    if values.get("price") is None and not row.errors:
        row.errors.append(_("价格：缺少价格"))
