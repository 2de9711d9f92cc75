"""Who holds a conversation: presence, automatic assignment, claiming, transfer.

A conversation is never held by two agents: every change of assignee happens with the
conversation row locked (SELECT … FOR UPDATE), and every assignment to an agent locks that
agent's presence row first, so two assignments cannot both squeeze under the limit."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Shop, User
from accounts.permissions import can, require, shop_ids_for
from accounts.roles import Role
from approvals.services import notify
from audit.services import audit
from live.events import conversation_changed
from teamwork.routing import routed_member_ids

from ..errors import AlreadyClaimed, ChatError, ConversationClosed, OverLimit
from ..models import (
    AgentPresence,
    ChannelKind,
    Conversation,
    ConversationState,
    Handover,
    PresenceStatus,
    Queue,
    Sender,
)
from ..states import ConversationAction, transition
from .replies import locked, post_message

# Automatic assignment goes to the agents whose job the queue is; anyone who may work
# chats in the shop can still claim by hand.
# An online agent whose workspace has not polled for this long (tab closed, laptop shut)
# gets no new conversations until it polls again.
PRESENCE_TIMEOUT = timedelta(seconds=90)
SEEN_WRITE_INTERVAL = timedelta(seconds=30)

QUEUE_ROLES = {
    Queue.PRE_SALE: {Role.PRE_SALE},
    Queue.IN_SALE: {Role.IN_SALE},
    Queue.AFTER_SALE: {Role.AFTER_SALE},
}


def webchat_share(shop: Shop) -> int:
    """How many of an agent's conversations automatic assignment may fill from the web
    chat page: half the limit, rounded up. Anybody can open a web chat under any nick, so
    the other half stays for buyers on the platform's own channels; agents can still
    claim more web chats by hand."""
    return (shop.chat_limit_per_agent + 1) // 2


def active_load(user: User) -> int:
    """Conversations the agent is serving now, in every shop they work for."""
    return Conversation.objects.filter(assignee=user, state=ConversationState.ACTIVE).count()


def _locked_presence(user: User, now: datetime) -> AgentPresence:
    AgentPresence.objects.get_or_create(user=user, defaults={"changed_at": now})
    return AgentPresence.objects.select_for_update().get(user=user)


def _hand_to(conversation: Conversation, agent: User, presence: AgentPresence, now) -> None:
    transition(conversation, ConversationAction.ASSIGN)
    conversation.assignee = agent
    conversation.assigned_at = now
    conversation.save(update_fields=["assignee", "state", "assigned_at"])
    presence.last_assigned_at = now
    presence.save(update_fields=["last_assigned_at"])
    conversation_changed("queue", conversation)


def full_load_message(*, load: int, limit: int) -> str:
    """What an agent at the limit reads instead of 接入: why, and what to do. Closing a chat
    alone is not enough while online, because automatic assignment fills the freed place
    with the oldest waiting chat at once; 挂起 stops that."""
    return _(
        "你正在接待 %(load)s/%(limit)s 个会话，已到上限。要接入这位买家：先切换为“挂起”"
        "（空出的名额就不会被自动分配马上补上），再结束或转接一个会话；或请主管把这个会话分配给你。"
    ) % {"load": load, "limit": limit}


def assign_to(conversation: Conversation, agent: User, *, now: datetime) -> None:
    """Give the (locked) conversation to ``agent``, within the shop's per-agent limit."""
    presence = _locked_presence(agent, now)
    load, limit = active_load(agent), conversation.shop.chat_limit_per_agent
    if load >= limit:
        raise ChatError(full_load_message(load=load, limit=limit))
    _hand_to(conversation, agent, presence, now)


@transaction.atomic
def presence_set(*, actor: User, status: PresenceStatus, now: datetime) -> AgentPresence:
    require(actor, "chats.work")
    presence = _locked_presence(actor, now)
    before = presence.status
    presence.status = PresenceStatus(status)
    presence.changed_at = now
    presence.last_seen_at = now
    presence.save(update_fields=["status", "changed_at", "last_seen_at"])
    audit(
        actor,
        "chat_presence.changed",
        presence,
        changes={"status": [before, presence.status]},
        now=now,
    )
    if presence.status == PresenceStatus.ONLINE:
        from ..tasks import assign_waiting_conversations

        for shop_id in shop_ids_for(actor, "chats.work"):
            assign_waiting_conversations.delay_on_commit(shop_id)
    return presence


