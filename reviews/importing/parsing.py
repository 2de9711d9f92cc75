"""Reading a review export: columns by name with aliases, each row parsed or refused with
its line, 好评 rows set aside as good reviews, a review listed twice refused."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from helpdesk.spreadsheets.errors import SheetUnreadable, refusals_as
from helpdesk.spreadsheets.reading import small_export, unwrap_cell

from ..errors import ReviewError
from ..models import Rating

SHANGHAI = ZoneInfo("Asia/Shanghai")

COLUMNS: dict[str, list[str]] = {
    "order_id": ["订单编号", "订单号", "主订单编号", "order_id"],
    "nick": ["买家昵称", "买家会员名", "会员名", "评价人", "nick"],
    "rating": ["评价结果", "评价等级", "评价类型", "评价", "rating"],
    "text": ["评价内容", "评论内容", "内容", "text"],
    "reviewed_at": ["评价时间", "评论时间", "时间", "reviewed_at"],
    "external_id": ["评价ID", "评价编号", "评论ID", "review_id"],
    "item_title": ["宝贝标题", "商品标题", "宝贝名称", "item_title"],
    "dsr_description": ["描述相符", "宝贝与描述相符", "dsr_description"],
    "dsr_service": ["服务态度", "卖家服务态度", "dsr_service"],
    "dsr_logistics": ["物流服务", "发货速度", "物流服务质量", "dsr_logistics"],
}
REQUIRED = ["order_id", "nick", "rating", "text", "reviewed_at"]
RATINGS = {
    "中评": Rating.NEUTRAL,
    "中": Rating.NEUTRAL,
    "neutral": Rating.NEUTRAL,
    "0": Rating.NEUTRAL,
    "差评": Rating.NEGATIVE,
    "差": Rating.NEGATIVE,
    "negative": Rating.NEGATIVE,
    "-1": Rating.NEGATIVE,
}
POSITIVE = {"好评", "好", "positive", "1"}
SKIP = "skip"
ORDER_ID = re.compile(r"\d{16,19}")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")
TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"]


class ImportFatal(ReviewError, SheetUnreadable):
    """The file as a whole cannot be imported; nothing was written. ``report`` carries the
    row errors found so far (all of them under ``strict``), so the upload page lists them."""


class RowError(ValueError):
    pass


@dataclass
class ReviewRow:
    order_id: str
    nick: str
    rating: str
    reviewed_at: datetime
    text: str = ""
    external_id: str = ""
    item_title: str = ""
    dsr_description: int | None = None
    dsr_service: int | None = None
    dsr_logistics: int | None = None
    line: int = 0


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    good_reviews: dict[str, datetime] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": self.errors,
        }


def _columns(header: list[str]) -> dict[str, int]:
    names = [name.strip().lstrip("\ufeff") for name in header]
    found = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise ImportFatal(_("缺少必需的列：%(cols)s。") % {"cols": "、".join(missing)})
    return found


def clean_order_id(value: str) -> str:
    value = unwrap_cell(value).lstrip("'")
    if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", value):
        raise RowError(_("订单编号“%(v)s”已被 Excel 改成科学计数法，丢失了位数。") % {"v": value})
    if not ORDER_ID.fullmatch(value):
        raise RowError(_("订单编号“%(v)s”不是 16–19 位数字。") % {"v": value})
    return value


def parse_rating(value: str) -> str:
    value = value.strip()
    if value in RATINGS:
        return RATINGS[value]
    if value in POSITIVE:
        return SKIP
    raise RowError(_("评价结果“%(v)s”无法识别（应为 中评 或 差评）。") % {"v": value})


def parse_time(value: str) -> datetime:
    value = value.strip()
    if ISO_TIME.fullmatch(value):
        return datetime.fromisoformat(value).replace(tzinfo=SHANGHAI)
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    raise RowError(_("评价时间“%(v)s”格式应为 2026-11-23 10:30:00。") % {"v": value})


def parse_dsr(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value not in {"1", "2", "3", "4", "5"}:
        raise RowError(_("%(label)s评分“%(v)s”应为 1–5。") % {"label": label, "v": value})
    return int(value)


def _row(values: list[str], columns: dict[str, int], line: int) -> ReviewRow | None:
    def get(key: str) -> str:
        index = columns.get(key)
        return values[index].strip() if index is not None and index < len(values) else ""

    rating = parse_rating(get("rating"))
    if rating == SKIP:
        return _good_review(get)
    nick = get("nick")
    if not nick:
        raise RowError(_("缺少买家昵称。"))
    text = get("text")
    if len(text) > 2000:
        raise RowError(_("评价内容超过 2000 字。"))
    return ReviewRow(
        order_id=clean_order_id(get("order_id")),
        nick=nick[:64],
        rating=rating,
        reviewed_at=parse_time(get("reviewed_at")),
        text=text,
        external_id=get("external_id")[:64],
        item_title=get("item_title")[:500],
        dsr_description=parse_dsr(get("dsr_description"), "描述相符"),
        dsr_service=parse_dsr(get("dsr_service"), "服务态度"),
        dsr_logistics=parse_dsr(get("dsr_logistics"), "物流服务"),
        line=line,
    )


def _good_review(get) -> tuple[str, datetime] | None:
    """(order id, review time) of a 好评 row, or None when either is unreadable (the row is
    skipped either way, so a 好评 row never becomes a row error)."""
    try:
        return clean_order_id(get("order_id")), parse_time(get("reviewed_at"))
    except RowError:
        return None


def read_rows(data: bytes, report: ImportReport) -> list[ReviewRow]:
    """Parse the file (CSV or XLSX); row errors go into ``report``, fatal ones raise
    ImportFatal."""
    rows, seen = [], {}
    with refusals_as(ImportFatal), small_export(data) as (header, records):
        columns = _columns(header)
        for start, values in records:
            try:
                row = _row(values, columns, start)
            except RowError as error:
                report.errors.append({"line": start, "message": str(error)})
                continue
            if not isinstance(row, ReviewRow):
                report.skipped += 1
                if row is not None:
                    order_id, reviewed_at = row
                    report.good_reviews.setdefault(order_id, reviewed_at)
                continue
            key = _key(row)
            if key in seen:
                report.errors.append(
                    {"line": start, "message": _("与第 %(n)d 行是同一条评价。") % {"n": seen[key]}}
                )
                continue
            seen[key] = start
            rows.append(row)
    return rows


def _key(row: ReviewRow) -> tuple:
    return ("id", row.external_id) if row.external_id else ("at", row.order_id, row.reviewed_at)
