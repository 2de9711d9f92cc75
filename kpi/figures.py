"""Counters → figures. A counter dict holds the additive fields of a rollup row
(kpi.models.DayCounters and ShopDay); ``derive`` turns it into the figures of
kpi.definitions, and ``as_json`` into the shape ``kpi_report --json`` prints."""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .definitions import AGENT_KEYS, BY_KEY, SHOP_FIGURES, SHOP_KEYS
from .models import AgentDay, ShopDay, counter_names

COMMON_COUNTERS = counter_names(AgentDay)
"""The counters of an agent's day; the shop's day has them too."""
SHOP_COUNTERS = counter_names(ShopDay)
ROLLING_COUNTERS = ["orders_30d", "refunded_30d", "after_sale_30d"]
"""Counters of the 30 days ending with the row's day (kpi.sources.after_sale): they add up
across shops but not across days; a period takes its last day's values (``latest_rolling``)."""

_COUNTER_SET = frozenset(SHOP_COUNTERS)
_REPORTED = frozenset(SHOP_KEYS) | frozenset(AGENT_KEYS)
CENT = Decimal("0.01")
NO_DATA = _("无数据")


def add_into(result: dict, more: dict) -> dict:
    """Add ``more`` into ``result`` field by field (other keys, such as "day", are left out);
    None means "no source", so None + x = x."""
    for key, value in more.items():
        if value is None or key not in _COUNTER_SET:
            continue
        current = result.get(key)
        if current is None:
            result[key] = dict(value) if isinstance(value, dict) else value
        elif isinstance(value, dict):
            for category, count in value.items():
                current[category] = current.get(category, 0) + count
        else:
            result[key] = current + value
    return result


def total(rows: Iterable[dict]) -> dict:
    result: dict = {}
    for row in rows:
        add_into(result, row)
    return result


def latest_rolling(rows: Iterable[dict], last_day) -> dict:
    """The rolling counters of the rows of ``last_day`` (one per shop), added up: a
    period's 30-day rates are those of its last day."""
    return total(
        {name: row.get(name) for name in ROLLING_COUNTERS} for row in rows if row["day"] == last_day
    )


def _ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT)


def _money_ratio(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / denominator).quantize(CENT)


def derive(counters: dict, *, shop: bool) -> dict:
    """The figures (kpi.definitions) for a counter dict; shop=False gives an agent's."""
    c = counters
    get = c.get
    if shop:
        sales, orders = get("sales"), get("orders")
    else:
        sales, orders = get("inquiry_sales"), get("inquiry_orders")
    figures = {
        "reception_count": get("reception_count"),
        "inquiry_count": get("inquiry_count"),
        "paying_count": get("paying_count"),
        "inquiry_conversion": _ratio(get("paying_count"), get("inquiry_count")),
        "sales": _money(sales),
        "average_order_value": _money_ratio(sales, orders),
        "first_response_seconds": _ratio(get("first_response_total"), get("first_response_n")),
        "average_response_seconds": _ratio(get("response_seconds_total"), get("response_count")),
        "response_within_3min_rate": _ratio(get("responses_within_3min"), get("response_count")),
        "qa_ratio": _ratio(get("buyer_message_count"), get("agent_message_count")),
        "reminders_sent": get("reminders_sent"),
        "reminder_success_rate": _ratio(get("reminders_paid"), get("reminders_sent")),
        "followups_sent": get("followups_sent"),
        "tickets_resolved": get("tickets_resolved"),
        "sla_kept_rate": _ratio(get("tickets_sla_kept"), get("tickets_resolved")),
        "reviews_revised": get("reviews_revised"),
        "csat_average": _ratio(get("csat_total"), get("csat_n")),
        "qa_score": _ratio(get("qa_score_total"), get("qa_n")),
        "orders": get("orders"),
        "refund_amount": _money(get("refund_amount")),
        "after_sale_cost": _money(get("after_sale_cost")),
        "after_sale_tickets": get("after_sale_tickets"),
        "after_sale_rate": _ratio(get("after_sale_30d"), get("orders_30d")),
        "refund_rate": _ratio(get("refunded_30d"), get("orders_30d")),
        "new_negative_reviews": get("new_negative_reviews"),
        "problems_by_category": get("problems_by_category"),
    }
    keys = SHOP_FIGURES if shop else AGENT_KEYS
    return {key: figures[key] for key in keys}


def json_value(key: str, value):
    """Money as a two-decimal string, rates and averages as rounded floats."""
    if value is None:
        return None
    kind = BY_KEY[key].kind
    if kind == "money":
        return f"{Decimal(value).quantize(CENT)}"
    if kind == "rate":
        return round(value, 4)
    if kind in ("seconds", "ratio", "score"):
        return round(value, 2)
    return value


def as_json(figures: dict) -> dict:
    """The reported keys only (kpi.definitions SHOP_KEYS / AGENT_KEYS), JSON-ready."""
    return {key: json_value(key, value) for key, value in figures.items() if key in _REPORTED}


def display(key: str, value, *, kind: str | None = None) -> str:
    """A figure as people read it on the pages: 12.5%, 38.0 秒, ¥1,234.00, 无数据.
    ``kind`` saves the definitions lookup when the caller already has it."""
    if value is None:
        return str(NO_DATA)
    kind = kind or BY_KEY[key].kind
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "seconds":
        return f"{value:.1f}s"
    if kind in ("ratio", "score"):
        return f"{value:.2f}"
    if kind == "money":
        return f"¥{value:,.2f}"
    if kind == "categories":
        return ", ".join(f"{k} {v}" for k, v in sorted(value.items())) or "0"
    return str(value)