def presence_seen(*, actor: User, now: datetime) -> None:
    """The workspace polled: keep the agent assignable (one cheap conditional update,
    written at most every 30 s)."""
    AgentPresence.objects.filter(user=actor).filter(
        Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=now - SEEN_WRITE_INTERVAL)
    ).update(last_seen_at=now)


def _candidates(conversation: Conversation, now: datetime) -> list[User]:
    """Online agents of the queue's role in the shop, least loaded first; for a web-chat
    conversation, only those with room left in their web-chat share."""
    limit = conversation.shop.chat_limit_per_agent
    member_ids = Membership.objects.filter(
        shop_id=conversation.shop_id, role__in=QUEUE_ROLES[conversation.queue]
    ).values("user_id")
    group_members = routed_member_ids(conversation)
    if group_members is not None:  # a routing rule gave it to an agent group
        member_ids = member_ids.filter(user_id__in=group_members)
    active = Q(conversations__state=ConversationState.ACTIVE)
    agents = (
        User.objects.filter(
            pk__in=member_ids,
            is_active=True,
            chat_presence__status=PresenceStatus.ONLINE,
            chat_presence__last_seen_at__gte=now - PRESENCE_TIMEOUT,
        )
        .annotate(load=Count("conversations", filter=active))
        .filter(load__lt=limit)
    )
    if conversation.channel.kind == ChannelKind.WEBCHAT:
        agents = agents.annotate(
            webchat_load=Count(
                "conversations",
                filter=active & Q(conversations__channel__kind=ChannelKind.WEBCHAT),
            )
        ).filter(webchat_load__lt=webchat_share(conversation.shop))
    return list(
        agents.order_by("load", F("chat_presence__last_assigned_at").asc(nulls_first=True), "pk")
    )


@transaction.atomic
def conversation_assign_auto(*, conversation_id: int, now: datetime) -> User | None:
    """Assign a waiting conversation to the least-loaded online agent under the limit.
    Returns the agent, or None when it is already held or nobody can take it now."""
    conversation = locked(Conversation(pk=conversation_id))
    if conversation.assignee_id or conversation.state != ConversationState.QUEUED:
        return None
    for agent in _candidates(conversation, now):
        try:
            with transaction.atomic():
                assign_to(conversation, agent, now=now)
        except ChatError:
            continue
        audit(
            None,
            "conversation.assigned",
            conversation,
            changes={"assignee": [None, agent]},
            now=now,
        )
        return agent
    return None


def assign_waiting(*, shop: Shop, now: datetime, limit: int = 50) -> int:
    """Hand out the shop's waiting conversations, oldest first, until nobody has room."""
    waiting = Conversation.objects.filter(
        shop=shop, state=ConversationState.QUEUED, assignee__isnull=True
    ).order_by("created_at")
    assigned = 0
    for conversation_id in waiting.values_list("pk", flat=True)[:limit]:
        # A conversation routed to a group whose agents are all busy waits for them; the
        # ones behind it may still go to someone else.
        if conversation_assign_auto(conversation_id=conversation_id, now=now) is not None:
            assigned += 1
    return assigned


@transaction.atomic
def conversation_claim(*, actor: User, conversation: Conversation, now: datetime) -> Conversation:
    """Take a waiting conversation. Two agents claiming at once: one wins, the other is
    told who has it (409)."""
    require(actor, "chats.work", conversation)
    conversation = locked(conversation)
    if conversation.state == ConversationState.CLOSED:
        raise ConversationClosed(_("该会话已结束。"))
    if conversation.assignee_id == actor.pk:
        return conversation
    if conversation.assignee_id is not None:
        raise AlreadyClaimed(
            _("该会话已由 %(name)s 接待。") % {"name": conversation.assignee.label}
        )
    assign_to(conversation, actor, now=now)
    audit(actor, "conversation.claimed", conversation, changes={"assignee": [None, actor]}, now=now)
    return conversation


