"""Compute a shop's counters for one day from the sources, and store them as rollup rows.

``rollup_day`` is an upsert: computing a day again gives the same rows (agents who no longer
have figures that day lose their row), so the job may run twice or re-run old days."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction

from .days import day_bounds, local_day
from .figures import COMMON_COUNTERS, SHOP_COUNTERS
from .models import AgentDay, ShopDay, counter_zero
from .sources import SOURCES

TODAY_CACHE_SECONDS = 60


def _defaults(scope: str) -> dict:
    """Every counter of the scope: zero where a source exists, None where it does not."""
    counters = {}
    for source in SOURCES:
        for field in getattr(source, f"{scope}_FIELDS"):
            counters[field] = counter_zero(ShopDay, field) if source.AVAILABLE else None
    return counters


@dataclass
class DayCounts:
    day: date
    shop: dict
    agents: dict[int, dict]


def compute_day(shop, day: date) -> DayCounts:
    start, end = day_bounds(day)
    shop_counters = _defaults("SHOP")
    agents: dict[int, dict] = {}
    for source in SOURCES:
        if not source.AVAILABLE:
            continue
        collected = source.collect(shop, start, end)
        shop_counters.update(collected.shop)
        for agent_id, counters in collected.agents.items():
            agents.setdefault(agent_id, _defaults("AGENT")).update(counters)
    return DayCounts(day=day, shop=shop_counters, agents=agents)


@transaction.atomic
def rollup_day(shop, day: date, *, now: datetime) -> DayCounts:
    """Compute ``day`` and upsert its ShopDay and AgentDay rows."""
    counts = compute_day(shop, day)
    ShopDay.objects.update_or_create(
        shop=shop,
        day=day,
        defaults={
            **{f: counts.shop[f] for f in SHOP_COUNTERS},
            "orders_updated_at": counts.shop.get("orders_updated_at"),
            "computed_at": now,
            "generated": False,
        },
    )
    AgentDay.objects.filter(shop=shop, day=day).exclude(agent_id__in=counts.agents).delete()
    AgentDay.objects.bulk_create(
        [
            AgentDay(
                shop=shop,
                agent_id=agent_id,
                day=day,
                computed_at=now,
                **{f: counters[f] for f in COMMON_COUNTERS},
            )
            for agent_id, counters in counts.agents.items()
        ],
        update_conflicts=True,
        unique_fields=["shop", "agent", "day"],
        update_fields=[*COMMON_COUNTERS, "computed_at", "generated"],
    )
    return counts


def today_counts(shop, *, now: datetime) -> DayCounts:
    """Today so far, computed on demand and cached briefly: the dashboard may be reloaded
    often, and a minute-old "today" is fresh enough for an owner."""
    day = local_day(now)
    key = f"kpi:today:{shop.pk}:{day.isoformat()}"
    counts = cache.get(key)
    if counts is None:
        counts = compute_day(shop, day)
        cache.set(key, counts, TODAY_CACHE_SECONDS)
    return counts
