"""Quality-review scores (质检): reviews scored in the period, credited to the agent reviewed."""

from datetime import datetime
from decimal import Decimal

from ..models import QaReview, QaState
from .base import Collected

AVAILABLE = True
AGENT_FIELDS = SHOP_FIELDS = ["qa_score_total", "qa_n"]


def collect(shop, start: datetime, end: datetime) -> Collected:
    result = Collected(shop={"qa_score_total": Decimal("0.0"), "qa_n": 0})
    for agent_id, score in QaReview.objects.filter(
        shop=shop, state=QaState.SCORED, scored_at__gte=start, scored_at__lt=end
    ).values_list("agent_id", "total"):
        for counters in (result.shop, result.agent(agent_id)):
            counters["qa_score_total"] = counters.get("qa_score_total", Decimal("0.0")) + score
            counters["qa_n"] = counters.get("qa_n", 0) + 1
    return result
