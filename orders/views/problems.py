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
from helpdesk.errors import DomainError
from teamwork.tags import tag_filter

from ..errors import FormError
from ..forms import (
    AddressForm,
    CodForm,
    DuplicateForm,
    NoteForm,
    OpenProblemForm,
    ProblemFilterForm,
    StockChoiceForm,
    StockOfferForm,
    TransitionForm,
)
from ..models import CancelReason, Problem, ProblemCategory, Sku
from ..problem_scripts import scripts_for
from ..problem_states import actions_from
from ..selectors import (
    access_import_run,
    access_order,
    access_problem_card,
    buyer_summary,
    duplicate_orders,
    problem_counts,
    problem_queue,
    problem_shop_sku,
    problem_stock_skus,
    queue_assignees,
)
from ..services import (
    courier_request_settle,
    problem_assign,
    problem_change_address,
    problem_claim,
    problem_claim_next,
    problem_cod_confirm,
    problem_duplicate_settle,
    problem_note,
    problem_report,
    problem_send_script,
    problem_stock_choose,
    problem_stock_offer,
    transition,
)
from ..services.workflows import ADDRESS_CATEGORIES


def _queue_url(request, *, selected: int | None = None) -> str:
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


def _queue_context(request) -> dict:
    user = request.user
    shops = list(shops_for(user, "problems.view"))
    form = ProblemFilterForm(request.GET or None, shops=shops, assignees=queue_assignees(user))
    filters = form.cleaned_data if form.is_valid() else {}
    run = access_import_run(user, filters["import_run"]) if filters.get("import_run") else None
    problems = problem_queue(
        user,
        category=filters.get("category", ""),
        state=filters.get("state", ""),
        shop_id=filters.get("shop"),
        assignee=filters.get("assignee", ""),
        overdue_at=clock.now() if filters.get("overdue") else None,
        import_run=run,
    )
    problems = tag_filter(
        problems, "problem", request.GET.get("tag"), buyer_field="order__buyer_id"
    )
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


def _work_context(request, problem: Problem, error: str = "") -> dict:
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
        "actions": [
            t
            for t in actions_from(problem.state)
            if can(user, t.permission, problem) and t.action != "cancel"
        ],
        "can_cancel": problem.is_active and may_work,
        "assignees": queue_assignees(user)
        if problem.is_active and can(user, "problems.supervise", problem)
        else None,
        "cancel_reasons": CancelReason.choices,
        "scripts": scripts_for(problem, user),
        "buyer_conversation": buyer_conversation(order.buyer),
        "note_form": NoteForm(),
        "error": error,
        "steps": problem.detail.get("steps", []),
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
        context.update(_work_context(request, problem))
    return render(request, "orders/problems.html", context)


@login_required
def problem_detail(request, pk):
    _require_queue(request.user)
    problem = access_problem_card(request.user, pk)
    if not request.htmx:
        query = request.GET.copy()
        query["selected"] = pk
        return redirect(f"{reverse('orders:problems')}?{query.urlencode()}")
    return render(request, "orders/problems.html#work", _work_context(request, problem))


def _form_or_error(form):
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        raise FormError("；".join(errors))
    return form.cleaned_data


def _sku(problem: Problem, pk: int | None) -> Sku | None:
    if pk is None:
        return None
    sku = problem_shop_sku(problem, pk)
    if sku is None:
        raise FormError(_("请选择本店的商品。"))
    return sku


def _do_claim(request, problem, moment):
    problem_claim(actor=request.user, problem=problem, now=moment)


def _do_release(request, problem, moment):
    problem_assign(actor=request.user, problem=problem, assignee=None, now=moment)


def _do_assign(request, problem, moment):
    wanted = request.POST.get("assignee", "")
    assignee = (
        queue_assignees(request.user).filter(pk=int(wanted)).first() if wanted.isdigit() else None
    )
    if wanted and assignee is None:
        raise FormError(_("请选择本店可处理问题订单的同事。"))
    problem_assign(actor=request.user, problem=problem, assignee=assignee, now=moment)


