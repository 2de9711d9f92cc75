"""``run_job kpi_rollup --at T`` rolls up the finished days before T's day (Asia/Shanghai):
yesterday, and the days before it whose conversion window was still open at the last run,
since a buyer who chatted on Monday evening may pay on Tuesday. Recomputing is an upsert.

``run_job qa_sample --at T`` queues last ISO week's quality-review sample (kpi.qa)."""

from datetime import timedelta

from accounts.models import Shop
from helpdesk.jobs import register_job

from .compute import rollup_day
from .days import local_day
from .qa import qa_sample_week


def _shops(shop):
    return [shop] if shop is not None else list(Shop.objects.filter(is_active=True))


def rollup_days(shop, now) -> list:
    """Yesterday and the ``ceil(window / 24 h)`` days before it."""
    today = local_day(now)
    extra = -(-shop.conversion_window_hours // 24)
    return [today - timedelta(days=n) for n in range(extra + 1, 0, -1)]


@register_job("kpi_rollup")
def kpi_rollup(*, shop, now) -> dict:
    shop_rows = agent_rows = 0
    days = set()
    for each in _shops(shop):
        for day in rollup_days(each, now):
            counts = rollup_day(each, day, now=now)
            shop_rows += 1
            agent_rows += len(counts.agents)
            days.add(day.isoformat())
    return {"days": sorted(days), "shop_rows": shop_rows, "agent_rows": agent_rows}


@register_job("qa_sample")
def qa_sample(*, shop, now) -> dict:
    queued = skipped = 0
    week = None
    for each in _shops(shop):
        report = qa_sample_week(shop=each, now=now)
        queued += report["queued"]
        skipped += report["skipped"]
        week = report["week"]
    return {"week": week, "queued": queued, "skipped": skipped}
