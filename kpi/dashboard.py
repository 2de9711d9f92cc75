"""What the owner's dashboard shows, read in a fixed number of queries whatever the range.

The page is held to at most twice the time of reading the rollup rows it needs
(bench/dashboard.py), so the work above the rows is kept small and honest (every figure is
computed from the rows on each request; only "today" has its own short cache):

- the period totals (yesterday, 7 and 30 days) are column sums over at most 30 rows read
  as tuples, not a dict merge per row;
- the charts take a day's ratios as two divisions from the same rows, not a full
  ``derive`` per day;
- the best and weakest agents come from one GROUP BY agent in PostgreSQL (a row per agent
  instead of a row per agent and day);
- labels, definitions and "无数据" are translated once per language, not per cell;
- the reads are plain SQL over the rollup tables (``kpi.sql``): building and
  compiling the equivalent querysets cost more than running them (about 4 ms of Python
  against 1 ms in PostgreSQL for the agents' GROUP BY).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language

from accounts.models import User
from accounts.permissions import can, require

from .compute import today_counts
from .days import days_between, local_day
from .definitions import BY_KEY, FIGURES
from .dsr import DsrSummary, dsr_first_day, dsr_summary
from .figures import NO_DATA, ROLLING_COUNTERS, SHOP_COUNTERS, add_into, derive, display
from .sql import agent_sums, daily_rows, shops_daily_rows

CHART_RANGES = [7, 30, 90, 365]
PERIOD_LENGTHS = {"yesterday": 1, "7": 7, "30": 30}
RANKED = 3


@dataclass
class RankedAgent:
    agent: User
    conversion: float
    sales: Decimal
    first_response: float | None


@dataclass
class Dashboard:
    periods: dict[str, dict]
    """Figures (kpi.definitions keys) for "today", "yesterday", "7" and "30"."""
    chart: dict
    best: list[RankedAgent]
    weakest: list[RankedAgent]
    days: int
    generated: bool
    """Some rows in the range were made up by the demo loader (kpi.demo)."""
    computed_at: datetime | None
    """When the newest of the rollup rows read was computed (the figures say so)."""
    dsr: DsrSummary


_AT = {
    name: index for index, name in enumerate(["day", "generated", "computed_at", *SHOP_COUNTERS])
}
_SUMMED = [
    (name, _AT[name])
    for name in SHOP_COUNTERS
    if name != "problems_by_category" and name not in ROLLING_COUNTERS
]
_ROLLING = [(name, _AT[name]) for name in ROLLING_COUNTERS]


def period_counters(rows: list[tuple], first: date, last: date) -> dict:
    """The counters of the days [first, last] from rollup tuples (day, generated,
    computed_at, *SHOP_COUNTERS) of one shop: additive counters summed over the days, the
    rolling 30-day counters taken from ``last`` (a window's rate is as of its end). A
    counter with no value in any row is left out, so ``derive`` reports it as no data."""
    totals = {}
    inside = [row for row in rows if first <= row[0] <= last]
    for name, index in _SUMMED:
        present = [row[index] for row in inside if row[index] is not None]
        if present:
            totals[name] = sum(present)
    for row in inside:
        if row[0] == last:
            for name, index in _ROLLING:
                if row[index] is not None:
                    totals[name] = row[index]
    return totals


def _text(value) -> str | None:
    """Money for the chart data as a string (JSON has no decimals; json_script would
    otherwise call its encoder's fallback once per value)."""
    return None if value is None else str(value)


def _ratio(numerator, denominator) -> float | None:
    return float(numerator) / float(denominator) if numerator is not None and denominator else None


def period_totals(rows: list[tuple], today: date) -> dict[str, dict]:
    """Counters for "yesterday", "7" and "30" (finished days ending yesterday)."""
    yesterday = today - timedelta(days=1)
    return {
        name: period_counters(rows, today - timedelta(days=length), yesterday)
        for name, length in PERIOD_LENGTHS.items()
    }


_SALES, _PAYING, _INQUIRIES = _AT["sales"], _AT["paying_count"], _AT["inquiry_count"]
_FIRST_TOTAL, _FIRST_N = _AT["first_response_total"], _AT["first_response_n"]
_RESPONSE_TOTAL, _RESPONSES = _AT["response_seconds_total"], _AT["response_count"]
_REFUNDS, _COSTS = _AT["refund_amount"], _AT["after_sale_cost"]
_PROBLEMS = _AT["problems_by_category"]


def _chart(rows: list[tuple], today: date, days: int) -> dict:
    """The chart's series, a value per day of the range (None for a day without a row).
    One pass over the range's rows; the days' problem counts (JSON text) are decoded
    with one ``json.loads`` of them joined into an array rather than one call per day."""
    first = today - timedelta(days=days)
    by_day = {row[0]: row for row in rows if row[0] >= first}
    chart_days = days_between(first, today - timedelta(days=1))
    charted = [by_day.get(day) for day in chart_days]
    present = [row for row in charted if row is not None]
    problems: dict[str, int] = {}
    for counts in json.loads(f"[{','.join(row[_PROBLEMS] for row in present)}]"):
        for category, count in counts.items():
            problems[category] = problems.get(category, 0) + count
    return {
        "days": [day.isoformat() for day in chart_days],
        "sales": [None if row is None else _text(row[_SALES]) for row in charted],
        "inquiry_conversion": [
            None if row is None else _ratio(row[_PAYING], row[_INQUIRIES]) for row in charted
        ],
        "first_response_seconds": [
            None if row is None else _ratio(row[_FIRST_TOTAL], row[_FIRST_N]) for row in charted
        ],
        "average_response_seconds": [
            None if row is None else _ratio(row[_RESPONSE_TOTAL], row[_RESPONSES])
            for row in charted
        ],
        "refund_amount": [None if row is None else _text(row[_REFUNDS]) for row in charted],
        "after_sale_cost": [None if row is None else _text(row[_COSTS]) for row in charted],
        "problems_by_category": problems,
    }


def ranked_agents(
    user, shop, first: date, last: date
) -> tuple[list[RankedAgent], list[RankedAgent]]:
    """Best and weakest agents over [first, last] by inquiry conversion, then sales; agents
    without inquiries are not ranked (no conversion to compare). Summed per agent in
    PostgreSQL (kpi.sql.agent_sums); ties keep the agents' id order."""
    rows = agent_sums(user=user, shop_id=shop.pk, first=first, last=last)
    ranked = [(row.paying / row.inquiries, row.sold, row) for row in rows if row.inquiries]
    ranked.sort(key=lambda entry: entry[:2], reverse=True)
    best = ranked[:RANKED]
    weakest = [entry for entry in reversed(ranked[-RANKED:]) if entry not in best]
    return [_ranked_agent(*entry) for entry in best], [_ranked_agent(*e) for e in weakest]


def _ranked_agent(conversion: float, sales: Decimal, row) -> RankedAgent:
    agent = User(
        pk=row.agent_id,
        username=row.username,
        display_name=row.display_name,
        work_number=row.work_number,
    )
    return RankedAgent(
        agent=agent,
        conversion=conversion,
        sales=sales,
        first_response=_ratio(row.first_response_total, row.first_response_n),
    )


def dashboard(user, shop, *, now: datetime, days: int = 30) -> Dashboard:
    """Everything the owner's page shows of ``shop`` (``kpi.dashboard`` required): two
    queries (the shop's rollups of the chart range or 30 days together with its DSR
    records, and the agents' last 7 days), plus today's figures when they are not in their
    one-minute cache."""
    require(user, "kpi.dashboard", shop)
    today = local_day(now)
    rollups_from = today - timedelta(days=max(days, 30))
    daily = daily_rows(
        user=user,
        shop_id=shop.pk,
        first=min(rollups_from, dsr_first_day(today, days)),
        rollups_from=rollups_from,
        today=today,
    )
    rows = [row[:-3] for row in daily if row[1] is not None]
    dsr = {row[0]: row[-3:] for row in daily if row[-1] is not None}
    periods = {
        name: derive(counters, shop=True) for name, counters in period_totals(rows, today).items()
    }
    periods["today"] = derive(today_counts(shop, now=now).shop, shop=True)
    best, weakest = ranked_agents(user, shop, today - timedelta(days=7), today - timedelta(days=1))
    return Dashboard(
        periods=periods,
        chart=_chart(rows, today, days),
        best=best,
        weakest=weakest,
        days=days,
        generated=any(row[1] for row in rows),
        computed_at=max((row[2] for row in rows if row[2] is not None), default=None),
        dsr=dsr_summary(dsr, today=today, days=days),
    )


@dataclass
class ShopPeriods:
    shop: object
    periods: dict[str, dict]


@dataclass
class Overview:
    """All the owner's shops together, then each shop: figures per period ("today",
    "yesterday", "7", "30")."""

    combined: dict[str, dict]
    shops: list[ShopPeriods]
    computed_at: datetime | None
    generated: bool


def overview(user, shops: list, *, now: datetime) -> Overview:
    """The figures of those of ``shops`` where the user may see the dashboard, and of all
    of them together. The shops' counters are
    added up before any rate is taken (a combined rate is never an average of the shops'
    rates); the rolling 30-day counters of the shops' last days add up the same way.
    One query for the rollup rows, plus each shop's today when not in its cache."""
    today = local_day(now)
    shops = [shop for shop in shops if can(user, "kpi.dashboard", shop)]
    rows: dict[int, list[tuple]] = {shop.pk: [] for shop in shops}
    for row in shops_daily_rows(
        user=user, shop_ids=list(rows), first=today - timedelta(days=30), today=today
    ):
        rows[row[0]].append(row[1:])
    combined: dict[str, dict] = {name: {} for name in ("today", *PERIOD_LENGTHS)}
    each = []
    for shop in shops:
        counters = {
            "today": today_counts(shop, now=now).shop,
            **period_totals(rows[shop.pk], today),
        }
        for name, values in counters.items():
            add_into(combined[name], values)
        each.append(
            ShopPeriods(
                shop, {name: derive(values, shop=True) for name, values in counters.items()}
            )
        )
    every_row = [row for shop_rows in rows.values() for row in shop_rows]
    return Overview(
        combined={name: derive(values, shop=True) for name, values in combined.items()},
        shops=each,
        computed_at=max((row[2] for row in every_row if row[2] is not None), default=None),
        generated=any(row[1] for row in every_row),
    )


@lru_cache(maxsize=8)
def figure_texts(language: str | None) -> dict[str, tuple[str, str]]:
    """Each figure's label and definition in ``language`` (the active one when called),
    translated once rather than on every render."""
    return {figure.key: (str(figure.label), str(figure.text)) for figure in FIGURES}


@lru_cache(maxsize=8)
def no_data_text(language: str | None) -> str:
    return str(NO_DATA)


def figure_rows(keys: list[str], columns: list[dict]) -> list[tuple]:
    """(key, label, definition, [value as shown per column]) for each figure in ``keys``."""
    language = get_language()
    texts, missing = figure_texts(language), no_data_text(language)
    rows = []
    for key in keys:
        label, definition = texts[key]
        kind = BY_KEY[key].kind
        values = [
            missing if column[key] is None else display(key, column[key], kind=kind)
            for column in columns
        ]
        rows.append((key, label, definition, values))
    return rows
