"""Parsers for one cell each. They raise FieldError with a message a shop employee
understands; the caller prefixes the column name and the line.

Quirks of real exports handled here: ids and numbers written ``="…"`` so Excel keeps
every digit, phones with a leading ``'``, amounts like ``0元``, times as
``YYYY-MM-DD HH:MM:SS`` or ``YYYY/M/D H:MM`` in Asia/Shanghai.
"""

import functools
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from helpdesk.spreadsheets.reading import unwrap_cell as unwrap
from orders.states import state_for_text

from .errors import FieldError

SHANGHAI = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")

_ID = re.compile(r"\d{16,19}")
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")
_TIME = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")
MEMO_LIMIT = 10_000
_EMPTY_TIMES = {"", "null", "NULL", "-", "--", "0000-00-00 00:00:00"}


parse_text = unwrap  # the cell's text as it is, once its wrappers are off


def parse_code(value: str) -> str:
    """Tracking numbers and merchant codes: like text, without a leading apostrophe."""
    return unwrap(value).lstrip("'\t").strip()


parse_phone = parse_code


def parse_order_id(value: str) -> str:
    value = parse_code(value)
    if _ID.fullmatch(value):
        return value
    if not value:
        raise FieldError(_("缺少订单编号"))
    if _SCIENTIFIC.fullmatch(value):
        raise FieldError(
            _(
                "订单编号“%(value)s”已被 Excel 改成科学计数法，后几位数字已经丢失；"
                "请用平台原始导出文件重新导入"
            )
            % {"value": value}
        )
    raise FieldError(_("订单编号“%(value)s”不是 16 到 19 位数字") % {"value": value})


def _memoized(parse):
    """Cache a parser's results by cell text: a shop's amounts, quantities and state texts
    repeat thousands of times in one export. Failures are not cached (they raise)."""
    results: dict[str, object] = {}

    @functools.wraps(parse)
    def cached(value: str):
        try:
            return results[value]
        except KeyError:
            result = parse(value)
            if len(results) < MEMO_LIMIT:
                results[value] = result
            return result

    return cached


@_memoized
def parse_money(value: str) -> Decimal | None:
    text = unwrap(value).removesuffix("元").lstrip("¥￥").replace(",", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise FieldError(_("“%(value)s”不是金额") % {"value": value.strip()}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise FieldError(_("“%(value)s”不是有效的金额") % {"value": value.strip()})
    if amount != amount.quantize(CENT):
        raise FieldError(_("金额“%(value)s”超过两位小数") % {"value": value.strip()})
    return amount.quantize(CENT)


@_memoized
def parse_count(value: str) -> int:
    text = unwrap(value).removesuffix("件").strip()
    if not text:
        return 0
    if not text.isdigit() or len(text) > 9:
        raise FieldError(_("“%(value)s”不是数量（应为整数）") % {"value": value.strip()})
    return int(text)


def parse_time(value: str) -> datetime | None:
    text = unwrap(value)
    if text in _EMPTY_TIMES:
        return None
    if len(text) == 19 and text[4] == "-" and text[10] == " " and text.isascii():
        try:  # the usual YYYY-MM-DD HH:MM:SS at C speed; Shanghai has kept +08:00 since 1991
            return datetime.fromisoformat(text + "+08:00")
        except ValueError:
            pass
    match = _TIME.fullmatch(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
        try:
            return datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                tzinfo=SHANGHAI,
            )
        except ValueError:
            pass
    raise FieldError(
        _("时间“%(value)s”无法识别（应为 2026-11-23 10:30:00 或 2026/11/23 10:30）")
        % {"value": value.strip()}
    )


@_memoized
def parse_state(value: str) -> str:
    text = unwrap(value)
    state = state_for_text(text)
    if state is None:
        if not text:
            raise FieldError(_("缺少订单状态"))
        raise FieldError(_("订单状态“%(value)s”无法识别") % {"value": text})
    return state.value


PARSERS = {
    "id": parse_order_id,
    "text": parse_text,
    "code": parse_code,
    "phone": parse_phone,
    "money": parse_money,
    "count": parse_count,
    "time": parse_time,
    "state": parse_state,
}
