"""Reads for the chat pages and API, always scoped to the shops the user works chats in:
a conversation of another shop is simply not found (404)."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import restrict
from orders.models import Memo, Order
from teamwork.tags import tag_filter

from .models import Conversation, ConversationState, Message

QUEUE_PAGE_SIZE = 100
MESSAGE_PAGE_SIZE = 200
SIDE_ORDERS = 10
SIDE_CONVERSATIONS = 10
OPEN_STATES = [ConversationState.QUEUED, ConversationState.ACTIVE]


class QueueView:
    MINE = "mine"
    WAITING = "waiting"
    ALL = "all"
    CHOICES = (MINE, WAITING, ALL)


def conversations_visible_to(user: User) -> QuerySet[Conversation]:
    return restrict(Conversation.objects.all(), user, "chats.work")


def conversation_for(user: User, pk: int) -> Conversation:
    try:
        return (
            conversations_visible_to(user)
            .select_related("shop", "buyer", "channel", "assignee")
            .get(pk=pk)
        )
    except Conversation.DoesNotExist:
        raise Http404 from None


def queue_for(user: User, view: str, *, now: datetime, tag=None) -> list[Conversation]:
    """One page of the queue, newest activity first; overdue ones are marked red. Mine:
    what the user serves; waiting: unassigned; all: every open conversation. ``tag``
    keeps the conversations carrying it (or whose buyer does)."""
    conversations = tag_filter(
        conversations_visible_to(user).filter(state__in=OPEN_STATES), "conversation", tag
    )
    if view == QueueView.MINE:
        conversations = conversations.filter(assignee=user, state=ConversationState.ACTIVE)
    elif view == QueueView.WAITING:
        conversations = conversations.filter(state=ConversationState.QUEUED)
    newest = ("-last_message_at", "-pk")
    # Pick the page's ids on the open-conversations index first, then join the few rows:
    # joining before the limit made PostgreSQL hash every buyer of the shops.
    page_ids = conversations.order_by(*newest).values("pk")[:QUEUE_PAGE_SIZE]
    page = list(
        Conversation.objects.filter(pk__in=page_ids)
        .select_related("shop", "buyer", "assignee", "channel")
        .order_by(*newest)
    )
    for conversation in page:
        conversation.overdue = conversation.is_overdue(now)
    return page


def queue_counts(user: User) -> dict[str, int]:
    """Tab badges: my conversations, waiting ones, and my unread messages."""
    from django.db.models import Count, Q, Sum

    open_ = conversations_visible_to(user).filter(state__in=OPEN_STATES)
    figures = open_.aggregate(
        mine=Count("pk", filter=Q(assignee=user, state=ConversationState.ACTIVE)),
        waiting=Count("pk", filter=Q(state=ConversationState.QUEUED)),
        unread=Sum("unread_count", filter=Q(assignee=user)),
    )
    figures["unread"] = figures["unread"] or 0
    return figures


def messages_of(conversation: Conversation, *, after: int = 0) -> list[Message]:
    """The latest messages, oldest first (or only those after the id the page has)."""
    messages = (
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .prefetch_related("images")
    )
    if after:
        return list(messages.filter(pk__gt=after).order_by("sent_at", "pk")[:MESSAGE_PAGE_SIZE])
    latest = list(messages.order_by("-sent_at", "-pk")[:MESSAGE_PAGE_SIZE])
    return latest[::-1]


def buyer_messages_of(conversation: Conversation, *, after: int = 0) -> list[Message]:
    """What the buyer's page shows: no internal notes."""
    messages = Message.objects.filter(
        conversation=conversation, is_internal=False
    ).prefetch_related("images")
    if after:
        messages = messages.filter(pk__gt=after)
    latest = list(messages.order_by("-sent_at", "-pk")[:MESSAGE_PAGE_SIZE])
    return latest[::-1]


def side_panel(conversation: Conversation) -> dict:
    """The buyer card: file, recent orders with memos, earlier conversations."""
    orders = list(
        Order.objects.filter(shop_id=conversation.shop_id, buyer_id=conversation.buyer_id)
        .prefetch_related(Prefetch("memos", queryset=Memo.objects.order_by("-created_at")))
        .order_by("-ordered_at", "-pk")[:SIDE_ORDERS]
    )
    earlier = list(
        Conversation.objects.filter(buyer_id=conversation.buyer_id)
        .exclude(pk=conversation.pk)
        .select_related("assignee")
        .order_by("-created_at")[:SIDE_CONVERSATIONS]
    )
    return {"orders": orders, "earlier": earlier}


def supervisors_red(user: User, *, now: datetime) -> list[Conversation]:
    """Open conversations whose buyer has waited past the alert time, longest first."""
    conversations = restrict(Conversation.objects.all(), user, "chats.supervise").filter(
        state__in=OPEN_STATES, awaiting_reply_since__isnull=False
    )
    page = [
        c
        for c in conversations.select_related("shop", "buyer", "assignee").order_by(
            "awaiting_reply_since"
        )[:QUEUE_PAGE_SIZE]
        if c.is_overdue(now)
    ]
    for conversation in page:
        conversation.waited = int((now - conversation.awaiting_reply_since).total_seconds())
    return page
