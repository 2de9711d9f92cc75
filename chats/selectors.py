"""Reads for the chat pages and API, always scoped to the shops the user works chats in:
a conversation of another shop is simply not found (404)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import Shop, User
from accounts.permissions import restrict, shop_ids_for
from helpdesk.capped import CappedCount, CappedSum, capped_counts
from orders.models import Memo, Order
from orders.states import OrderState
from teamwork.models import AgentGroup, TagLink, TagTarget
from teamwork.tags import tag_filter

from .models import (
    AgentPresence,
    ChannelKind,
    Conversation,
    ConversationState,
    Message,
    PresenceStatus,
)

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


def access_conversation(user: User, pk: int) -> Conversation:
    try:
        return (
            conversations_visible_to(user)
            .select_related("shop", "buyer", "channel", "assignee")
            .get(pk=pk)
        )
    except Conversation.DoesNotExist:
        raise Http404 from None


class Ageing:
    """How long the buyer has waited, by the platform's rule that counts answers within
    3 minutes: fresh before the shop's alert time (100 s, when the seller workbench warns),
    nearing after it, over after 3 minutes. Answered rows have no age."""

    ANSWERED = "answered"
    FRESH = "fresh"
    NEARING = "nearing"
    OVER = "over"


RESPONSE_RULE_SECONDS = 180


def ageing(conversation: Conversation, now: datetime) -> tuple[str, int | None]:
    """(state, seconds waited) of an open conversation at ``now``."""
    if not conversation.is_open or conversation.awaiting_reply_since is None:
        return Ageing.ANSWERED, None
    waited = max(0, int((now - conversation.awaiting_reply_since).total_seconds()))
    if waited >= RESPONSE_RULE_SECONDS:
        return Ageing.OVER, waited
    if waited >= conversation.shop.unanswered_alert_seconds:
        return Ageing.NEARING, waited
    return Ageing.FRESH, waited


@dataclass
class QueueEntry:
    """One person in the queue: the conversation shown, and the same buyer's open
    conversations in the team's other shops on this page (a badge each)."""

    conversation: Conversation
    elsewhere: list[Conversation] = field(default_factory=list)

    @property
    def shops(self) -> list[Conversation]:
        return [self.conversation, *self.elsewhere]


@dataclass
class QueuePage:
    entries: list[QueueEntry]
    counts: dict[str, int]
    load: int
    limit: int

    @property
    def full(self) -> bool:
        return self.load >= self.limit


def _latest_order_state():
    latest = Order.objects.filter(
        shop_id=OuterRef("shop_id"), buyer_id=OuterRef("buyer_id")
    ).order_by(F("ordered_at").desc(nulls_last=True), "-pk")
    return Subquery(latest.values("state")[:1])


def _attach_tags(page: list[Conversation]) -> None:
    """Each conversation's tags and its buyer's, in one query."""
    conversation_ids = [c.pk for c in page]
    buyer_ids = {c.buyer_id for c in page}
    links = TagLink.objects.filter(
        Q(target_type=TagTarget.CONVERSATION, target_id__in=conversation_ids)
        | Q(target_type=TagTarget.BUYER, target_id__in=buyer_ids)
    ).select_related("tag")
    by_target: dict[tuple[str, int], list] = {}
    for link in links:
        by_target.setdefault((link.target_type, link.target_id), []).append(link.tag)
    for conversation in page:
        tags = by_target.get((TagTarget.CONVERSATION, conversation.pk), []) + by_target.get(
            (TagTarget.BUYER, conversation.buyer_id), []
        )
        conversation.queue_tags = sorted({t.pk: t for t in tags}.values(), key=lambda t: t.name)


def _group_by_buyer(page: list[Conversation]) -> list[QueueEntry]:
    """One entry per person: conversations on channels that prove who the buyer is (the
    platform bridge) are grouped by nick across shops, as the platform's nick is one
    account in every shop. A web-chat nick is typed by the visitor and proves nothing,
    so those conversations stay on their own rows."""
    entries: list[QueueEntry] = []
    by_nick: dict[str, QueueEntry] = {}
    for conversation in page:
        proven = ChannelKind(conversation.channel.kind).proves_identity
        entry = by_nick.get(conversation.buyer.nick) if proven else None
        if entry is not None and conversation.shop_id not in {c.shop_id for c in entry.shops}:
            entry.elsewhere.append(conversation)
            continue
        entry = QueueEntry(conversation)
        entries.append(entry)
        if proven:
            by_nick.setdefault(conversation.buyer.nick, entry)
    return entries


def queue_page(user: User, view: str, *, now: datetime, tag=None) -> QueuePage:
    """Everything the queue pane shows, in a fixed number of queries: one page of rows,
    newest activity first, each with its preview, ageing, tags and the buyer's latest
    order state in that shop; the tab counts; the agent's load and limit.

    Mine: what the user serves; waiting: unassigned; all: every open conversation.
    ``tag`` keeps the conversations carrying it (or whose buyer does)."""
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
        .annotate(order_state=_latest_order_state())
        .order_by(*newest)
    )
    for conversation in page:
        conversation.age, conversation.waited = ageing(conversation, now)
        conversation.order_state_label = (
            OrderState(conversation.order_state).label if conversation.order_state else ""
        )
    if page:
        _attach_tags(page)
    load, limit = agent_load(user)
    return QueuePage(_group_by_buyer(page), queue_counts(user), load, limit)


