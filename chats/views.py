"""The agent's chat workspace: queue · conversation · buyer card. The panes re-fetch
their fragments when the server pushes an event (live/); see docs/chats.md."""

import json

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from accounts.permissions import can
from catalogue import selectors as catalogue
from catalogue.sending import library_image_send, product_card_send
from helpdesk import clock
from helpdesk.errors import DomainError
from presence.selectors import with_watchers
from tickets.photos import chat_image_to_ticket
from tickets.selectors import access_ticket, evidence_tickets

from . import selectors
from .cards import CONFIRMABLE_STATES, order_card_send
from .errors import OverLimit, UnseenBuyerMessages
from .forms import (
    AssignForm,
    CloseForm,
    ConcessionForm,
    PresenceForm,
    ReplyForm,
    StockWishForm,
    TransferForm,
)
from .media import access_chat_image
from .models import ConcessionKind
from .scripting import check_draft, find_scripts, focus_order, script_context
from .services import (
    concession_offer,
    conversation_assign,
    conversation_claim,
    conversation_close,
    conversation_mark_read,
    conversation_reply,
    conversation_transfer,
    presence_set,
    stock_wish_record,
)
from .services.assignment import full_load_message, presence_seen


def _require_chats(user):
    if not can(user, "chats.work"):
        raise PermissionDenied


def _queue_context(request) -> dict:
    view = request.GET.get("view")
    if view not in selectors.QueueView.CHOICES:
        view = selectors.QueueView.MINE
    now = clock.now()
    page = selectors.queue_page(request.user, view, now=now, tag=request.GET.get("tag"))
    with_watchers(
        viewer=request.user, targets=[entry.conversation for entry in page.entries], now=now
    )
    return {
        "view": view,
        "tag": request.GET.get("tag", ""),
        "page": page,
        "counts": page.counts,
    }


def _claim_blocked(user, conversation) -> str:
    """Why 接入 is unavailable to ``user`` on this waiting conversation ('' when it is)."""
    if conversation.assignee_id is not None or not conversation.is_open:
        return ""
    load, _limit = selectors.agent_load(user)
    limit = conversation.shop.chat_limit_per_agent
    if load < limit:
        return ""
    return full_load_message(load=load, limit=limit)


def _conversation_context(request, conversation) -> dict:
    supervises = can(request.user, "chats.supervise", conversation)
    side = selectors.side_panel(conversation)
    chat_messages = selectors.messages_of(conversation)
    focus = focus_order(side["orders"])
    return {
        "conversation": conversation,
        "chat_messages": chat_messages,
        "last_id": selectors.highest_id(chat_messages),
        "side": side,
        "is_mine": conversation.assignee_id == request.user.pk,
        "can_supervise": supervises,
        "claim_blocked": _claim_blocked(request.user, conversation),
        "assign_form": (
            AssignForm(conversation=conversation)
            if supervises and conversation.assignee_id is None
            else None
        ),
        "may_open_ticket": can(request.user, "tickets.work", conversation.shop),
        "close_form": CloseForm(conversation=conversation),
        "concession_form": ConcessionForm(
            conversation=conversation, initial={"order": focus.pk if focus else None}
        ),
        "transfer_form": TransferForm(conversation=conversation, actor=request.user),
        "reply_form": ReplyForm(),
        "stock_wish_form": StockWishForm(conversation=conversation),
        "focus_order": focus,
        "evidence_tickets": evidence_tickets(request.user, conversation),
        "confirmable_orders": [o for o in side["orders"] if o.state in CONFIRMABLE_STATES],
    }


def _workspace(request, conversation=None, **extra):
    context = _queue_context(request)
    context["presence"] = selectors.agent_presence_status(request.user)
    context["supervises"] = can(request.user, "chats.supervise")
    context["group_tabs"] = selectors.agent_group_tabs(request.user)
    if conversation is not None:
        conversation_mark_read(actor=request.user, conversation=conversation)
        context.update(_conversation_context(request, conversation))
    context.update(extra)
    return render(request, "chats/workspace.html", context)


def _conversation_swap(request, conversation, **extra):
    """The centre pane, with the buyer card swapped out of band beside it."""
    context = _conversation_context(request, conversation)
    context.update(extra)
    return render(request, "chats/conversation_swap.html", context)


@login_required
def workspace(request):
    _require_chats(request.user)
    return _workspace(request)


@login_required
def queue(request):
    _require_chats(request.user)
    presence_seen(actor=request.user, now=clock.now())
    return render(request, "chats/workspace.html#queue", _queue_context(request))


@login_required
def conversation(request, pk):
    found = selectors.access_conversation(request.user, pk)
    if request.htmx and not request.htmx.history_restore_request:
        conversation_mark_read(actor=request.user, conversation=found)
        return _conversation_swap(request, found)
    return _workspace(request, found)


@login_required
def conversation_messages(request, pk):
    """Poll: messages after ``after``; 204 when nothing is new (htmx keeps polling)."""
    found = selectors.access_conversation(request.user, pk)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    new = selectors.messages_of(found, after=after)
    if not new:
        return HttpResponse(status=204)
    conversation_mark_read(actor=request.user, conversation=found)
    return render(
        request,
        "chats/workspace.html#messages",
        {
            "conversation": found,
            "chat_messages": new,
            "last_id": selectors.highest_id(new),
            "evidence_tickets": evidence_tickets(request.user, found),
        },
    )


