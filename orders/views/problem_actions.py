"""The buttons of the problem pane: each posts here, its form is parsed into a service call,
and the pane is rendered again.

Parsing only: which SKUs, orders, assignees and courier requests may be picked comes from
``orders.selectors``; whether the step is allowed, and what it changes, from
``orders.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from chats.services.problem_scripts import problem_send_script
from helpdesk import clock
from helpdesk.errors import DomainError

from ..errors import FormError
from ..forms import (
    AddressForm,
    CodForm,
    DuplicateForm,
    NoteForm,
    StockChoiceForm,
    StockOfferForm,
    TransitionForm,
)
from ..models import Problem, Sku
from ..selectors import (
    access_problem_card,
    duplicate_orders,
    problem_courier_request,
    problem_shop_sku,
    problem_stock_skus,
    queue_assignee,
)
from ..services import (
    courier_request_settle,
    problem_assign,
    problem_change_address,
    problem_claim,
    problem_cod_confirm,
    problem_duplicate_settle,
    problem_note,
    problem_stock_choose,
    problem_stock_offer,
    transition,
)
from .problems import queue_url, work_context


def _form_or_error(form):
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        raise FormError("；".join(errors))
    return form.cleaned_data


def _posted_id(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def _sku(problem: Problem, pk: int | None) -> Sku | None:
    if pk is None:
        return None
    sku = problem_shop_sku(problem, pk)
    if sku is None:
        raise FormError(_("请选择本店的商品。"))
    return sku


def _claim(request, problem, now):
    problem_claim(actor=request.user, problem=problem, now=now)


def _release(request, problem, now):
    problem_assign(actor=request.user, problem=problem, assignee=None, now=now)


def _assign(request, problem, now):
    wanted = _posted_id(request, "assignee")
    assignee = queue_assignee(request.user, wanted) if wanted is not None else None
    if request.POST.get("assignee") and assignee is None:
        raise FormError(_("请选择本店可处理问题订单的同事。"))
    problem_assign(actor=request.user, problem=problem, assignee=assignee, now=now)


def _transition(request, problem, now):
    data = _form_or_error(TransitionForm(request.POST))
    transition(
        actor=request.user,
        problem=problem,
        action=data["action"],
        reason=data["reason"],
        cancel_reason=data["cancel_reason"],
        now=now,
    )


def _note(request, problem, now):
    data = _form_or_error(NoteForm(request.POST))
    problem_note(actor=request.user, problem=problem, text=data["text"], flag=data["flag"], now=now)


def _address(request, problem, now):
    data = _form_or_error(AddressForm(request.POST))
    problem_change_address(actor=request.user, problem=problem, now=now, **data)


def _stock_offer(request, problem, now):
    _missing, similar = problem_stock_skus(problem)
    data = _form_or_error(StockOfferForm(request.POST, skus=similar))
    problem_stock_offer(
        actor=request.user,
        problem=problem,
        similar_sku=_sku(problem, data["similar_sku"]),
        now=now,
    )


def _stock_choice(request, problem, now):
    missing, similar = problem_stock_skus(problem)
    data = _form_or_error(StockChoiceForm(request.POST, skus=missing + similar))
    problem_stock_choose(
        actor=request.user,
        problem=problem,
        choice=data["choice"],
        sku=_sku(problem, data["sku"]),
        similar_sku=_sku(problem, data["similar_sku"]),
        now=now,
    )


def _cod(request, problem, now):
    data = _form_or_error(CodForm(request.POST))
    problem_cod_confirm(
        actor=request.user, problem=problem, consent=data["consent"], note=data["note"], now=now
    )


def _duplicate(request, problem, now):
    group = duplicate_orders(problem)
    data = _form_or_error(DuplicateForm(request.POST, orders=group))
    problem_duplicate_settle(
        actor=request.user,
        problem=problem,
        decision=data["decision"],
        buyer_words=data["buyer_words"],
        keep=next((order for order in group if order.pk == data["keep"]), None),
        now=now,
    )


def _courier(request, problem, now):
    courier_request_settle(
        actor=request.user,
        request=problem_courier_request(problem, _posted_id(request, "request") or 0),
        succeeded=request.POST.get("succeeded") == "yes",
        now=now,
    )


def _send_script(request, problem, now):
    problem_send_script(
        actor=request.user, problem=problem, key=request.POST.get("script", ""), now=now
    )


PANE_BUTTONS = {
    "claim": _claim,
    "send-script": _send_script,
    "release": _release,
    "assign": _assign,
    "transition": _transition,
    "note": _note,
    "address": _address,
    "stock-offer": _stock_offer,
    "stock-choice": _stock_choice,
    "cod": _cod,
    "duplicate": _duplicate,
    "courier": _courier,
}
"""The pane's buttons by the ``action`` slug of their URL, each a parser of its form."""


@login_required
@require_POST
def problem_action(request, pk, action):
    """Every button of the problem pane posts here; the service decides, the pane is
    re-rendered (htmx) and the queue list refreshes itself on ``problems-changed``."""
    parse_and_call = PANE_BUTTONS.get(action)
    if parse_and_call is None:
        raise Http404
    problem = access_problem_card(request.user, pk)
    if not can(request.user, "problems.work", problem):
        raise PermissionDenied
    error = ""
    try:
        parse_and_call(request, problem, clock.now())
    except DomainError as exc:
        error = str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(queue_url(request, selected=pk))
    problem = access_problem_card(request.user, pk)
    response = render(
        request, "orders/problems.html#work", work_context(request, problem, error=error)
    )
    if not error:
        response["HX-Trigger"] = "problems-changed"
    return response