def agent_load(user: User) -> tuple[int, int]:
    """(conversations the user serves now in every shop, their limit): the lowest
    per-agent limit of the shops they work chats in, as claiming in that shop stops there."""
    load = Conversation.objects.filter(assignee=user, state=ConversationState.ACTIVE).count()
    limit = Shop.objects.filter(pk__in=shop_ids_for(user, "chats.work")).aggregate(
        limit=Min("chat_limit_per_agent")
    )["limit"]
    return load, limit or 0


def queue_counts(user: User) -> dict[str, CappedCount]:
    """Tab badges: my conversations, waiting ones, and my unread messages; each capped
    ("999+"), so the badges cost the same at any number of open conversations."""
    open_ = conversations_visible_to(user).filter(state__in=OPEN_STATES)
    mine = open_.filter(assignee=user, state=ConversationState.ACTIVE)
    return capped_counts(
        {
            "mine": mine,
            "waiting": open_.filter(state=ConversationState.QUEUED),
            "unread": CappedSum(open_.filter(assignee=user), "unread_count"),
        }
    )


def agent_group_tabs(user: User) -> list[tuple[str, list[AgentGroup]]]:
    """The user's agent groups, one tab per name: a team that runs "大码专席" in three
    shops sees it once, with the shops inside."""
    tabs: dict[str, list[AgentGroup]] = {}
    for group in user.agent_groups.select_related("shop").order_by("name", "shop__name"):
        tabs.setdefault(group.name, []).append(group)
    return list(tabs.items())


def _page_or_catch_up(messages: QuerySet[Message], after: int) -> list[Message]:
    """The latest page, oldest first; or, after the id the page holds, what was stored
    since, in the order it was stored (ids follow commit order within a conversation,
    replies.post_message), the first page of it: a page that missed more fetches the
    rest next time instead of skipping it."""
    if after:
        return list(messages.filter(pk__gt=after).order_by("pk")[:MESSAGE_PAGE_SIZE])
    latest = list(messages.order_by("-sent_at", "-pk")[:MESSAGE_PAGE_SIZE])
    return latest[::-1]


def highest_id(messages: list[Message], default: int = 0) -> int:
    """Where the page's next catch-up starts. Not the last message shown: the log is
    ordered by ``sent_at``, and a bridge may store a message late with an earlier time."""
    return max((message.pk for message in messages), default=default)


def messages_of(conversation: Conversation, *, after: int = 0) -> list[Message]:
    """The latest messages, oldest first (or only those after the id the page has)."""
    messages = (
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .prefetch_related("images")
    )
    return _page_or_catch_up(messages, after)


def buyer_messages_of(conversation: Conversation, *, after: int = 0) -> list[Message]:
    """What the buyer's page shows: no internal notes."""
    messages = Message.objects.filter(
        conversation=conversation, is_internal=False
    ).prefetch_related("images")
    return _page_or_catch_up(messages, after)


def _side_orders(conversation: Conversation) -> QuerySet[Order]:
    return Order.objects.filter(
        shop_id=conversation.shop_id, buyer_id=conversation.buyer_id
    ).order_by("-ordered_at", "-pk")[:SIDE_ORDERS]


def side_orders(conversation: Conversation) -> list[Order]:
    """The buyer's recent orders in the conversation's shop, without memos: what the
    composer's etiquette check and scripts need to pick the order in focus (one query,
    where the whole buyer card takes three)."""
    return list(_side_orders(conversation))


def side_panel(conversation: Conversation) -> dict:
    """The buyer card: file, recent orders with memos, earlier conversations."""
    orders = list(
        _side_orders(conversation).prefetch_related(
            Prefetch("memos", queryset=Memo.objects.order_by("-created_at"))
        )
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


def agent_presence_status(user: User) -> str:
    """The agent's own status: online, busy (挂起) or away (no row yet: away)."""
    status = AgentPresence.objects.filter(user=user).values_list("status", flat=True).first()
    return status or PresenceStatus.AWAY


def buyer_order_of(conversation: Conversation, order_pk) -> Order | None:
    """One of the conversation's buyer's orders in its shop (for the order card), or None."""
    return Order.objects.filter(
        pk=order_pk, shop_id=conversation.shop_id, buyer_id=conversation.buyer_id
    ).first()


GROUP_QUEUE_SIZE = 100


def group_waiting(group: AgentGroup, *, limit: int = GROUP_QUEUE_SIZE) -> QuerySet[Conversation]:
    """A group's waiting chats, highest priority and longest waiting first."""
    return (
        Conversation.objects.filter(
            route__group=group, state=ConversationState.QUEUED, assignee__isnull=True
        )
        .select_related("buyer", "channel", "route__rule")
        .order_by("route__priority", "created_at")[:limit]
    )
