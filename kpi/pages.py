"""What the owner's dashboard pages show, ready for their templates: the figures as people
read them (labels, definitions, 12.5 %, 无数据), the headline tiles, the ranked agents and
the chart's data. The reads happen in kpi.dashboard (permission-scoped); the templates
only place and escape what is here."""

from datetime import datetime, timedelta
from functools import lru_cache

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.permissions import can
from orders.models import ProblemCategory

from . import sql
from .dashboard import CHART_RANGES, RankedAgent, figure_rows, figure_texts, no_data_text
from .dashboard import dashboard as build_dashboard
from .dashboard import overview as build_overview
from .days import day_bounds, local_day
from .figures import display

DASHBOARD_KEYS = [
    "sales",
    "orders",
    "average_order_value",
    "reception_count",
    "inquiry_count",
    "paying_count",
    "inquiry_conversion",
    "first_response_seconds",
    "average_response_seconds",
    "response_within_3min_rate",
    "qa_ratio",
    "csat_average",
    "reminders_sent",
    "reminder_success_rate",
    "followups_sent",
    "tickets_resolved",
    "sla_kept_rate",
    "after_sale_tickets",
    "after_sale_rate",
    "refund_rate",
    "refund_amount",
    "after_sale_cost",
    "new_negative_reviews",
    "reviews_revised",
    "qa_score",
]
HEADLINE_KEYS = [
    "sales",
    "orders",
    "inquiry_conversion",
    "first_response_seconds",
    "response_within_3min_rate",
    "after_sale_rate",
    "refund_rate",
    "new_negative_reviews",
]
PERIOD_LABELS = {
    "today": gettext_lazy("今日（截至目前）"),
    "yesterday": gettext_lazy("昨日"),
    "7": gettext_lazy("近7天"),
    "30": gettext_lazy("近30天"),
}
CHART_LABEL_KEYS = (
    "sales",
    "inquiry_conversion",
    "first_response_seconds",
    "average_response_seconds",
    "refund_amount",
    "after_sale_cost",
)
NEW_REVIEWS_SHOWN = 10


@lru_cache(maxsize=8)
def period_labels(language: str | None) -> list[str]:
    """The figure tables' column headings, translated once per language."""
    return [str(label) for label in PERIOD_LABELS.values()]


@lru_cache(maxsize=8)
def category_labels(language: str | None) -> dict[str, str]:
    """Problem categories' names, translated once per language."""
    return {code: str(label) for code, label in ProblemCategory.choices}


def figure_table(keys: list[str], columns: list[dict], names: tuple[str, ...] = ()) -> list[dict]:
    """A row per figure: key, label, definition, the shown ``values`` per column and, for
    templates that place cells by name, each value under its column's name."""
    return [
        {
            "key": key,
            "label": label,
            "definition": definition,
            "values": values,
            **dict(zip(names, values, strict=False)),
        }
        for key, label, definition, values in figure_rows(keys, columns)
    ]


@lru_cache(maxsize=8)
def headline_titles(language: str | None) -> dict[str, str]:
    """The headline tiles' titles ("昨日销售额"), translated once per language."""
    texts = figure_texts(language)
    return {key: _("昨日%(label)s") % {"label": texts[key][0]} for key in HEADLINE_KEYS}


@lru_cache(maxsize=8)
def range_labels(language: str | None) -> list[tuple[int, str]]:
    """The chart's range links (7, 30, 90, 365 days), translated once per language."""
    return [(n, _("近%(n)s天") % {"n": n}) for n in CHART_RANGES]


def headline(periods: dict[str, dict]) -> list[dict]:
    """The headline tiles: yesterday's value, the last 7 days' below it."""
    titles = headline_titles(get_language())
    return [
        {**tile, "title": titles[tile["key"]]}
        for tile in figure_table(
            HEADLINE_KEYS, [periods["yesterday"], periods["7"]], ("yesterday", "last7")
        )
    ]


def _ranked(entry: RankedAgent, shop_code: str, missing: str) -> dict:
    return {
        "agent": entry.agent,
        "url": f"{reverse('kpi:agent', args=[entry.agent.pk])}?shop={shop_code}",
        "conversion": display("inquiry_conversion", entry.conversion, kind="rate"),
        "sales": display("sales", entry.sales, kind="money"),
        "first_response": missing
        if entry.first_response is None
        else display("first_response_seconds", entry.first_response, kind="seconds"),
    }


def shop_page(user, shop, *, now: datetime, days: int) -> dict:
    """The context of one shop's dashboard (kpi/dashboard.html), read for ``user``."""
    data = build_dashboard(user, shop, now=now, days=days)
    today = local_day(now)
    yesterday = today - timedelta(days=1)
    language = get_language()
    texts, missing = figure_texts(language), no_data_text(language)
    labels = category_labels(language)
    best = [_ranked(entry, shop.code, missing) for entry in data.best]
    weakest = [_ranked(entry, shop.code, missing) for entry in data.weakest]
    return {
        "days": days,
        "ranges": range_labels(language),
        "periods": period_labels(language),
        "rows": figure_table(DASHBOARD_KEYS, [data.periods[name] for name in PERIOD_LABELS]),
        "headline": headline(data.periods),
        "computed_at": data.computed_at,
        "chart": {
            **data.chart,
            "categories": labels,
            "labels": {key: texts[key][0] for key in CHART_LABEL_KEYS},
            "dsr": {**data.dsr.chart, "labels": {c.key: c.label for c in data.dsr.cards}},
            "noData": missing,
        },
        "best": best,
        "weakest": weakest,
        "rankings": [best, weakest],
        "no_data": missing,
        "new_reviews": sql.new_reviews(
            user=user,
            shop_id=shop.pk,
            start=day_bounds(yesterday)[0],
            end=day_bounds(today)[1],
            limit=NEW_REVIEWS_SHOWN,
        ),
        "generated": data.generated,
        "yesterday": yesterday,
        "dsr": data.dsr,
        "can_record_dsr": can(user, "kpi.dsr", shop),
        "problems": [
            (labels.get(code, code), count)
            for code, count in sorted(
                data.chart["problems_by_category"].items(), key=lambda kv: -kv[1]
            )
        ],
    }


def overview_page(user, shops: list, *, now: datetime) -> dict:
    """The context of the all-shops dashboard (kpi/overview.html), read for ``user``."""
    data = build_overview(user, shops, now=now)
    return {
        "periods": period_labels(get_language()),
        "combined": {
            "headline": headline(data.combined),
            "rows": figure_table(DASHBOARD_KEYS, [data.combined[p] for p in PERIOD_LABELS]),
        },
        "each": [
            {
                "shop": entry.shop,
                "headline": headline(entry.periods),
                "rows": figure_table(DASHBOARD_KEYS, [entry.periods[p] for p in PERIOD_LABELS]),
            }
            for entry in data.shops
        ],
        "computed_at": data.computed_at,
        "generated": data.generated,
    }
