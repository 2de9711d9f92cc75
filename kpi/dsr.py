"""Reading the shop's DSR (店铺动态评分) records: the value for a day, and the dashboard's
cards and trend.

The seller centre shows three rolling 180-day scores (描述相符, 服务态度, 物流服务), 0–5 with
two decimals. A manager records them now and then (import or form), not necessarily every
day, so a day's DSR is the latest record on or before that day and at most ``STALE_DAYS``
old; older than that it is no data (docs/kpi.md)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from .models import ShopDsr

DSR_KEYS = ["description", "service", "logistics"]
DSR_LABELS = {
    "description": _("描述相符"),
    "service": _("服务态度"),
    "logistics": _("物流服务"),
}
STALE_DAYS = 30
CHANGE_LABELS = {7: _("较7天前"), 30: _("较30天前")}
CHANGE_SPANS = tuple(CHANGE_LABELS)
TWO_PLACES = Decimal("0.01")


class ScoreError(ValueError):
    """A DSR score that is not a number from 0 to 5 with at most two decimals."""


def parse_score(text: str) -> Decimal:
    """ "4.83", " 4.8 ", "4.83分" → Decimal("4.83"); ScoreError for anything else."""
    cleaned = str(text).strip().removesuffix("分").strip()
    if not cleaned:
        raise ScoreError(_("缺少评分。"))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ScoreError(_("“%(text)s”不是数字。") % {"text": cleaned}) from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(5):
        raise ScoreError(_("评分应在 0 到 5 之间（“%(text)s”）。") % {"text": cleaned})
    if value != value.quantize(TWO_PLACES):
        raise ScoreError(_("评分最多两位小数（“%(text)s”）。") % {"text": cleaned})
    return value.quantize(TWO_PLACES)


def dsr_as_of(shop, day: date) -> dict[str, str] | None:
    """{"description": "4.83", "service": "4.85", "logistics": "4.80"} for ``day`` (the
    latest record at most STALE_DAYS old), or None. One query."""
    row = (
        ShopDsr.objects.filter(shop=shop, day__lte=day, day__gte=day - timedelta(days=STALE_DAYS))
        .order_by("-day")
        .values_list(*DSR_KEYS)
        .first()
    )
    if row is None:
        return None
    return {key: f"{value:.2f}" for key, value in zip(DSR_KEYS, row, strict=True)}


@dataclass
class DsrCard:
    key: str
    label: str
    value: str | None
    changes: list[tuple[str, str | None, int]]
    """(label such as 较7天前, signed change such as "+0.02" or None, direction -1/0/1)."""


@dataclass
class DsrSummary:
    cards: list[DsrCard]
    recorded_on: date | None
    """The day of the record the cards show; None when nothing recent was recorded."""
    chart: dict
    """{"days": ["2026-11-22", …], "description": ["4.83", None, …], "service": […],
    "logistics": […]}: the recorded values (strings) on the days that have a record, None
    elsewhere; ready for json_script."""


def _as_of(by_day: dict[date, tuple], day: date) -> tuple[date, tuple] | None:
    for back in range(STALE_DAYS + 1):
        found = by_day.get(day - timedelta(days=back))
        if found is not None:
            return day - timedelta(days=back), found
    return None


def _change(now: Decimal, then: Decimal | None) -> tuple[str | None, int]:
    if then is None:
        return None, 0
    difference = now - then
    return f"{difference:+.2f}", (difference > 0) - (difference < 0)


def dsr_first_day(today: date, days: int) -> date:
    """The oldest record ``dsr_summary`` may need: the chart's first day, or the oldest
    record that can stand for 30 days ago."""
    return min(
        today - timedelta(days=days - 1),
        today - timedelta(days=max(CHANGE_SPANS) + STALE_DAYS),
    )


def dsr_summary(by_day: dict[date, tuple], *, today: date, days: int) -> DsrSummary:
    """The dashboard's DSR from the records since ``dsr_first_day`` ({day: (description,
    service, logistics)}): today's value per score with its change against 7 and 30 days
    ago (each "as of" that day), and the trend over the last ``days`` days (today
    included)."""
    first_charted = today - timedelta(days=days - 1)
    chart_days = [first_charted + timedelta(days=n) for n in range(days)]
    chart: dict = {"days": [day.isoformat() for day in chart_days]}
    records = [by_day.get(day) for day in chart_days]
    for index, key in enumerate(DSR_KEYS):
        chart[key] = [None if record is None else str(record[index]) for record in records]
    current = _as_of(by_day, today)
    past = {span: _as_of(by_day, today - timedelta(days=span)) for span in CHANGE_SPANS}
    cards = []
    for index, key in enumerate(DSR_KEYS):
        value = current[1][index] if current else None
        changes = []
        for span in CHANGE_SPANS:
            then = past[span][1][index] if past[span] and value is not None else None
            changes.append((str(CHANGE_LABELS[span]), *_change(value, then)))
        cards.append(
            DsrCard(
                key=key,
                label=str(DSR_LABELS[key]),
                value=None if value is None else f"{value:.2f}",
                changes=changes,
            )
        )
    return DsrSummary(cards=cards, recorded_on=current[0] if current else None, chart=chart)
