from datetime import datetime

from accounts.models import Shop
from helpdesk.jobs import register_job

from .breaches import sla_breaches_record


@register_job("sla_breaches")
def sla_breaches(*, shop: Shop | None, now: datetime) -> dict:
    """Escalate every ticket whose SLA deadline passed, once per deadline."""
    return sla_breaches_record(shop=shop, now=now)
