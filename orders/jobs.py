"""Scheduled jobs of the orders app."""

from accounts.models import Shop
from helpdesk.jobs import register_job

from .services import problem_digest_build


@register_job("problem_digest")
def problem_digest(*, shop, now) -> dict:
    """Build each shop's problem digest once per ``Shop.digest_interval_hours`` slot. Safe
    to run as often as beat likes: a slot already built is skipped. It messages no one."""
    shops = [shop] if shop is not None else list(Shop.objects.filter(is_active=True))
    built, already = 0, 0
    for each in shops:
        _digest, created = problem_digest_build(shop=each, now=now)
        if created:
            built += 1
        else:
            already += 1
    return {"sent": 0, "skipped": {"already_built": already} if already else {}, "digests": built}