@transaction.atomic
def conversation_assign(
    *,
    actor: User,
    conversation: Conversation,
    agent: User,
    now: datetime,
    over_limit_confirmed: bool = False,
) -> Conversation:
    """A supervisor gives a waiting conversation to a named agent. Over the agent's limit this is
    refused with their load (OverLimit) until the supervisor confirms; then it goes through,
    and the audit event keeps the load it was given at."""
    require(actor, "chats.supervise", conversation)
    conversation = locked(conversation)
    if conversation.state == ConversationState.CLOSED:
        raise ConversationClosed(_("该会话已结束。"))
    if not agent.is_active or not can(agent, "chats.work", conversation):
        raise ChatError(_("该客服不在本店铺接待会话。"))
    if conversation.assignee_id is not None:
        # Taking a chat from the agent who holds it is a transfer, with its handover note.
        raise AlreadyClaimed(
            _("该会话已由 %(name)s 接待；要换人请用转接。") % {"name": conversation.assignee.label}
        )
    presence = _locked_presence(agent, now)
    load, limit = active_load(agent), conversation.shop.chat_limit_per_agent
    if load >= limit and not over_limit_confirmed:
        raise OverLimit(
            _("%(name)s 正在接待 %(load)s/%(limit)s 个会话，已到上限。确认超出上限分配吗？")
            % {"name": agent.label, "load": load, "limit": limit},
            load=load,
            limit=limit,
        )
    _hand_to(conversation, agent, presence, now)
    audit(
        actor,
        "conversation.assigned_by_supervisor",
        conversation,
        changes={"assignee": [None, agent], "agent_load": [f"{load}/{limit}", None]},
        now=now,
    )
    notify(
        user=agent,
        shop=conversation.shop,
        text=f"{actor.label} 分配给你一个会话：{conversation.buyer.nick}",
        link=reverse("chats:conversation", args=[conversation.pk]),
        now=now,
    )
    return conversation


@transaction.atomic
def conversation_transfer(
    *,
    actor: User,
    conversation: Conversation,
    now: datetime,
    reason: str,
    wants: str,
    todo: str,
    to_agent: User | None = None,
    to_queue: Queue | None = None,
) -> Handover:
    """Hand the conversation to another agent, or back to a queue (pre-, in- or
    after-sale), with a 交接 note: why, what the buyer wants, what to do next."""
    require(actor, "chats.work", conversation)
    conversation = locked(conversation)
    if conversation.state == ConversationState.CLOSED:
        raise ConversationClosed(_("该会话已结束。"))
    if conversation.assignee_id != actor.pk and not can(actor, "chats.supervise", conversation):
        raise AlreadyClaimed(_("只有接待中的客服或主管可以转接该会话。"))
    if (to_agent is None) == (to_queue is None):
        raise ChatError(_("请选择转给一位客服，或转入一个队列。"))
    reason, wants, todo = (v.strip()[:300] for v in (reason or "", wants or "", todo or ""))
    if not (reason and wants and todo):
        raise ChatError(_("交接说明要写清原因、买家诉求和需要做什么。"))
    before = conversation.assignee
    from_queue = conversation.queue
    if to_agent is not None:
        if not to_agent.is_active or not can(to_agent, "chats.work", conversation):
            raise ChatError(_("该客服不在本店铺接待会话。"))
        if to_agent.pk == conversation.assignee_id:
            raise ChatError(_("会话已经在该客服手中。"))
        conversation.assignee = None
        assign_to(conversation, to_agent, now=now)
    else:
        conversation.queue = Queue(to_queue)
        conversation.assignee = None
        transition(conversation, ConversationAction.REQUEUE)
        conversation.assigned_at = None
        conversation.save(update_fields=["queue", "assignee", "state", "assigned_at"])
    handover = Handover.objects.create(
        conversation=conversation,
        from_user=actor,
        to_user=to_agent,
        from_queue=from_queue,
        to_queue=conversation.queue,
        reason=reason,
        wants=wants,
        todo=todo,
        created_at=now,
    )
    target = to_agent.label if to_agent else conversation.get_queue_display()
    post_message(
        conversation,
        sender=Sender.SYSTEM,
        internal=True,
        now=now,
        text=(
            f"交接（{actor.label} → {target}）：买家 {conversation.buyer.nick}，"
            f"渠道 {conversation.channel.name}；原因：{reason}；买家诉求：{wants}；请：{todo}"
        ),
    )
    audit(
        actor,
        "conversation.transferred",
        conversation,
        changes={"assignee": [before, to_agent], "queue": [from_queue, conversation.queue]},
        now=now,
    )
    conversation_changed("queue", conversation, previous_assignee_id=before.pk if before else None)
    link = reverse("chats:conversation", args=[conversation.pk])
    if to_agent is not None:
        notify(
            user=to_agent,
            shop=conversation.shop,
            text=f"{actor.label} 转给你一个会话：{conversation.buyer.nick}（{reason}）",
            link=link,
            now=now,
        )
    else:
        from ..tasks import assign_conversation

        assign_conversation.delay_on_commit(conversation.pk)
    return handover
