"""The in-sale problem queue: list · problem · order card, and the actions on a problem."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.permissions import can
from accounts.selectors import shops_for
from chats.services import buyer_conversation
from helpdesk import clock
from helpdesk.capped import CappedPaginator
from teamwork.tags import tag_filter

from ..forms import (
    AddressForm,
    CodForm,
    DuplicateForm,
    NoteForm,
    OpenProblemForm,
    ProblemFilterForm,
    StockChoiceForm,
    StockOfferForm,
)
from ..models import CancelReason, Problem, ProblemCategory, ProblemState
from ..problem_scripts import scripts_for
from ..problem_steps import problem_steps_readable
from ..selectors import (
    access_import_run,
    access_order,
    access_problem_card,
    buyer_summary,
    duplicate_orders,
    problem_counts,
    problem_queue,
    problem_stock_skus,
    problem_transitions_for,
    queue_assignees,
)
from ..services import (
    problem_claim_next,
    problem_report,
)
from ..services.workflows import ADDRESS_CATEGORIES


def queue_url(request, *, selected: int | None = None) -> str:
    """The queue with the filters the agent was looking at, so that no action resets them.

    The filters live in the queue page's address: htmx sends it as ``HX-Current-URL``, a
    plain form post as ``Referer`` (same-origin policy). Anything else falls back to the
    bare queue."""
    queue = reverse("orders:problems")
    came_from = urlsplit(
        request.headers.get("HX-Current-URL") or request.headers.get("Referer", "")
    )
    query = QueryDict(came_from.query if came_from.path == queue else "", mutable=True)
    query.pop("selected", None)
    if selected is not None:
        query["selected"] = selected
    return f"{queue}?{query.urlencode()}" if query else queue


def _require_queue(user):
    if not can(user, "problems.view"):
        raise PermissionDenied


def _filtered_queue(user, params: QueryDict, *, assignee: bool = True):
    """The queue filtered by ``params`` (the list page's query): its form, the cleaned
    filters, the import run it narrows to, and the problems. ``assignee=False`` leaves the
    负责人 filter out, for claiming, which takes unclaimed problems whatever it says."""
    shops = list(shops_for(user, "problems.view"))
    form = ProblemFilterForm(params or None, shops=shops, assignees=queue_assignees(user))
    filters = form.cleaned_data if form.is_valid() else {}
    run = access_import_run(user, filters["import_run"]) if filters.get("import_run") else None
    problems = problem_queue(
        user,
        category=filters.get("category", ""),
        state=filters.get("state", ""),
        shop_id=filters.get("shop"),
        assignee=filters.get("assignee", "") if assignee else "",
        overdue_at=clock.now() if filters.get("overdue") else None,
        import_run=run,
    )
    problems = tag_filter(problems, "problem", params.get("tag"), buyer_field="order__buyer_id")
    return form, filters, run, problems


def _queue_context(request) -> dict:
    user = request.user
    form, filters, run, problems = _filtered_queue(user, request.GET)
    page = CappedPaginator(problems, filters.get("per_page") or 50).get_page(
        request.GET.get("page")
    )
    counts = problem_counts(user, shop_id=filters.get("shop"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("selected", None)
    category_links = []
    for code, label in ProblemCategory.choices:
        link = query.copy()
        link["category"] = code
        category_links.append(
            {
                "code": code,
                "label": label,
                "count": counts.get(code, 0),
                "query": link.urlencode(),
                "current": filters.get("category") == code,
            }
        )
    all_link = query.copy()
    all_link.pop("category", None)
    without_run = query.copy()
    without_run.pop("import_run", None)
    return {
        "form": form,
        "import_run": run,
        "without_run_query": without_run.urlencode(),
        "page": page,
        "query": query.urlencode(),
        "category_links": category_links,
        "all_query": all_link.urlencode(),
        "total": sum(counts.values()),
        "now": clock.now(),
    }


def work_context(request, problem: Problem, error: str = "") -> dict:
    """The problem pane: the order card, the buttons the user may press, and the form the
    problem's category needs."""
    user = request.user
    order = problem.order
    may_work = can(user, "problems.work", problem)
    context = {
        "problem": problem,
        "order": order,
        "buyer": order.buyer,
        "buyer_summary": buyer_summary(order.buyer),
        "may_work": may_work,
        "mine": problem.assignee_id == user.pk,
        "actions": problem_transitions_for(user, problem),
        "can_cancel": problem.is_active and may_work,
        "assignees": queue_assignees(user)
        if problem.is_active and can(user, "problems.supervise", problem)
        else None,
        "cancel_reasons": CancelReason.choices,
        "scripts": scripts_for(problem, user),
        "buyer_conversation": buyer_conversation(order.buyer),
        "note_form": NoteForm(),
        "error": error,
        "steps": problem_steps_readable(problem),
    }
    if not (may_work and problem.is_active):
        return context
    if problem.category in ADDRESS_CATEGORIES:
        context["address_form"] = AddressForm(
            initial={
                "receiver_name": order.receiver_name,
                "mobile": order.mobile,
                "province": order.province,
                "city": order.city,
                "district": order.district,
                "detail": order.address_detail,
                "postcode": order.postcode,
            }
        )
    elif problem.category == ProblemCategory.OUT_OF_STOCK:
        missing, similar = problem_stock_skus(problem)
        if problem.state != ProblemState.WAITING_BUYER:  # offered already: the buyer answers
            context["offer_form"] = StockOfferForm(skus=similar)
        context["choice_form"] = StockChoiceForm(
            skus=missing + similar, initial={"sku": missing[0].pk if missing else None}
        )
    elif problem.category == ProblemCategory.COD_CONFIRM:
        context["cod_form"] = CodForm()
    elif problem.category == ProblemCategory.DUPLICATE_ORDERS:
        group = duplicate_orders(problem)
        context["duplicate_orders"] = group
        context["duplicate_form"] = DuplicateForm(orders=group)
    return context


@login_required
def queue(request):
    _require_queue(request.user)
    context = _queue_context(request)
    selected = request.GET.get("selected", "")
    context["selected"] = int(selected) if selected.isdigit() else None
    if request.htmx and request.htmx.target == "problem-list":
        return render(request, "orders/problems.html#list", context)
    if context["selected"]:
        problem = access_problem_card(request.user, context["selected"])
        context.update(work_context(request, problem))
    return render(request, "orders/problems.html", context)


@login_required
def problem_detail(request, pk):
    _require_queue(request.user)
    problem = access_problem_card(request.user, pk)
    if not request.htmx:
        query = request.GET.copy()
        query["selected"] = pk
        return redirect(f"{reverse('orders:problems')}?{query.urlencode()}")
    return render(request, "orders/problems.html#work", work_context(request, problem))


@login_required
@require_POST
def claim_next(request):
    _require_queue(request.user)
    filters = QueryDict(request.POST["filters"]) if "filters" in request.POST else request.POST
    _form, _filters, _run, shown = _filtered_queue(request.user, filters, assignee=False)
    problem = problem_claim_next(actor=request.user, now=clock.now(), among=shown)
    if problem is None:
        narrowed = any(
            v for k, v in filters.items() if k not in {"per_page", "csrfmiddlewaretoken"}
        )
        messages.info(
            request,
            _("当前筛选下没有待认领的问题订单。") if narrowed else _("没有待认领的问题订单。"),
        )
    url = queue_url(request, selected=problem.pk if problem else None)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
def problem_new(request):
    """Open a problem by hand (from the order page or the chat side panel): GET shows
    the order and a confirm form, POST opens it (or finds the active one)."""
    params = request.POST if request.method == "POST" else request.GET
    order_pk = params.get("order", "")
    if not order_pk.isdigit():
        raise Http404
    order = access_order(request.user, int(order_pk))
    if not can(request.user, "problems.open", order):
        raise PermissionDenied
    form = OpenProblemForm(
        request.POST or None, initial={"category": request.GET.get("category", "")}
    )
    if request.method == "POST" and form.is_valid():
        problem, created = problem_report(
            actor=request.user,
            order=order,
            category=form.cleaned_data["category"],
            note=form.cleaned_data["note"],
            now=clock.now(),
        )
        if not created:
            messages.info(request, _("该订单已有同类问题在处理中。"))
        if can(request.user, "problems.view", problem):
            return redirect(f"{reverse('orders:problems')}?selected={problem.pk}")
        messages.success(request, _("已提交给售中同事处理。"))
        return redirect("orders:detail", pk=order.pk)
    return render(request, "orders/problem_new.html", {"order": order, "form": form})
