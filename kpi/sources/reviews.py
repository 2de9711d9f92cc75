"""Neutral/negative reviews: new ones and revisions won.

The reviews app has no models on this branch yet, so these figures are "无数据"."""

from datetime import datetime

from .base import Collected

AVAILABLE = False
SHOP_FIELDS = ["reviews_revised", "new_negative_reviews"]
AGENT_FIELDS = ["reviews_revised"]


def collect(shop, start: datetime, end: datetime) -> Collected:
    return Collected()
