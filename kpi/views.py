"""KPI pages: the owner's dashboard and its export, the supervisors' agent table and
drill-down, the agent's own page, quality review and the shift handover book. Thin: each
reads through kpi.selectors (scoped to the user) or calls a kpi.services function."""

from datetime import date, timedelta
from functools import lru_cache
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from accounts.selectors import shops_for
from helpdesk import clock
from helpdesk.errors import DomainError
from orders.models import ProblemCategory

from . import selectors, services, sql
from .compute import today_counts
from .dashboard import CHART_RANGES, RankedAgent, figure_rows, figure_texts, no_data_text
from .dashboard import dashboard as build_dashboard
from .days import day_bounds, local_day
from .definitions import AGENT_KEYS, BY_KEY
from .dsr import dsr_as_of
from .export import day_workbook
from .figures import derive, display
from .forms import HandoverForm, QaScoreForm
from .models import QaState
from .qa import RUBRIC, measured_prefill

DASHBOARD_KEYS = [
    "sales",
    "orders",
    "average_order_value",
    "reception_count",
    "inquiry_count",
    "paying_count",
    "inquiry_conversion",
    "first_response_seconds",
    "average_response_seconds",
    "response_within_3min_rate",
    "qa_ratio",
    "csat_average",
    "reminders_sent",
    "reminder_success_rate",
    "followups_sent",
    "tickets_resolved",
    "sla_kept_rate",
    "after_sale_rate",
    "refund_amount",
    "after_sale_cost",
    "new_negative_reviews",
    "reviews_revised",
    "qa_score",
]
NEW_REVIEWS_SHOWN = 10
HEADLINE_KEYS = [
    "sales",
    "orders",
    "inquiry_conversion",
    "first_response_seconds",
    "response_within_3min_rate",
    "after_sale_rate",
    "new_negative_reviews",
]
PERIOD_LABELS = {
    "today": gettext_lazy("今日（截至目前）"),
    "yesterday": gettext_lazy("昨日"),
    "7": gettext_lazy("近7天"),
    "30": gettext_lazy("近30天"),
}


SHOP_FIELDS = ("id", "team_id", "code", "name", "platform", "is_active", "conversion_window_hours")
"""What the KPI pages and today's figures read of a shop (kpi.sources.chats needs the
conversion window). A manager's switcher lists every shop of the team, and the other
settings (about twenty columns) cost the dashboard a millisecond per request unread."""


def _shop_choice(request, action: str):
    """The shops where the user may do ``action`` and the one chosen with ?shop=CODE.
    No such shop at all: 403; a code that is not one of them: 404."""
    shops = list(shops_for(request.user, action).only(*SHOP_FIELDS))
    if not shops:
        raise PermissionDenied
    code = request.GET.get("shop") or request.POST.get("shop")
    if not code:
        return shops, shops[0]
    for shop in shops:
        if shop.code == code:
            return shops, shop
    raise Http404


def _figure_rows(keys: list[str], columns: list[dict], names: tuple[str, ...] = ()) -> list[dict]:
    """A row per figure: key, label, definition, the shown ``values`` per column and, for
    templates that place cells by name, each value under its column's name (a dict key is
    a cheap lookup in a template; a list index is not)."""
    return [
        {
            "key": key,
            "label": label,
            "definition": definition,
            "values": values,
            **dict(zip(names, values, strict=False)),
        }
        for key, label, definition, values in figure_rows(keys, columns)
    ]


def _figure_table(rows: list[dict]) -> str:
    """The dashboard's table body (every figure × today, yesterday, 7 and 30 days). Every
    text is escaped here (``html.escape``, quotes included) and the joined rows are marked
    safe: 23 rows × 6 cells cost over a millisecond through the template engine's loop and
    lookups, and still most of one through format_html, against a tenth of that here
    (bench/dashboard.py)."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row" title="{escape(row["definition"])}" class="kpi-def">'
            f"{escape(row['label'])}</th>"
            + "".join(f'<td class="num">{escape(value)}</td>' for value in row["values"])
            + "</tr>"
            for row in rows
        )
    )


def _period_labels() -> list[str]:
    return list(PERIOD_LABELS.values())


@lru_cache(maxsize=8)
def period_labels(language: str | None) -> list[str]:
    """The dashboard's column headings, translated once per language."""
    return [str(label) for label in PERIOD_LABELS.values()]


@lru_cache(maxsize=8)
def category_labels(language: str | None) -> dict[str, str]:
    """Problem categories' names, translated once per language."""
    return {code: str(label) for code, label in ProblemCategory.choices}


def _ranked(entry: RankedAgent, shop_code: str, missing: str) -> dict:
    return {
        "agent": entry.agent,
        "url": f"{reverse('kpi:agent', args=[entry.agent.pk])}?shop={shop_code}",
        "conversion": display("inquiry_conversion", entry.conversion, kind="rate"),
        "sales": display("sales", entry.sales, kind="money"),
        "first_response": missing
        if entry.first_response is None
        else display("first_response_seconds", entry.first_response, kind="seconds"),
    }


