"""Reads for the KPI pages, the report command and the export. Past days come from the
rollup rows; today comes from kpi.compute.today_counts (computed on demand, cached).

What the pages read takes the acting user first and returns only what that user may see
(``kpi.dashboard``, ``kpi.team``, ``kpi.own``, ``qa.review``, ``handover.use``): a shop or
row they may not see is a 404 or simply absent. ``day_report`` and ``report_json`` take no
user: the report command runs as the system, and the report API checks its shop first."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import can, require, restrict, shop_ids_for
from accounts.selectors import shops_for
from chats.models import Conversation

from .compute import DayCounts, compute_day, today_counts
from .days import day_bounds, local_day
from .dsr import dsr_as_of
from .figures import COMMON_COUNTERS, SHOP_COUNTERS, add_into, as_json, derive
from .models import AgentDay, HandoverNote, QaReview, QaState, ShopDay, ShopDsr

PERIODS = {"today": 0, "yesterday": 1, "7": 7, "30": 30}


def period_days(period: str, today: date) -> tuple[date, date]:
    """First and last day of a period; "today" is today, the others are finished days."""
    if period == "today":
        return today, today
    length = PERIODS[period]
    return today - timedelta(days=length), today - timedelta(days=1)


def day_counts(shop, day: date, *, now: datetime) -> DayCounts:
    """One day's counters: today live, a past day from its rollup rows (computed when the
    day has not been rolled up yet)."""
    if day == local_day(now):
        return today_counts(shop, now=now)
    shop_row = ShopDay.objects.filter(shop=shop, day=day).values(*SHOP_COUNTERS).first()
    if shop_row is None:
        return compute_day(shop, day)
    agents = {
        row.pop("agent_id"): row
        for row in AgentDay.objects.filter(shop=shop, day=day).values("agent_id", *COMMON_COUNTERS)
    }
    return DayCounts(day=day, shop=shop_row, agents=agents)


@dataclass
class AgentFigures:
    agent: User
    figures: dict


def day_report(shop, day: date, *, now: datetime) -> tuple[dict, list[AgentFigures]]:
    """The shop's and each agent's figures for one day, agents ordered by work number."""
    counts = day_counts(shop, day, now=now)
    users = User.objects.in_bulk(list(counts.agents))
    agents = [
        AgentFigures(users[agent_id], derive(counters, shop=False))
        for agent_id, counters in counts.agents.items()
        if agent_id in users
    ]
    agents.sort(key=lambda a: a.agent.work_number or a.agent.username)
    return derive(counts.shop, shop=True), agents


def day_report_for(user, shop, day: date, *, now: datetime) -> tuple[dict, list[AgentFigures]]:
    """``day_report`` for a user who may see the shop's dashboard (the XLSX export)."""
    require(user, "kpi.dashboard", shop)
    return day_report(shop, day, now=now)


AGENT_NAME_FIELDS = ["agent__username", "agent__display_name", "agent__work_number"]


def report_json(shop, day: date, *, now: datetime) -> dict:
    """The day in the shape ``kpi_report --json`` and the report API print:
    {"shop": {…, "dsr": {…} or null}, "agents": {"<work number>": {…}}}."""
    shop_figures, agents = day_report(shop, day, now=now)
    return {
        "shop": {**as_json(shop_figures), "dsr": dsr_as_of(shop, day)},
        "agents": {(a.agent.work_number or a.agent.username): as_json(a.figures) for a in agents},
    }


def agent_totals(shop, first: date, last: date, *, agent=None) -> list[AgentFigures]:
    """Each agent's (or one agent's) counters over [first, last] with the names the pages
    show, in one query. Summed in Python: for a team's week of rows that is cheaper than
    compiling a 21-column GROUP BY."""
    rows = AgentDay.objects.filter(shop=shop, day__gte=first, day__lte=last)
    if agent is not None:
        rows = rows.filter(agent=agent)
    users: dict[int, User] = {}
    sums: dict[int, dict] = {}
    for row in rows.values("agent_id", *AGENT_NAME_FIELDS, *COMMON_COUNTERS):
        agent_id = row["agent_id"]
        if agent_id not in users:
            users[agent_id] = User(
                pk=agent_id,
                username=row["agent__username"],
                display_name=row["agent__display_name"],
                work_number=row["agent__work_number"],
            )
            sums[agent_id] = {}
        add_into(sums[agent_id], row)
    return [
        AgentFigures(users[agent_id], derive(sums[agent_id], shop=False))
        for agent_id in sorted(users)
    ]


def agent_table(user, shop, *, period: str, now: datetime) -> list[AgentFigures]:
    """Every agent's figures of the period in ``shop``, for a supervisor there."""
    require(user, "kpi.team", shop)
    today = local_day(now)
    if period == "today":
        counts = today_counts(shop, now=now)
        users = User.objects.in_bulk(list(counts.agents))
        return [
            AgentFigures(users[agent_id], derive(counters, shop=False))
            for agent_id, counters in counts.agents.items()
            if agent_id in users
        ]
    first, last = period_days(period, today)
    return agent_totals(shop, first, last)


def sort_agents(agents: list[AgentFigures], key: str, descending: bool) -> list[AgentFigures]:
    """Sorted by one figure; agents with no data for it come last either way."""
    present = [a for a in agents if a.figures.get(key) is not None]
    missing = [a for a in agents if a.figures.get(key) is None]
    present.sort(key=lambda a: a.figures[key], reverse=descending)
    return present + missing


