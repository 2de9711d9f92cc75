"""``run_job kpi_rollup --at T`` rolls up the finished days before T's day (Asia/Shanghai):
yesterday, and the days before it whose conversion or reminder window was still open at
the last run, since a buyer who chatted (or was reminded) on Monday evening may pay on
Tuesday; and the days whose data arrived late (kpi.late). Recomputing is an upsert.

``run_job qa_sample --at T`` queues last ISO week's quality-review sample (kpi.qa)."""

from datetime import timedelta

from accounts.models import Shop
from helpdesk.jobs import register_job
from outreach.reminders import SUCCESS_WINDOW

from .compute import rollup_day
from .days import local_day
from .late import days_reading, stale_days
from .qa import qa_sample_week


def _shops(shop):
    return [shop] if shop is not None else list(Shop.objects.filter(is_active=True))


def reach_back_days(shop) -> int:
    """How many days before a payment a figure it counts for may lie: the conversion window
    (chats) or the reminder's success window, whichever is longer, in whole days."""
    hours = max(shop.conversion_window_hours, SUCCESS_WINDOW.total_seconds() / 3600)
    return int(-(-hours // 24))


def rollup_days(shop, now) -> list:
    """Yesterday and the ``reach_back_days`` before it, and every day that reads the rows
    of a day whose data changed since it was rolled up (kpi.late)."""
    today = local_day(now)
    yesterday = today - timedelta(days=1)
    reach_back = reach_back_days(shop)
    days = {today - timedelta(days=n) for n in range(1, reach_back + 2)}
    for stale in stale_days(shop, today=today):
        days.update(days_reading(stale, reach_back=reach_back, yesterday=yesterday))
    return sorted(days)


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
