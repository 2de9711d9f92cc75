"""Scheduled chat jobs; beat runs them (see CELERY_BEAT_SCHEDULE in settings) and
``manage.py run_job NAME`` runs one by hand. Each is safe to run twice."""

from helpdesk.jobs import register_job

from .retention import outbox_purge
from .services import assign_waiting, close_idle, stock_notices
from .services.watch import alert_unanswered, greet_due


@register_job("close_idle_conversations")
def close_idle_conversations(*, shop, now) -> dict:
    return close_idle(shop=shop, now=now)


@register_job("greet_unanswered_conversations")
def greet_unanswered_conversations(*, shop, now) -> dict:
    return greet_due(shop=shop, now=now)


@register_job("alert_unanswered_conversations")
def alert_unanswered_conversations(*, shop, now) -> dict:
    return alert_unanswered(shop=shop, now=now)


@register_job("assign_waiting_conversations")
def assign_waiting_conversations(*, shop, now) -> dict:
    from accounts.models import Shop

    shops = [shop] if shop is not None else list(Shop.objects.filter(is_active=True))
    return {"assigned": sum(assign_waiting(shop=each, now=now) for each in shops)}


@register_job("stock_notices")
def stock_notices_job(*, shop, now) -> dict:
    return stock_notices(shop=shop, now=now)


@register_job("demo_buyers")
def demo_buyers(*, shop, now) -> dict:
    """Embedded mode only (see CELERY_BEAT_SCHEDULE): demo buyers keep writing."""
    from accounts.models import Shop

    from .demo import demo_buyers_write

    totals = {"sent": 0, "skipped": 0}
    for each in [shop] if shop else Shop.objects.select_related("team"):
        for key, value in demo_buyers_write(shop=each, now=now).items():
            totals[key] += value
    return totals


@register_job("outbox_retention")
def outbox_retention(*, shop, now) -> dict:
    """Delete outbox rows past the kept period (chats.retention); one setting for all
    shops (the ``--shop`` option is ignored)."""
    return outbox_purge(now=now)
