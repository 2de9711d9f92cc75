"""What every view of the chat workspace renders: the queue, the conversation pane with
the buyer card beside it, and the whole page around them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from accounts.permissions import can
from helpdesk import clock
from presence.selectors import with_watchers
from tickets.selectors import evidence_tickets

from .. import selectors
from ..cards import CONFIRMABLE_STATES
from ..forms import AssignForm, CloseForm, ConcessionForm, ReplyForm, StockWishForm, TransferForm
from ..scripting import focus_order
from ..services import conversation_mark_read
from ..services.assignment import full_load_message


def require_chats(user):
    if not can(user, "chats.work"):
        raise PermissionDenied


def queue_context(request) -> dict:
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


def conversation_context(request, conversation) -> dict:
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


def workspace_page(request, conversation=None, **extra):
    context = queue_context(request)
    context["presence"] = selectors.agent_presence_status(request.user)
    context["supervises"] = can(request.user, "chats.supervise")
    context["group_tabs"] = selectors.agent_group_tabs(request.user)
    if conversation is not None:
        conversation_mark_read(actor=request.user, conversation=conversation)
        context.update(conversation_context(request, conversation))
    context.update(extra)
    return render(request, "chats/workspace.html", context)


def conversation_swap(request, conversation, **extra):
    """The centre pane, with the buyer card swapped out of band beside it."""
    context = conversation_context(request, conversation)
    context.update(extra)
    return render(request, "chats/conversation_swap.html", context)


def back(request, conversation):
    if request.htmx:
        fresh = selectors.access_conversation(request.user, conversation.pk)
        return conversation_swap(request, fresh)
    return redirect("chats:conversation", pk=conversation.pk)