def agent_days(user, shop, agent, first: date, last: date) -> list[dict]:
    """One agent's figures per day of [first, last] (finished days, from the rollups)."""
    rows = AgentDay.objects.filter(shop=shop, agent=agent, day__gte=first, day__lte=last)
    return [
        {"day": row.pop("day"), **derive(row, shop=False)}
        for row in restrict(rows, user, "kpi.team").order_by("-day").values("day", *COMMON_COUNTERS)
    ]


def agent_conversations(user, shop, agent, first: date, last: date) -> QuerySet[Conversation]:
    """The conversations behind an agent's figures for [first, last]."""
    start, end = day_bounds(first)[0], day_bounds(last)[1]
    conversations = Conversation.objects.filter(
        shop=shop, assignee=agent, created_at__gte=start, created_at__lt=end
    )
    return (
        restrict(conversations, user, "kpi.team")
        .select_related("buyer", "outcome_order")
        .order_by("-created_at")
    )


def access_team_member(user, shop, agent_id: int) -> User:
    """An agent of ``shop`` whose figures ``user`` (a supervisor there) may see."""
    agent = User.objects.filter(pk=agent_id, memberships__shop=shop).first()
    if agent is None or not can(user, "kpi.team", shop):
        raise Http404
    return agent


def access_conversation_for_review(user, pk: int) -> Conversation:
    """A conversation a supervisor may read for quality review; else 404."""
    found = (
        restrict(Conversation.objects.all(), user, "qa.review")
        .select_related("buyer", "assignee", "shop")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def qa_queue(user, shop, *, state: str = QaState.QUEUED) -> QuerySet[QaReview]:
    return (
        restrict(QaReview.objects.filter(shop=shop, state=state), user, "qa.review")
        .select_related("agent", "conversation__buyer", "reviewer")
        .order_by("week", "agent__work_number", "id")
    )


def access_qa_review(user, pk: int) -> QaReview:
    """A review the user may see: a supervisor's of their shops, or an agent's own scored
    review. Anything else is a 404."""
    reviews = QaReview.objects.select_related("agent", "reviewer", "shop", "conversation__buyer")
    visible = Q(shop_id__in=shop_ids_for(user, "qa.review")) | Q(
        agent=user, state=QaState.SCORED, shop_id__in=shop_ids_for(user, "kpi.own")
    )
    found = reviews.filter(visible, pk=pk).first()
    if found is None:
        raise Http404
    return found


def transcript(conversation) -> QuerySet:
    """The messages of a conversation the caller already read through a scoped selector
    (``access_conversation_for_review``, ``access_qa_review``), oldest first, with their
    authors and images (shown through the staff image view, chats.work)."""
    return conversation.messages.select_related("author").prefetch_related("images")


def agent_texts(conversation) -> list[str]:
    """What the agents wrote in a conversation read through a scoped selector."""
    return list(conversation.messages.filter(sender="agent").values_list("text", flat=True))


def own_figures(user, *, now: datetime, periods: tuple[str, ...]) -> list[dict]:
    """The user's own figures in each shop where they may see them (``kpi.own``): per shop,
    one figures dict per period ("today" live, the others from the rollups)."""
    shops = list(shops_for(user, "kpi.own"))
    if not shops:
        raise PermissionDenied
    today = local_day(now)
    sections = []
    for shop in shops:
        columns = []
        for name in periods:
            if name == "today":
                counters = today_counts(shop, now=now).agents.get(user.pk, {})
                columns.append(derive(counters, shop=False))
                continue
            first, last = period_days(name, today)
            totals = agent_totals(shop, first, last, agent=user)
            columns.append(totals[0].figures if totals else derive({}, shop=False))
        sections.append({"shop": shop, "columns": columns})
    return sections


def reviews_of(user) -> QuerySet[QaReview]:
    """The agent's own scored reviews, newest first."""
    return (
        restrict(QaReview.objects.filter(agent=user, state=QaState.SCORED), user, "kpi.own")
        .select_related("reviewer", "shop")
        .order_by("-scored_at")
    )


def handover_notes(user, shop) -> QuerySet[HandoverNote]:
    return restrict(HandoverNote.objects.filter(shop=shop), user, "handover.use").select_related(
        "author", "acknowledged_by", "buyer"
    )


def handover_book(user, shop, *, done_shown: int) -> tuple[QuerySet, QuerySet]:
    """The shop's open handover notes and the latest ``done_shown`` acknowledged ones."""
    notes = handover_notes(user, shop)
    return (
        notes.filter(acknowledged_at__isnull=True),
        notes.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[:done_shown],
    )


def access_handover_note(user, pk: int) -> HandoverNote:
    found = restrict(HandoverNote.objects.filter(pk=pk), user, "handover.use").first()
    if found is None:
        raise Http404
    return found


def dsr_records(user, shop) -> QuerySet[ShopDsr]:
    """The shop's recorded DSR, newest day first, for a supervisor or manager there."""
    return (
        restrict(ShopDsr.objects.filter(shop=shop), user, "kpi.dsr")
        .select_related("recorded_by")
        .order_by("-day")
    )
