"""Scheduled jobs of the reviews app."""

from helpdesk.jobs import register_job

from .deadlines import review_breaches_record


@register_job("review_breaches")
def review_breaches(*, shop, now) -> dict:
    """Escalate neutral/negative reviews past their due time, once per due time."""
    return review_breaches_record(shop=shop, now=now)