def _do_transition(request, problem, moment):
    data = _form_or_error(TransitionForm(request.POST))
    transition(
        actor=request.user,
        problem=problem,
        action=data["action"],
        reason=data["reason"],
        cancel_reason=data["cancel_reason"],
        now=moment,
    )


def _do_note(request, problem, moment):
    data = _form_or_error(NoteForm(request.POST))
    problem_note(
        actor=request.user, problem=problem, text=data["text"], flag=data["flag"], now=moment
    )


def _do_address(request, problem, moment):
    data = _form_or_error(AddressForm(request.POST))
    problem_change_address(actor=request.user, problem=problem, now=moment, **data)


def _do_stock_offer(request, problem, moment):
    _, similar = problem_stock_skus(problem)
    data = _form_or_error(StockOfferForm(request.POST, skus=similar))
    problem_stock_offer(
        actor=request.user,
        problem=problem,
        similar_sku=_sku(problem, data["similar_sku"]),
        now=moment,
    )


def _do_stock_choice(request, problem, moment):
    missing, similar = problem_stock_skus(problem)
    data = _form_or_error(StockChoiceForm(request.POST, skus=missing + similar))
    problem_stock_choose(
        actor=request.user,
        problem=problem,
        choice=data["choice"],
        sku=_sku(problem, data["sku"]),
        similar_sku=_sku(problem, data["similar_sku"]),
        now=moment,
    )


def _do_cod(request, problem, moment):
    data = _form_or_error(CodForm(request.POST))
    problem_cod_confirm(
        actor=request.user,
        problem=problem,
        consent=data["consent"],
        note=data["note"],
        now=moment,
    )


def _do_duplicate(request, problem, moment):
    group = duplicate_orders(problem)
    data = _form_or_error(DuplicateForm(request.POST, orders=group))
    keep = next((o for o in group if o.pk == data["keep"]), None)
    problem_duplicate_settle(
        actor=request.user,
        problem=problem,
        decision=data["decision"],
        buyer_words=data["buyer_words"],
        keep=keep,
        now=moment,
    )


def _do_courier(request, problem, moment):
    request_id = request.POST.get("request", "")
    courier_request = problem.order.courier_requests.filter(
        pk=int(request_id) if request_id.isdigit() else 0
    ).first()
    if courier_request is None:
        raise Http404
    courier_request_settle(
        actor=request.user,
        request=courier_request,
        succeeded=request.POST.get("succeeded") == "yes",
        now=moment,
    )


def _do_send_script(request, problem, moment):
    problem_send_script(
        actor=request.user, problem=problem, key=request.POST.get("script", ""), now=moment
    )


ACTIONS = {
    "claim": _do_claim,
    "send-script": _do_send_script,
    "release": _do_release,
    "assign": _do_assign,
    "transition": _do_transition,
    "note": _do_note,
    "address": _do_address,
    "stock-offer": _do_stock_offer,
    "stock-choice": _do_stock_choice,
    "cod": _do_cod,
    "duplicate": _do_duplicate,
    "courier": _do_courier,
}


@login_required
@require_POST
def problem_action(request, pk, action):
    """Every button of the problem pane posts here; the service decides, the pane is
    re-rendered (htmx) and the queue list refreshes itself on ``problems-changed``."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    problem = access_problem_card(request.user, pk)
    if not can(request.user, "problems.work", problem):
        raise PermissionDenied
    error = ""
    try:
        handler(request, problem, clock.now())
    except DomainError as exc:
        error = str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_queue_url(request, selected=pk))
    problem = access_problem_card(request.user, pk)
    response = render(
        request, "orders/problems.html#work", _work_context(request, problem, error=error)
    )
    if not error:
        response["HX-Trigger"] = "problems-changed"
    return response


@login_required
@require_POST
def claim_next(request):
    _require_queue(request.user)
    category = request.POST.get("category", "")
    problem = problem_claim_next(
        actor=request.user,
        now=clock.now(),
        category=category if category in ProblemCategory.values else None,
    )
    if problem is None:
        messages.info(request, _("没有待认领的问题订单。"))
    url = _queue_url(request, selected=problem.pk if problem else None)
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
