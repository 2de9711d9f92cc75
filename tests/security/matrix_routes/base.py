"""The Route record, the per-test Context and the builders of the objects routes act on.

Objects are built lazily: a route asks ``ctx.obj(kind, shop)`` and only the kinds a test
touches are created, once per test and shop.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from tests.factories import make_buyer, make_order, make_user


@dataclass(frozen=True)
class Route:
    """How to reach a route and who may.

    ``action``: the permission action guarding it (None with ``public``, ``any_member`` or
    ``channel_signed``).
    ``kwargs(ctx, shop)``: URL arguments for an object of ``shop``; with a shop-scoped route
    the matrix also tries the foreign shop's object, which must be a 404.
    ``data``: the query or form data, a dict or ``data(ctx, shop)``.
    ``also_ok``: statuses besides ALLOWED that an allowed role may get, for POSTs whose
    minimal data a service may answer with a validation error (400) or a conflict (409)
    once an earlier role already acted. Refused roles must still get 403/404.
    ``foreign_status``: the answer to the foreign shop's object: a 404, except for a create
    whose body names a shop (the API refuses a shop the caller does not work in with the
    same 403/400 it gives a shop it may not act in, so it reveals nothing either).
    ``channel_signed``: authenticated by the channel's HMAC signature, not by a staff
    session (tested by tests/security/test_public_routes.py, not by the role matrix).
    """

    action: str | None = None
    kwargs: Callable | None = None
    method: str = "get"
    public: bool = False
    any_member: bool = False
    shop_scoped: bool = False
    data: dict | Callable = field(default_factory=dict)
    also_ok: frozenset[int] = frozenset()
    foreign_status: frozenset[int] = frozenset({404})
    channel_signed: bool = False


def now():
    return timezone.now()


# --- URL and data helpers --------------------------------------------------------------


def pk_of(kind: str, name: str = "pk") -> Callable:
    """kwargs ``{name: <the kind's object of shop>.pk}``."""

    def kwargs(ctx, shop):
        return {name: ctx.obj(kind, shop).pk}

    kwargs.__name__ = f"{kind}_{name}"
    return kwargs


def shop_code(ctx, shop):
    return {"code": shop.code}


def shop_member(ctx, shop):
    return {"code": shop.code, "user_id": ctx.member_of[shop.pk].pk}


def shop_query(ctx, shop):
    return {"shop": shop.code}


# --- builders: kind -> build(ctx, shop) ------------------------------------------------

BUILDERS: dict[str, Callable] = {}


def builder(kind: str):
    def register(func):
        BUILDERS[kind] = func
        return func

    return register


@builder("boss")
def _boss(ctx, shop):
    """A manager of ``shop`` who is none of the tested staff: the author of objects that
    need an actor allowed to make them."""
    return make_user(shop, Role.MANAGER, username=f"boss_{shop.code}")


@builder("script")
def _script(ctx, shop):
    from scripts_lib.services import ScriptData, script_create

    data = ScriptData(category="greeting", title="问候", code="hi", body="{buyer_nick}您好")
    return script_create(actor=None, team=shop.team, shop=shop, data=data, now=now())


@builder("buyer")
def _buyer(ctx, shop):
    return make_buyer(shop)


@builder("order")
def _order(ctx, shop):
    return make_order(shop, buyer=ctx.obj("buyer", shop))


@builder("sku")
def _sku(ctx, shop):
    from tests.orders.factories import make_sku

    return make_sku(shop, stock=0)


@builder("problem")
def _problem(ctx, shop):
    from tests.orders.factories import make_problem

    return make_problem(shop, now())


@builder("import_run")
def _import_run(ctx, shop):
    from orders.models import ImportRun

    return ImportRun.objects.create(
        shop=shop,
        kind="orders",
        file_name="orders.csv",
        stored_path=f"imports/{shop.code}.csv",
        created_by=ctx.obj("boss", shop),
        created_at=now(),
    )


@builder("digest")
def _digest(ctx, shop):
    from orders.services.digest import problem_digest_build

    ctx.obj("problem", shop)
    digest, _created = problem_digest_build(shop=shop, now=now())
    return digest


@builder("webchat")
def _webchat(ctx, shop):
    from tests.chats.factories import make_channel

    return make_channel(shop)


@builder("conversation")
def _conversation(ctx, shop):
    from tests.chats.factories import make_conversation

    return make_conversation(
        shop, now=now(), channel=ctx.obj("webchat", shop), buyer=ctx.obj("buyer", shop)
    )


@builder("survey_token")
def _survey_token(ctx, shop):
    from chats.models import ConversationState
    from chats.services.closing import survey_token
    from tests.chats.factories import make_conversation

    closed = make_conversation(
        shop, now=now(), channel=ctx.obj("webchat", shop), state=ConversationState.CLOSED
    )
    return survey_token(closed)


@builder("ticket")
def _ticket(ctx, shop):
    from tests.tickets.factories import make_ticket
    from tickets.models import TicketType

    return make_ticket(shop, TicketType.REFUND_ONLY, now())


@builder("photo")
def _photo(ctx, shop):
    from tests.tickets.factories import image_upload
    from tickets.photos import photo_add

    return photo_add(
        actor=ctx.obj("boss", shop),
        ticket=ctx.obj("ticket", shop),
        upload=image_upload(),
        now=now(),
    )


@builder("approval")
def _approval(ctx, shop):
    from approvals.services import approval_request

    return approval_request(
        actor=ctx.member_of[shop.pk],
        shop=shop,
        kind="discount",
        amount=Decimal("30"),
        reason="老顾客想要再便宜30",
        subject=shop,
        now=now(),
    )


@builder("breach")
def _breach(ctx, shop):
    from tickets.models import SlaBreach

    ticket = ctx.obj("ticket", shop)
    return SlaBreach.objects.create(
        shop=shop, ticket=ticket, kind="first_reply", due_at=ticket.sla_due_at, detected_at=now()
    )


@builder("escalated_ticket")
def _escalated(ctx, shop):
    from tests.tickets.factories import make_ticket
    from tickets.models import TicketType
    from tickets.services import ticket_escalate

    boss = ctx.obj("boss", shop)
    ticket = make_ticket(shop, TicketType.PLATFORM_DISPUTE, now(), actor=boss)
    return ticket_escalate(actor=boss, ticket=ticket, reason="买家威胁投诉到平台", now=now())


@builder("review")
def _review(ctx, shop):
    from tests.reviews.factories import make_review

    return make_review(shop, order=ctx.obj("order", shop))


@builder("qa_review")
def _qa_review(ctx, shop):
    from kpi.models import QaKind, QaReview

    return QaReview.objects.create(
        shop=shop,
        agent=ctx.member_of[shop.pk],
        conversation=ctx.obj("conversation", shop),
        kind=QaKind.SAMPLE,
        week="2026-W47",
        created_at=now(),
    )


HANDOVER = {
    "shift": "evening",
    "buyer_nick": "小鹿乱撞的猫",
    "channel": "旺旺",
    "cause": "连衣裙 M 码缺货",
    "wish": "想等补货，不要退款",
    "todo": "到货后第一时间联系她",
}


@builder("handover")
def _handover(ctx, shop):
    from kpi.days import local_day
    from kpi.services import handover_write

    moment = now()
    return handover_write(
        actor=ctx.member_of[shop.pk],
        shop=shop,
        now=moment,
        **HANDOVER,
        shift_date=local_day(moment),
    )


@builder("outbox")
def _outbox(ctx, shop):
    from chats.models import OutboxStatus
    from chats.outbox import outbox_enqueue

    order = ctx.obj("order", shop)
    message, _created = outbox_enqueue(
        shop=shop,
        kind="payment_reminder",
        key=f"payment_reminder:{order.pk}",
        buyer=order.buyer,
        order=order,
        text="您好，您的订单还未付款",
        now=now() - timedelta(hours=1),
    )
    message.status = OutboxStatus.FAILED
    message.attempts = 8
    message.last_error = "网关超时"
    message.save()
    return message


@builder("schedules")
def _schedules(ctx, shop):
    from outreach.schedules import ensure_schedules

    return ensure_schedules()


class Context:
    """The shops, the tested staff of shop A, and the objects routes need, built on first
    use (per test) for one shop or the other."""

    def __init__(self, shop, other_shop, staff):
        self.shop, self.other_shop, self.staff = shop, other_shop, staff
        victim = make_user(shop, Role.PRE_SALE, username="victim_a")
        foreign_victim = make_user(other_shop, Role.PRE_SALE, username="victim_b")
        self.member_of = {shop.pk: victim, other_shop.pk: foreign_victim}
        self._built: dict[tuple[str, int], object] = {}

    def obj(self, kind: str, shop):
        key = (kind, shop.pk)
        if key not in self._built:
            self._built[key] = BUILDERS[kind](self, shop)
        return self._built[key]


@builder("bridge")
def _bridge(ctx, shop):
    from chats.models import ChannelKind
    from tests.chats.factories import make_channel

    return make_channel(shop, kind=ChannelKind.BRIDGE)


@builder("chat_image")
def _chat_image(ctx, shop):
    """A buyer's photo in the shop's web-chat conversation."""
    from chats.media import chat_image_clean, message_images_store
    from chats.models import Message, Sender
    from tests.tickets.factories import image_upload

    conversation = ctx.obj("conversation", shop)
    message = Message.objects.create(
        conversation=conversation,
        channel=conversation.channel,
        sender=Sender.BUYER,
        text="",
        sent_at=now(),
    )
    image = chat_image_clean(image_upload().read(), field="image")
    message_images_store(message=message, images=[image], now=now())
    return message.images.get()


@builder("evidence_ticket")
def _evidence_ticket(ctx, shop):
    """An after-sale ticket of the conversation's buyer (chat photos may go to it)."""
    from tests.tickets.factories import make_ticket, received_order
    from tickets.models import TicketType

    order = received_order(shop, now(), buyer=ctx.obj("buyer", shop))
    return make_ticket(shop, TicketType.DAMAGED, now(), order=order)
