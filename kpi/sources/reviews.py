"""Neutral/negative reviews (the reviews app holds only those): new ones per day, and the
revisions each review specialist won (moves to revised), from reviews.selectors."""

from datetime import datetime, timedelta

from reviews.selectors import new_reviews_per_shop_per_day, reviews_revised_per_specialist_per_day

from ..days import local_day
from .base import Collected

AVAILABLE = True
SHOP_FIELDS = ["reviews_revised", "new_negative_reviews"]
AGENT_FIELDS = ["reviews_revised"]


def collect(shop, start: datetime, end: datetime) -> Collected:
    first, last = local_day(start), local_day(end - timedelta(microseconds=1))
    result = Collected(
        shop={
            "new_negative_reviews": sum(
                row["count"]
                for row in new_reviews_per_shop_per_day(start=first, end=last, shop_ids=[shop.pk])
            ),
            "reviews_revised": 0,
        }
    )
    for row in reviews_revised_per_specialist_per_day(start=first, end=last, shop_ids=[shop.pk]):
        agent = result.agent(row["user_id"])
        for counters in (result.shop, agent):
            counters["reviews_revised"] = counters.get("reviews_revised", 0) + row["count"]
    return result
