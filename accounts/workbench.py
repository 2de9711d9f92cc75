"""The workbench's landing cards: for each queue the user works, what waits there now.

Each card links to its queue already filtered to what the figure counts. A card appears only
for a queue the user may open, and each costs one query of capped counts ("999+",
helpdesk/capped.py), so the home page runs a fixed number of queries, each reading a
bounded number of rows, whatever the queues hold.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk.capped import CappedCount, capped_count, capped_counts

from .permissions import can


@dataclass(frozen=True)
class Figure:
    label: str
    count: CappedCount | int
    url: str
    urgent: bool = False
    """Shown in red when non-zero: something is late or a buyer is waiting."""


@dataclass(frozen=True)
class Card:
    title: str
    url: str
    figures: list[Figure]


def _url(name: str, **query) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _chats_card(user, now: datetime) -> Card:
    from chats.selectors import QueueView, queue_counts

    counts = queue_counts(user)
    return Card(
        _("会话"),
        _url("chats:workspace"),
        [
            Figure(
                _("排队等待"),
                counts["waiting"],
                _url("chats:workspace", view=QueueView.WAITING),
                True,
            ),
            Figure(_("我的会话"), counts["mine"], _url("chats:workspace", view=QueueView.MINE)),
            Figure(_("未读消息"), counts["unread"], _url("chats:workspace", view=QueueView.MINE)),
        ],
    )


def _problems_card(user, now: datetime) -> Card:
    from orders.models import ACTIVE_PROBLEM_STATES
    from orders.selectors import problems_visible_to

    active = problems_visible_to(user).filter(state__in=ACTIVE_PROBLEM_STATES)
    counts = capped_counts(
        {
            "unclaimed": active.filter(assignee__isnull=True),
            "mine": active.filter(assignee=user),
            "overdue": active.filter(due_at__lt=now),
        }
    )
    return Card(
        _("问题订单"),
        _url("orders:problems"),
        [
            Figure(
                _("未认领"), counts["unclaimed"], _url("orders:problems", assignee="none"), True
            ),
            Figure(_("我的"), counts["mine"], _url("orders:problems", assignee="me")),
            Figure(_("已超时"), counts["overdue"], _url("orders:problems", overdue="on"), True),
        ],
    )


def _tickets_card(user, now: datetime) -> Card:
    from tickets.selectors import tickets_visible_to

    open_ = tickets_visible_to(user, state="open")
    counts = capped_counts(
        {
            "mine": open_.filter(assignee=user),
            "unassigned": open_.filter(assignee__isnull=True),
            "overdue": open_.filter(sla_due_at__lt=now),
        }
    )
    return Card(
        _("售后工单"),
        _url("tickets:queue"),
        [
            Figure(_("未分配"), counts["unassigned"], _url("tickets:queue", assignee="nobody")),
            Figure(_("我的"), counts["mine"], _url("tickets:queue", assignee="me")),
            Figure(_("已超时"), counts["overdue"], _url("tickets:queue", sla="overdue"), True),
        ],
    )


def _reviews_card(user, now: datetime) -> Card:
    from reviews.models import FINAL_STATES, ReviewState
    from reviews.selectors import reviews_visible_to

    reviews = reviews_visible_to(user)
    counts = capped_counts(
        {
            "new": reviews.filter(state=ReviewState.NEW),
            "mine": reviews.filter(assignee=user).exclude(state__in=FINAL_STATES),
        }
    )
    return Card(
        _("中差评"),
        _url("reviews:list"),
        [
            Figure(_("新评价"), counts["new"], _url("reviews:list", state=ReviewState.NEW), True),
            Figure(_("我处理中"), counts["mine"], _url("reviews:list", assignee=user.pk)),
        ],
    )


def _inbox_card(user, now: datetime) -> Card:
    from tickets.selectors import escalated_tickets, open_breaches, pending_approvals

    return Card(
        _("审批"),
        _url("tickets:inbox"),
        [
            Figure(_("待审批"), capped_count(pending_approvals(user)), _url("tickets:inbox"), True),
            Figure(_("超时未处理"), capped_count(open_breaches(user)), _url("tickets:inbox"), True),
            Figure(_("升级工单"), capped_count(escalated_tickets(user)), _url("tickets:inbox")),
        ],
    )


def _tags_card(user, now: datetime) -> Card:
    from teamwork.tags import tag_counts_for

    return Card(
        _("标签"),
        _url("teamwork:tags"),
        [Figure(tag.name, uses, _url("teamwork:tags")) for tag, uses in tag_counts_for(user)],
    )


CARDS = [
    ("chats.work", _chats_card),
    ("problems.view", _problems_card),
    ("tickets.view", _tickets_card),
    ("reviews.view", _reviews_card),
    ("approvals.decide", _inbox_card),
    ("tags.use", _tags_card),
]


def workbench_cards(user, *, now: datetime) -> list[Card]:
    """The cards of the user's queues; a card with no figures (a team without tags) is left
    out."""
    cards = [build(user, now) for action, build in CARDS if can(user, action)]
    return [card for card in cards if card.figures]