@login_required
@require_POST
def order_card(request, pk):
    """Send the buyer the address-confirmation card of one of their paid orders."""
    found = selectors.access_conversation(request.user, pk)
    order = selectors.buyer_order_of(found, request.POST.get("order") or 0)
    if order is None:
        return HttpResponse(_("请选择这位买家的订单。"), status=400)
    order_card_send(actor=request.user, conversation=found, order=order, now=clock.now())
    return _back(request, found)


@login_required
def products(request, pk):
    """The composer's product search: the shop's products matching ``q``, to send."""
    found = selectors.access_conversation(request.user, pk)
    query = request.GET.get("q", "").strip()
    picks = catalogue.products_to_pick(found.shop_id, request.user, query) if query else []
    return render(
        request,
        "chats/workspace.html#products",
        {"conversation": found, "products": picks, "q": query},
    )


@login_required
@require_POST
def product_card(request, pk):
    """Send the buyer a product card picked in the composer."""
    found = selectors.access_conversation(request.user, pk)
    product = catalogue.access_product(request.user, request.POST.get("product") or 0)
    product_card_send(actor=request.user, conversation=found, product=product, now=clock.now())
    return _back(request, found)


@login_required
def library(request, pk):
    """The composer's image picker: the shop's library, loaded when it is opened."""
    found = selectors.access_conversation(request.user, pk)
    return render(
        request,
        "chats/workspace.html#library",
        {"conversation": found, "library": catalogue.library_of(found.shop_id, request.user)},
    )


@login_required
@require_POST
def library_image(request, pk):
    """Send the buyer an image from the shop's library."""
    found = selectors.access_conversation(request.user, pk)
    image = catalogue.access_library_image(request.user, request.POST.get("image") or "")
    library_image_send(actor=request.user, conversation=found, image=image, now=clock.now())
    return _back(request, found)


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
    response = _back(request, conversation)
    if request.htmx:
        response.status_code = status
    return response


def _back(request, conversation):
    if request.htmx:
        fresh = selectors.access_conversation(request.user, conversation.pk)
        return _conversation_swap(request, fresh)
    return redirect("chats:conversation", pk=conversation.pk)


@login_required
@require_POST
def reply(request, pk):
    found = selectors.access_conversation(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("回复内容不能为空，且不能超过 2000 字。"), status=400)
    text = form.cleaned_data["text"]
    findings = check_draft(text, buyer=found.buyer, order=focus_order(selectors.side_orders(found)))
    if findings and not form.cleaned_data["confirm"]:
        response = render(
            request,
            "chats/workspace.html#findings",
            {"findings": findings, "before_send": True},
        )
        return reswap(retarget(response, "#draft-findings"), "innerHTML")
    claimed_by_reply = found.assignee_id is None
    try:
        conversation_reply(
            actor=request.user,
            conversation=found,
            text=text,
            now=clock.now(),
            findings=findings,
            seen_message_id=form.cleaned_data["seen"],
        )
    except UnseenBuyerMessages as held:
        response = render(
            request,
            "chats/workspace.html#unseen",
            {"held": held, "unseen": held.messages, "seen_through": held.messages[-1].pk},
        )
        return reswap(retarget(response, "#draft-findings"), "innerHTML")
    if request.htmx:
        events = {"chat-sent": None}
        if claimed_by_reply:
            # The header (state, holder, actions) changed too: the page reloads the pane.
            events["chat-claimed"] = {"url": reverse("chats:conversation", args=[found.pk])}
        response = HttpResponse(status=204)
        response["HX-Trigger"] = json.dumps(events)
        return response
    return redirect("chats:conversation", pk=found.pk)


@login_required
@require_POST
def check(request, pk):
    """The etiquette check of the draft as the agent types (htmx, with a delay)."""
    found = selectors.access_conversation(request.user, pk)
    findings = check_draft(
        request.POST.get("text", ""),
        buyer=found.buyer,
        order=focus_order(selectors.side_orders(found)),
    )
    return render(request, "chats/workspace.html#findings", {"findings": findings})


@login_required
def scripts(request, pk):
    """Scripts for the composer: ``/code`` picks by shortcut, other text searches; each
    comes filled in for this buyer, agent and order."""
    found = selectors.access_conversation(request.user, pk)
    context = script_context(found, request.user, focus_order(selectors.side_orders(found)))
    found_scripts = find_scripts(
        user=request.user, shop=found.shop, query=request.GET.get("q", ""), context=context
    )
    return render(request, "chats/workspace.html#scripts", {"scripts": found_scripts})


@login_required
@require_POST
def claim(request, pk):
    found = selectors.access_conversation(request.user, pk)
    conversation_claim(actor=request.user, conversation=found, now=clock.now())
    return _back(request, found)


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
    return _back(request, found)


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
            return _conversation_swap(request, found, **extra)
        return _workspace(request, found, **extra)
    flash.success(request, _("已分配给 %(name)s。") % {"name": agent.label})
    return _back(request, found)


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
    return _back(request, found)


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
    return _back(request, found)


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
    return _back(request, found)


@login_required
@require_POST
def presence(request):
    _require_chats(request.user)
    form = PresenceForm(request.POST)
    if form.is_valid():
        presence_set(actor=request.user, status=form.cleaned_data["status"], now=clock.now())
    return redirect("chats:workspace")


@login_required
def alerts(request):
    """Supervisors: every conversation whose buyer waits past the alert time."""
    if not can(request.user, "chats.supervise"):
        raise PermissionDenied
    red = selectors.supervisors_red(request.user, now=clock.now())
    template = "chats/alerts.html#rows" if request.htmx else "chats/alerts.html"
    return render(request, template, {"red": red})
