"""The supervisors' agent table and an agent's drill-down; the agent's own figures."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language

from accounts.permissions import can
from helpdesk import clock

from .. import selectors
from ..days import local_day
from ..definitions import AGENT_KEYS, BY_KEY
from ..figures import display
from ..pages import PERIOD_LABELS, figure_table, period_labels
from .common import shop_choice

CONVERSATIONS_PER_PAGE = 50
OWN_REVIEWS_SHOWN = 50
DRILL_DOWN_KEYS = [key for key in AGENT_KEYS if key not in ("tickets_resolved", "sla_kept_rate")]


def _period(request) -> str:
    period = request.GET.get("period", "7")
    return period if period in selectors.PERIODS else "7"


@login_required
def agents(request):
    shops, shop = shop_choice(request, "kpi.team")
    period = _period(request)
    sort = request.GET.get("sort", "inquiry_conversion")
    if sort not in AGENT_KEYS:
        sort = "inquiry_conversion"
    descending = request.GET.get("dir", "desc") != "asc"
    table = selectors.sort_agents(
        selectors.agent_table(request.user, shop, period=period, now=clock.now()),
        sort,
        descending,
    )
    columns = [
        {"key": key, "label": BY_KEY[key].label, "definition": BY_KEY[key].text}
        for key in AGENT_KEYS
    ]
    rows = [
        {"agent": a.agent, "values": [display(c["key"], a.figures[c["key"]]) for c in columns]}
        for a in table
    ]
    return render(
        request,
        "kpi/agents.html",
        {
            "shops": shops,
            "shop": shop,
            "period": period,
            "periods": PERIOD_LABELS,
            "sort": sort,
            "descending": descending,
            "columns": columns,
            "rows": rows,
        },
    )


@login_required
def agent(request, agent_id: int):
    shops, shop = shop_choice(request, "kpi.team")
    member = selectors.access_team_member(request.user, shop, agent_id)
    period = _period(request)
    today = local_day(clock.now())
    first, last = selectors.period_days(period, today)
    conversations = selectors.agent_conversations(request.user, shop, member, first, last)
    if "period" not in request.GET and not conversations.exists():
        # The finished days hold nothing yet (a new agent, a fresh install): open on
        # today's conversations rather than an empty table, when there are any.
        todays = selectors.agent_conversations(request.user, shop, member, today, today)
        if todays.exists():
            period, first, last, conversations = "today", today, today, todays
    days = selectors.agent_days(request.user, shop, member, first, last)
    return render(
        request,
        "kpi/agent.html",
        {
            "shops": shops,
            "shop": shop,
            "member": member,
            "period": period,
            "period_label": PERIOD_LABELS[period],
            "periods": PERIOD_LABELS,
            "columns": [
                {"label": BY_KEY[k].label, "definition": BY_KEY[k].text} for k in DRILL_DOWN_KEYS
            ],
            "days": [
                {"day": d["day"], "values": [display(k, d[k]) for k in DRILL_DOWN_KEYS]}
                for d in days
            ],
            "page": Paginator(conversations, CONVERSATIONS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "can_mystery": can(request.user, "qa.review", shop),
        },
    )


@login_required
def mine(request):
    """The agent's own figures in each of their shops, and their quality reviews."""
    sections = selectors.own_figures(request.user, now=clock.now(), periods=tuple(PERIOD_LABELS))
    return render(
        request,
        "kpi/mine.html",
        {
            "sections": [
                {"shop": s["shop"], "rows": figure_table(AGENT_KEYS, s["columns"])}
                for s in sections
            ],
            "periods": period_labels(get_language()),
            "reviews": selectors.reviews_of(request.user)[:OWN_REVIEWS_SHOWN],
        },
    )
