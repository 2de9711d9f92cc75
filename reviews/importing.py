"""The shop's review export (评价报表) into reviews, and the upsert the API shares.

Decisions (the issue is silent on them):
- Columns are matched by name after trimming spaces, with aliases (COLUMNS). Required:
  order id, buyer nick, rating, review time, review text (the text may be empty).
- Read by helpdesk.spreadsheets.reading.Source, as every import is: CSV or XLSX by
  content, encoding detected (UTF-8 with or without BOM, else GB18030, a superset of GBK),
  XLSX size guards. The whole file is read at once: review exports are small (a shop
  gets hundreds of neutral/negative reviews a month, not hundreds of thousands).
- Only 中评 and 差评 are the specialists' work: 好评 rows are counted as ``skipped``, and
  their order ids are recorded as GoodReview (so the after-receipt message thanks only a
  buyer whose good review exists). Any other rating text is a row error.
- A review is the same review when the export's review id matches, or, without a review
  id, when (order id, review time) match; a review stored without an id adopts the id of
  a later export's row with the same order and time. Re-importing changes nothing; a later export
  updates rating, text, DSR scores and item title, never the workflow state.
- Row errors name the line the record starts on (header = line 1); the valid rows are
  imported. Fatal errors (unreadable file, missing column) write nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Shop
from accounts.permissions import require
from audit.services import audit
from helpdesk.spreadsheets.errors import SheetUnreadable, refusals_as
from helpdesk.spreadsheets.reading import small_export, unwrap_cell
from orders.importing.uploads import upload_bytes
from orders.models import Buyer, Order
from teamwork.events import review_events

from .deadlines import review_due_at
from .errors import ReviewError
from .models import GoodReview, Rating, Review

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
UPDATABLE = [
    "external_id",
    "rating",
    "text",
    "item_title",
    "dsr_description",
    "dsr_service",
    "dsr_logistics",
    "buyer_id",
    "order_id",
]


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


def _buyer_ids(shop: Shop, rows: list[ReviewRow]) -> dict[str, int]:
    """Buyer ids by nick, creating the buyer files that do not exist yet."""
    nicks = {row.nick for row in rows}
    ids = dict(Buyer.objects.filter(shop=shop, nick__in=nicks).values_list("nick", "pk"))
    missing = nicks - ids.keys()
    if missing:
        Buyer.objects.bulk_create(
            [Buyer(shop=shop, nick=nick) for nick in missing], ignore_conflicts=True
        )
        ids.update(Buyer.objects.filter(shop=shop, nick__in=missing).values_list("nick", "pk"))
    return ids


@transaction.atomic
def reviews_upsert(
    *, actor, shop: Shop, rows: list[ReviewRow], now: datetime, report: ImportReport
) -> list[Review]:
    """Create or update reviews of ``shop`` from parsed rows in one transaction, with a
    fixed number of queries whatever the row count. The caller checked permission."""
    if not rows:
        return []
    orders = {
        o.order_id: o
        for o in Order.objects.filter(shop=shop, order_id__in={r.order_id for r in rows})
    }
    buyer_ids = _buyer_ids(shop, rows)
    ids = [r.external_id for r in rows if r.external_id]
    by_id, by_time = {}, {}
    for review in (
        Review.objects.filter(shop=shop)
        .filter(_matching(ids, [(r.order_id, r.reviewed_at) for r in rows]))
        .select_for_update()
    ):
        if review.external_id:
            by_id[review.external_id] = review
        by_time.setdefault((review.platform_order_id, review.reviewed_at), []).append(review)
    new, changed, result = [], [], []
    for row in rows:
        order = orders.get(row.order_id)
        values = {
            "rating": row.rating,
            "text": row.text,
            "item_title": row.item_title,
            "dsr_description": row.dsr_description,
            "dsr_service": row.dsr_service,
            "dsr_logistics": row.dsr_logistics,
            "buyer_id": buyer_ids[row.nick],
            "order_id": order.pk if order else None,
        }
        review = _match(row, by_id, by_time)
        if review is not None and review.external_id != row.external_id and row.external_id:
            values["external_id"] = row.external_id
        if review is None:
            review = Review(
                shop=shop,
                platform_order_id=row.order_id,
                external_id=row.external_id,
                reviewed_at=row.reviewed_at,
                created_at=now,
                state_changed_at=now,
                due_at=review_due_at(shop, now),
                **values,
            )
            new.append(review)
            report.created += 1
        elif any(getattr(review, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(review, name, value)
            changed.append(review)
            report.updated += 1
        else:
            report.unchanged += 1
        result.append(review)
    Review.objects.bulk_create(new, batch_size=500)
    review_events(new, now=now)
    Review.objects.bulk_update(changed, UPDATABLE, batch_size=500)
    if new or changed:
        audit(
            actor,
            "reviews.imported",
            shop,
            changes={"created": [None, len(new)], "updated": [None, len(changed)]},
            now=now,
        )
    return result


def good_reviews_record(*, shop: Shop, good_reviews: dict[str, datetime], now: datetime) -> None:
    """Record the 好评 of these order ids (an order already recorded keeps its first one).
    The caller checked permission and holds the import's transaction."""
    GoodReview.objects.bulk_create(
        [
            GoodReview(shop=shop, platform_order_id=order_id, reviewed_at=at, created_at=now)
            for order_id, at in good_reviews.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def _match(row: ReviewRow, by_id: dict, by_time: dict) -> Review | None:
    """The stored review a row describes. With a review id: that id, else a review of the
    same order and time stored without an id (imported from an older export; it gets the
    id now). Without one: the single review of that order and time."""
    if row.external_id and row.external_id in by_id:
        return by_id[row.external_id]
    same_time = by_time.get((row.order_id, row.reviewed_at), [])
    if row.external_id:
        unnamed = [review for review in same_time if not review.external_id]
        return unnamed[0] if unnamed else None
    return same_time[0] if len(same_time) == 1 else None


def _matching(ids: list[str], order_times: list[tuple[str, datetime]]) -> Q:
    """Candidates for the rows' reviews (a superset; exact matching is by key)."""
    query = Q(external_id__in=ids) if ids else Q(pk__in=[])
    if order_times:
        query |= Q(
            platform_order_id__in={order_id for order_id, _ in order_times},
            reviewed_at__in={at for _, at in order_times},
        )
    return query


class DryRun(Exception):
    """Raised inside the import transaction to roll back a dry run."""


def reviews_import(
    *, actor, shop: Shop, data: bytes, now: datetime, dry_run: bool = False, strict: bool = False
) -> ImportReport:
    """Import a review export file. Raises ImportFatal (nothing written) for a file that
    cannot be read, or for any row error when ``strict``."""
    report = ImportReport()
    rows = read_rows(data, report)
    if strict and report.errors:
        first = report.errors[0]
        raise ImportFatal(
            _("第 %(line)d 行：%(message)s（--strict：未导入任何数据）") % first, report=report
        )
    try:
        with transaction.atomic():
            reviews_upsert(actor=actor, shop=shop, rows=rows, now=now, report=report)
            good_reviews_record(shop=shop, good_reviews=report.good_reviews, now=now)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return report


def reviews_import_upload(
    *,
    actor,
    shop: Shop,
    upload: UploadedFile,
    now: datetime,
    dry_run: bool = False,
    strict: bool = False,
) -> ImportReport:
    """The upload page's import: the same ``reviews_import`` as the command, for a file a
    review specialist uploaded (CSV or XLSX, size and content checked first)."""
    require(actor, "reviews.work", shop)
    data = upload_bytes(upload)
    return reviews_import(
        actor=actor, shop=shop, data=data, now=now, dry_run=dry_run, strict=strict
    )
