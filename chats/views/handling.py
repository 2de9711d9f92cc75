"""Handling a conversation: claim, transfer, assign, close, a price concession, a stock
wish, and a chat photo attached to a ticket as evidence."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from helpdesk import clock
from helpdesk.errors import DomainError
from tickets.photos import chat_image_to_ticket
from tickets.selectors import access_ticket

from .. import selectors
from ..errors import OverLimit
from ..forms import AssignForm, CloseForm, ConcessionForm, StockWishForm, TransferForm
from ..media import access_chat_image
from ..models import ConcessionKind
from ..services import (
    concession_offer,
    conversation_assign,
    conversation_claim,
    conversation_close,
    conversation_transfer,
    stock_wish_record,
)
from .panes import back, conversation_swap, workspace_page


@login_required
@require_POST
def image_to_ticket(request, pk):
    """One click: a buyer's chat photo becomes evidence on their after-sale ticket."""
    image = access_chat_image(request.user, pk)
    conversation = selectors.access_conversation(request.user, image.message.conversation_id)
    ticket = access_ticket(request.user, request.POST.get("ticket") or 0, "tickets.work")
    try:
        chat_image_to_ticket(actor=request.user, image=image, ticket=ticket, now=clock.now())
    except DomainError as error:
        flash.error(request, str(error))
        status = 400
    else:
        flash.success(request, _("已作为凭证附到工单 #%(id)s。") % {"id": ticket.pk})
        status = 200
    response = back(request, conversation)
    if request.htmx:
        response.status_code = status
    return response


@login_required
@require_POST
def claim(request, pk):
    found = selectors.access_conversation(request.user, pk)
    conversation_claim(actor=request.user, conversation=found, now=clock.now())
    return back(request, found)


@login_required
@require_POST
def transfer(request, pk):
    found = selectors.access_conversation(request.user, pk)
    form = TransferForm(request.POST, conversation=found, actor=request.user)
    if not form.is_valid():
        return HttpResponse(_("请填写完整的交接说明。"), status=400)
    data = form.cleaned_data
    conversation_transfer(
        actor=request.user,
        conversation=found,
        now=clock.now(),
        reason=data["reason"],
        wants=data["wants"],
        todo=data["todo"],
        to_agent=data["to_agent"],
        to_queue=data["to_queue"] or None,
    )
    flash.success(request, _("会话已转接。"))
    return back(request, found)


@login_required
@require_POST
def assign(request, pk):
    """A supervisor's "assign to …". Over the agent's limit the pane comes back with their
    load and a confirm button; confirming assigns anyway (audited)."""
    found = selectors.access_conversation(request.user, pk)
    if not can(request.user, "chats.supervise", found):
        raise PermissionDenied
    form = AssignForm(request.POST, conversation=found)
    if not form.is_valid():
        return HttpResponse(_("请选择一位客服。"), status=400)
    agent = form.cleaned_data["agent"]
    try:
        conversation_assign(
            actor=request.user,
            conversation=found,
            agent=agent,
            now=clock.now(),
            over_limit_confirmed=form.cleaned_data["confirm"],
        )
    except OverLimit as refusal:
        extra = {"assign_warning": str(refusal), "assign_agent": agent}
        if request.htmx:
            return conversation_swap(request, found, **extra)
        return workspace_page(request, found, **extra)
    flash.success(request, _("已分配给 %(name)s。") % {"name": agent.label})
    return back(request, found)


@login_required
@require_POST
def close(request, pk):
    found = selectors.access_conversation(request.user, pk)
    form = CloseForm(request.POST, conversation=found)
    if not form.is_valid():
        return HttpResponse(_("请选择会话结果。"), status=400)
    conversation_close(
        actor=request.user,
        conversation=found,
        outcome=form.cleaned_data["outcome"],
        order=form.cleaned_data["order"],
        now=clock.now(),
    )
    return back(request, found)


@login_required
@require_POST
def concession(request, pk):
    found = selectors.access_conversation(request.user, pk)
    form = ConcessionForm(request.POST, conversation=found)
    if not form.is_valid():
        return HttpResponse(_("请选择订单并填写金额。"), status=400)
    made = concession_offer(
        actor=request.user,
        conversation=found,
        order=form.cleaned_data["order"],
        amount=form.cleaned_data["amount"],
        reason=form.cleaned_data["reason"],
        now=clock.now(),
    )
    if made.kind == ConcessionKind.ERASE:
        flash.success(request, _("已抹零 ¥%(amount)s。") % {"amount": made.amount})
    else:
        flash.info(request, _("已提交优惠申请，等待主管审批。"))
    return back(request, found)


@login_required
@require_POST
def stock_wish(request, pk):
    found = selectors.access_conversation(request.user, pk)
    form = StockWishForm(request.POST, conversation=found)
    if not form.is_valid():
        return HttpResponse(_("请选择缺货的商品。"), status=400)
    _wish, created = stock_wish_record(
        actor=request.user, conversation=found, sku=form.cleaned_data["sku"], now=clock.now()
    )
    flash.success(request, _("已登记到货通知。") if created else _("该商品已登记过到货通知。"))
    return back(request, found)
