"""Quality review (质检): the rubric, the weekly sample and the measured prefill.

Each Monday the ``qa_sample`` job queues, per agent, ``Shop.qa_sample_size`` conversations of
the finished ISO week (Asia/Shanghai), drawn with a random generator seeded by shop code,
agent id and the week: running it again (or on another machine) picks the same conversations,
and the unique (conversation, kind) constraint makes the second run queue nothing.

The form starts from what can be measured: the greeting item from the first-response time,
the etiquette item from the etiquette checker (scripts_lib.etiquette) run over the agent's
messages. The supervisor adjusts every item and comments; the other items start empty.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from audit.services import audit
from chats.models import Conversation, Message, Sender
from scripts_lib.etiquette import check

from .days import day_bounds, local_day
from .models import QaKind, QaReview


@dataclass(frozen=True)
class RubricItem:
    key: str
    label: str
    points: int
    guide: str


RUBRIC: list[RubricItem] = [
    RubricItem("greeting", _("10秒内问候"), 15, _("买家第一条消息后 10 秒内有问候。")),
    RubricItem("etiquette", _("礼貌用语"), 20, _("称呼“您”，不用禁忌语，无法满足时先致歉。")),
    RubricItem("product_knowledge", _("产品知识"), 20, _("尺码、材质、物流等回答准确。")),
    RubricItem("resolution", _("问题解决"), 20, _("买家的问题得到解决或有明确的下一步。")),
    RubricItem("related_selling", _("关联销售"), 10, _("推荐搭配或缺货时推荐相似有货商品。")),
    RubricItem("closing", _("结束语"), 15, _("道谢、提醒售后渠道、邀请评价。")),
]
RUBRIC_KEYS = [item.key for item in RUBRIC]
MAX_POINTS = {item.key: item.points for item in RUBRIC}
ETIQUETTE_POINTS_PER_FINDING = 4


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[datetime, datetime]:
    monday = date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    return day_bounds(monday)[0], day_bounds(monday + timedelta(days=7))[0]


def greeting_points(first_response_seconds: int | None) -> int | None:
    """Full marks within 10 s; part marks up to the workbench's 100-second warning."""
    if first_response_seconds is None:
        return None
    if first_response_seconds <= 10:
        return 15
    if first_response_seconds <= 30:
        return 10
    if first_response_seconds <= 100:
        return 5
    return 0


def measured_prefill(conversation: Conversation, agent_messages: list[str]) -> dict:
    """What the form starts from: response times, etiquette findings, suggested scores."""
    findings = []
    for text in agent_messages:
        for finding in check(text, buyer=conversation.buyer):
            findings.append({"excerpt": text[finding.start : finding.end], **finding.as_stored()})
    etiquette = max(0, MAX_POINTS["etiquette"] - ETIQUETTE_POINTS_PER_FINDING * len(findings))
    return {
        "first_response_seconds": conversation.first_response_seconds,
        "average_response_seconds": conversation.average_response_seconds,
        "responses_within_3min": conversation.responses_within_3min,
        "response_count": conversation.response_count,
        "findings": findings,
        "suggested": {
            "greeting": greeting_points(conversation.first_response_seconds),
            "etiquette": etiquette if agent_messages else None,
        },
    }


def _agent_texts(conversation_ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {pk: [] for pk in conversation_ids}
    for conversation_id, text in Message.objects.filter(
        conversation_id__in=conversation_ids, sender=Sender.AGENT
    ).values_list("conversation_id", "text"):
        texts[conversation_id].append(text)
    return texts


def sample_for(shop, agent_id: int, week: str, candidates: list[int]) -> list[int]:
    """The week's sample of one agent: reproducible from (shop, agent, week) alone."""
    rng = random.Random(f"{shop.code}:{agent_id}:{week}")
    pool = sorted(candidates)
    return sorted(rng.sample(pool, min(shop.qa_sample_size, len(pool))))


def qa_sample_week(*, shop, now: datetime, week: str | None = None) -> dict:
    """Queue the sample of ``week`` (by default the ISO week before ``now``'s week, as the
    Monday job does). Safe to run twice."""
    week = week or iso_week(local_day(now) - timedelta(days=7))
    start, end = week_bounds(week)
    served = Conversation.objects.filter(
        shop=shop,
        created_at__gte=start,
        created_at__lt=end,
        assignee__isnull=False,
        agent_message_count__gt=0,
    )
    by_agent: dict[int, list[int]] = {}
    for pk, agent_id in served.values_list("pk", "assignee_id"):
        by_agent.setdefault(agent_id, []).append(pk)
    chosen = [
        pk for agent_id, pks in by_agent.items() for pk in sample_for(shop, agent_id, week, pks)
    ]
    existing = set(
        QaReview.objects.filter(conversation_id__in=chosen, kind=QaKind.SAMPLE).values_list(
            "conversation_id", flat=True
        )
    )
    new = [pk for pk in chosen if pk not in existing]
    conversations = Conversation.objects.filter(pk__in=new).select_related("buyer")
    texts = _agent_texts(new)
    QaReview.objects.bulk_create(
        [
            QaReview(
                shop=shop,
                agent_id=conversation.assignee_id,
                conversation=conversation,
                kind=QaKind.SAMPLE,
                week=week,
                prefill=measured_prefill(conversation, texts[conversation.pk]),
                created_at=now,
            )
            for conversation in conversations
        ],
        ignore_conflicts=True,
    )
    if new:
        audit(
            None,
            "qa.sampled",
            shop,
            changes={"week": [None, week], "queued": [0, len(new)]},
            now=now,
        )
    return {"week": week, "queued": len(new), "skipped": len(chosen) - len(new)}