CHART_LABEL_KEYS = (
    "sales",
    "inquiry_conversion",
    "first_response_seconds",
    "average_response_seconds",
    "refund_amount",
    "after_sale_cost",
)


@login_required
def dashboard(request):
    shops, shop = _shop_choice(request, "kpi.dashboard")
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    if days not in CHART_RANGES:
        days = 30
    now = clock.now()
    data = build_dashboard(shop, now=now, days=days)
    today = local_day(now)
    yesterday = today - timedelta(days=1)
    language = get_language()
    texts, missing = figure_texts(language), no_data_text(language)
    labels = category_labels(language)
    columns = [data.periods[name] for name in PERIOD_LABELS]
    chart = {
        **data.chart,
        "categories": labels,
        "labels": {key: texts[key][0] for key in CHART_LABEL_KEYS},
        "dsr": {**data.dsr.chart, "labels": {c.key: c.label for c in data.dsr.cards}},
        "noData": missing,
    }
    rows = _figure_rows(DASHBOARD_KEYS, columns)
    best = [_ranked(a, shop.code, missing) for a in data.best]
    weakest = [_ranked(a, shop.code, missing) for a in data.weakest]
    new_reviews = (
        sql.new_reviews(shop.pk, day_bounds(yesterday)[0], day_bounds(today)[1], NEW_REVIEWS_SHOWN)
        if can(request.user, "reviews.view", shop)
        else []
    )
    return render(
        request,
        "kpi/dashboard.html",
        {
            "shops": shops,
            "shop": shop,
            "days": days,
            "ranges": [(n, _("近%(n)s天") % {"n": n}) for n in CHART_RANGES],
            "periods": period_labels(language),
            "rows": rows,
            "figure_table": _figure_table(rows),
            "headline": [
                {**tile, "title": _("昨日%(label)s") % {"label": tile["label"]}}
                for tile in _figure_rows(
                    HEADLINE_KEYS,
                    [data.periods["yesterday"], data.periods["7"]],
                    ("yesterday", "last7"),
                )
            ],
            "chart": chart,
            "best": best,
            "weakest": weakest,
            "rankings": [best, weakest],
            "no_data": missing,
            "new_reviews": new_reviews,
            "generated": data.generated,
            "yesterday": yesterday,
            "dsr": data.dsr,
            "can_record_dsr": can(request.user, "kpi.dsr", shop),
            "problems": [
                (labels.get(code, code), count)
                for code, count in sorted(
                    data.chart["problems_by_category"].items(), key=lambda kv: -kv[1]
                )
            ],
        },
    )


@login_required
def export_day(request):
    _shops, shop = _shop_choice(request, "kpi.dashboard")
    now = clock.now()
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = local_day(now) - timedelta(days=1)
    shop_figures, agents = selectors.day_report(shop, day, now=now)
    response = HttpResponse(
        day_workbook(shop, day, shop_figures, agents, dsr_as_of(shop, day)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="kpi-{shop.code}-{day}.xlsx"'
    return response


def _period(request) -> str:
    period = request.GET.get("period", "7")
    return period if period in selectors.PERIODS else "7"


@login_required
def agents(request):
    shops, shop = _shop_choice(request, "kpi.team")
    period = _period(request)
    sort = request.GET.get("sort", "inquiry_conversion")
    if sort not in AGENT_KEYS:
        sort = "inquiry_conversion"
    descending = request.GET.get("dir", "desc") != "asc"
    table = selectors.sort_agents(
        selectors.agent_table(shop, period=period, now=clock.now()), sort, descending
    )
    columns = [
        {"key": key, "label": BY_KEY[key].label, "definition": BY_KEY[key].text}
        for key in AGENT_KEYS
        if key != "problems_by_category"
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
    shops, shop = _shop_choice(request, "kpi.team")
    member = selectors.team_member_or_404(request.user, shop, agent_id)
    period = _period(request)
    first, last = selectors.period_days(period, local_day(clock.now()))
    page = Paginator(selectors.agent_conversations(shop, member, first, last), 50).get_page(
        request.GET.get("page")
    )
    days = selectors.agent_days(shop, member, first, last)
    keys = [k for k in AGENT_KEYS if k not in ("tickets_resolved", "sla_kept_rate")]
    return render(
        request,
        "kpi/agent.html",
        {
            "shops": shops,
            "shop": shop,
            "member": member,
            "period": period,
            "periods": PERIOD_LABELS,
            "columns": [{"label": BY_KEY[k].label, "definition": BY_KEY[k].text} for k in keys],
            "days": [{"day": d["day"], "values": [display(k, d[k]) for k in keys]} for d in days],
            "page": page,
            "can_mystery": can(request.user, "qa.review", shop),
        },
    )


@login_required
def mine(request):
    """The agent's own figures in each of their shops, and their quality reviews."""
    shops = list(shops_for(request.user, "kpi.own"))
    if not shops:
        raise PermissionDenied
    now = clock.now()
    today = local_day(now)
    sections = []
    for shop in shops:
        columns = [derive(today_counts(shop, now=now).agents.get(request.user.pk, {}), shop=False)]
        for name in ("yesterday", "7", "30"):
            first, last = selectors.period_days(name, today)
            totals = selectors.agent_totals(shop, first, last, agent=request.user)
            columns.append(totals[0].figures if totals else derive({}, shop=False))
        sections.append({"shop": shop, "rows": _figure_rows(AGENT_KEYS, columns)})
    return render(
        request,
        "kpi/mine.html",
        {
            "sections": sections,
            "periods": _period_labels(),
            "reviews": selectors.reviews_of(request.user)[:50],
        },
    )


@login_required
def conversation(request, pk: int):
    """A conversation's transcript for supervisors (drill-down and quality review)."""
    found = selectors.conversation_for_review(request.user, pk)
    return render(
        request,
        "kpi/conversation.html",
        {"conversation": found, "messages_list": found.messages.select_related("author")},
    )


@login_required
def qa_queue(request):
    shops, shop = _shop_choice(request, "qa.review")
    return render(
        request,
        "kpi/qa_queue.html",
        {
            "shops": shops,
            "shop": shop,
            "queued": selectors.qa_queue(request.user, shop),
            "scored": selectors.qa_queue(request.user, shop, state=QaState.SCORED)[:50],
        },
    )


def _rubric_rows(review, form=None):
    return [
        {
            "item": item,
            "score": review.scores.get(item.key) if review else None,
            "suggested": (review.prefill.get("suggested", {}) if review else {}).get(item.key),
            "field": form[item.key] if form else None,
        }
        for item in RUBRIC
    ]


@login_required
def qa_review(request, pk: int):
    review = selectors.qa_review_for(request.user, pk)
    may_score = can(request.user, "qa.review", review) and review.agent_id != request.user.pk
    initial = review.scores or {
        k: v for k, v in review.prefill.get("suggested", {}).items() if v is not None
    }
    form = QaScoreForm(
        request.POST or None, initial_scores=initial, initial={"comment": review.comment}
    )
    if request.method == "POST":
        if not may_score:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.qa_score(
                    actor=request.user,
                    review=review,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    now=clock.now(),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("质检评分已保存，客服可以在“我的绩效”中看到。"))
                return redirect(reverse("kpi:qa_queue") + f"?shop={review.shop.code}")
    return render(
        request,
        "kpi/qa_review.html",
        {
            "review": review,
            "form": form,
            "may_score": may_score,
            "rubric": _rubric_rows(review, form if may_score else None),
            "messages_list": review.conversation.messages.select_related("author"),
        },
    )


@login_required
def qa_mystery(request, conversation_id: int):
    """Record a mystery-shopper check of a conversation on the same rubric."""
    found = selectors.conversation_for_review(request.user, conversation_id)
    prefill = measured_prefill(
        found, list(found.messages.filter(sender="agent").values_list("text", flat=True))
    )
    initial = {k: v for k, v in prefill["suggested"].items() if v is not None}
    form = QaScoreForm(request.POST or None, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.qa_mystery_record(
                actor=request.user,
                conversation=found,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                now=clock.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("神秘客户检查已记录。"))
            return redirect("kpi:qa_review", pk=review.pk)
    return render(
        request,
        "kpi/qa_mystery.html",
        {
            "conversation": found,
            "prefill": prefill,
            "form": form,
            "rubric": [
                {
                    "item": item,
                    "suggested": prefill["suggested"].get(item.key),
                    "field": form[item.key],
                }
                for item in RUBRIC
            ],
            "messages_list": found.messages.select_related("author"),
        },
    )


@login_required
def handover(request):
    shops, shop = _shop_choice(request, "handover.use")
    now = clock.now()
    form = HandoverForm(request.POST or None, initial={"shift_date": local_day(now)})
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_write(actor=request.user, shop=shop, now=now, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("交接已记录，下一班同事确认后会显示确认人。"))
            return redirect(reverse("kpi:handover") + f"?shop={shop.code}")
    notes = selectors.handover_notes(request.user, shop)
    return render(
        request,
        "kpi/handover.html",
        {
            "shops": shops,
            "shop": shop,
            "form": form,
            "open_notes": notes.filter(acknowledged_at__isnull=True),
            "done_notes": notes.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[
                :30
            ],
        },
    )


@login_required
@require_POST
def handover_ack(request, pk: int):
    note = selectors.handover_note_for(request.user, pk)
    try:
        services.handover_acknowledge(actor=request.user, note=note, now=clock.now())
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已确认交接。"))
    return redirect(reverse("kpi:handover") + f"?shop={note.shop.code}")
