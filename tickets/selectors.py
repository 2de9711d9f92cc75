"""Reads for pages, the API and other apps' reports. Everything a user sees comes through
``tickets_visible_to`` (restricted to shops where they may view tickets); the KPI reads at
the end are system reads over given shops, for the KPI app to scope."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404

from accounts.permissions import restrict
from approvals.models import ApprovalRequest, ApprovalStatus, Notification
from orders.models import Buyer, Order

from .business_time import SHANGHAI
from .models import SlaBreach, Ticket, TicketPhoto
from .states import OPEN_STATES, TERMINAL_STATES, TicketState, TicketType

DUE_SOON = timedelta(hours=4)
DAMAGE_TYPES = (TicketType.DAMAGED,)
RETURN_EXCHANGE_TYPES = (TicketType.RETURN_REFUND, TicketType.EXCHANGE, TicketType.REFUND_ONLY)


def tickets_visible_to(
    user,
    *,
    now: datetime | None = None,
    shop_id: int | None = None,
    types: Iterable[str] = (),
    state: str = "",
    sla: str = "",
    assignee: str = "",
) -> QuerySet[Ticket]:
    """``state``: a TicketState, or "open"/"done"; ``sla``: "overdue", "due_soon" or
    "none"; ``assignee``: "me", "nobody" or a user id."""
    tickets = restrict(Ticket.objects.all(), user, "tickets.view").select_related(
        "shop", "buyer", "order", "assignee"
    )
    if shop_id:
        tickets = tickets.filter(shop_id=shop_id)
    if types:
        tickets = tickets.filter(type__in=list(types))
    if state == "open":
        tickets = tickets.exclude(state__in=TERMINAL_STATES)
    elif state == "done":
        tickets = tickets.filter(state__in=TERMINAL_STATES)
    elif state in TicketState.values:
        tickets = tickets.filter(state=state)
    if sla and now is not None:
        if sla == "overdue":
            tickets = tickets.filter(sla_due_at__lt=now)
        elif sla == "due_soon":
            tickets = tickets.filter(sla_due_at__gte=now, sla_due_at__lt=now + DUE_SOON)
        elif sla == "none":
            tickets = tickets.filter(sla_due_at__isnull=True)
    if assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif assignee == "nobody":
        tickets = tickets.filter(assignee__isnull=True)
    elif assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(assignee))
    return tickets.order_by("sla_due_at", "-created_at")


def access_ticket(user, pk: int, action: str = "tickets.view") -> Ticket:
    """The ticket if the user may see it; a foreign or unknown ticket is a 404."""
    return get_object_or_404(
        restrict(Ticket.objects.all(), user, action).select_related(
            "shop", "buyer", "order", "assignee", "created_by"
        ),
        pk=pk,
    )


def access_ticket_photo(user, pk) -> TicketPhoto:
    return get_object_or_404(
        restrict(
            TicketPhoto.objects.select_related("ticket"), user, "tickets.view", "ticket__shop"
        ),
        pk=pk,
    )


def register_rows(user, *, types, shop_id=None, start=None, end=None, state="") -> QuerySet[Ticket]:
    """Rows of a register (破损登记 / 退换货登记), oldest first, by opening day."""
    tickets = tickets_visible_to(user, shop_id=shop_id, types=types, state=state)
    if start:
        tickets = tickets.filter(created_at__gte=datetime.combine(start, time.min, SHANGHAI))
    if end:
        tickets = tickets.filter(
            created_at__lt=datetime.combine(end + timedelta(days=1), time.min, SHANGHAI)
        )
    return tickets.order_by("created_at", "pk")


# --- the supervisors' inbox -------------------------------------------------------------


def pending_approvals(user) -> QuerySet[ApprovalRequest]:
    """Pending requests of every kind (discounts from chats, refunds, compensation)."""
    return (
        restrict(ApprovalRequest.objects.all(), user, "approvals.decide")
        .filter(status=ApprovalStatus.PENDING)
        .select_related("shop", "requested_by")
        .order_by("created_at")
    )


def access_approval(user, pk: int) -> ApprovalRequest:
    return get_object_or_404(
        restrict(ApprovalRequest.objects.all(), user, "approvals.decide"), pk=pk
    )


def open_breaches(user) -> QuerySet[SlaBreach]:
    return (
        restrict(SlaBreach.objects.all(), user, "approvals.decide")
        .filter(handled_at__isnull=True)
        .select_related("shop", "ticket", "ticket__buyer", "assignee")
    )


def access_breach(user, pk: int) -> SlaBreach:
    return get_object_or_404(restrict(SlaBreach.objects.all(), user, "approvals.decide"), pk=pk)


def escalated_tickets(user) -> QuerySet[Ticket]:
    return (
        restrict(Ticket.objects.all(), user, "approvals.decide")
        .filter(escalated_at__isnull=False, escalation_handled_at__isnull=True)
        .select_related("shop", "buyer", "assignee")
        .order_by("escalated_at")
    )


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("shop")


# --- figures for the KPI app (system reads; the caller scopes the shops) -----------------


@dataclass(frozen=True)
class TicketCostDay:
    shop_id: int
    day: date
    opened: int
    refund_amount: Decimal
    compensation_amount: Decimal
    reshipping_postage: Decimal
    return_postage: Decimal

    @property
    def total(self) -> Decimal:
        return (
            self.refund_amount
            + self.compensation_amount
            + self.reshipping_postage
            + self.return_postage
        )


def _day_range(start: date, end: date) -> Q:
    return Q(
        created_at__gte=datetime.combine(start, time.min, SHANGHAI),
        created_at__lt=datetime.combine(end + timedelta(days=1), time.min, SHANGHAI),
    )


def ticket_costs_per_day(
    *, start: date, end: date, shop_ids: Iterable[int] | None = None
) -> list[TicketCostDay]:
    """Tickets opened and their after-sale costs per shop per day (Asia/Shanghai day the
    ticket was opened), ``start`` to ``end`` inclusive; days without tickets are absent.
    Refused tickets count as opened (they are after-sale contacts) and cost what they cost."""
    tickets = Ticket.objects.filter(_day_range(start, end))
    if shop_ids is not None:
        tickets = tickets.filter(shop_id__in=list(shop_ids))
    zero = Decimal("0.00")
    rows = (
        tickets.annotate(day=TruncDate("created_at", tzinfo=SHANGHAI))
        .values("shop_id", "day")
        .annotate(
            opened=Count("pk"),
            refund=Sum("refund_amount"),
            compensation=Sum("compensation_amount"),
            reshipping=Sum("reshipping_postage"),
            returning=Sum("return_postage"),
        )
        .order_by("shop_id", "day")
    )
    return [
        TicketCostDay(
            shop_id=row["shop_id"],
            day=row["day"],
            opened=row["opened"],
            refund_amount=row["refund"] or zero,
            compensation_amount=row["compensation"] or zero,
            reshipping_postage=row["reshipping"] or zero,
            return_postage=row["returning"] or zero,
        )
        for row in rows
    ]


def tickets_resolved_per_agent(
    *, start: date, end: date, shop_ids: Iterable[int] | None = None
) -> list[dict]:
    """Per shop, agent (``resolved_by``) and Asia/Shanghai day of closing: ``resolved``
    (closed, not refused) and ``sla_kept`` (of those, tickets that never breached an SLA
    deadline). Keys: shop_id, user_id, day, resolved, sla_kept."""
    breached = SlaBreach.objects.filter(ticket=OuterRef("pk"))
    tickets = Ticket.objects.filter(
        state=TicketState.CLOSED,
        resolved_by__isnull=False,
        closed_at__gte=datetime.combine(start, time.min, SHANGHAI),
        closed_at__lt=datetime.combine(end + timedelta(days=1), time.min, SHANGHAI),
    )
    if shop_ids is not None:
        tickets = tickets.filter(shop_id__in=list(shop_ids))
    rows = (
        tickets.annotate(day=TruncDate("closed_at", tzinfo=SHANGHAI))
        .values("shop_id", "resolved_by", "day")
        .annotate(
            resolved=Count("pk"),
            sla_kept=Count("pk", filter=~Q(Exists(breached))),
        )
        .order_by("shop_id", "day", "resolved_by")
    )
    return [
        {
            "shop_id": row["shop_id"],
            "user_id": row["resolved_by"],
            "day": row["day"],
            "resolved": row["resolved"],
            "sla_kept": row["sla_kept"],
        }
        for row in rows
    ]


def sla_breaches_per_day(
    *, start: date, end: date, shop_ids: Iterable[int] | None = None
) -> list[dict]:
    """SLA breaches per shop, agent (assignee when detected) and day of detection. Keys:
    shop_id, user_id (may be None), day, breaches."""
    breaches = SlaBreach.objects.filter(
        detected_at__gte=datetime.combine(start, time.min, SHANGHAI),
        detected_at__lt=datetime.combine(end + timedelta(days=1), time.min, SHANGHAI),
    )
    if shop_ids is not None:
        breaches = breaches.filter(shop_id__in=list(shop_ids))
    rows = (
        breaches.annotate(day=TruncDate("detected_at", tzinfo=SHANGHAI))
        .values("shop_id", "assignee", "day")
        .annotate(breaches=Count("pk"))
        .order_by("shop_id", "day")
    )
    return [
        {
            "shop_id": r["shop_id"],
            "user_id": r["assignee"],
            "day": r["day"],
            "breaches": r["breaches"],
        }
        for r in rows
    ]


def ticket_prefill(user, *, order_pk: str, buyer_pk: str) -> dict:
    """A new ticket's initial values from an order's and a buyer's pk (as the chat side
    panel links them); one the user may not open tickets for is ignored."""
    initial = {}
    if order_pk.isdigit():
        order = (
            restrict(Order.objects.all(), user, "tickets.work")
            .select_related("buyer")
            .filter(pk=int(order_pk))
            .first()
        )
        if order:
            initial.update(shop=order.shop_id, order_id=order.order_id, buyer_nick=order.buyer_nick)
    if buyer_pk.isdigit():
        buyer = restrict(Buyer.objects.all(), user, "tickets.work").filter(pk=int(buyer_pk)).first()
        if buyer:
            initial.update(shop=buyer.shop_id, buyer_nick=buyer.nick)
    return initial


def access_ticket_order(user, *, shop, order_id: str) -> Order:
    """The shop's order a ticket is opened for, if the user works tickets there; else 404."""
    return get_object_or_404(
        restrict(Order.objects.all(), user, "tickets.work"), shop=shop, order_id=order_id
    )


EVIDENCE_TICKETS = 5


def evidence_tickets(user, conversation) -> list[Ticket]:
    """The buyer's open after-sale tickets this user may add photos to (newest first), for
    the one-click 附到工单 buttons under each buyer photo."""
    return list(
        restrict(Ticket.objects.all(), user, "tickets.work")
        .filter(
            shop_id=conversation.shop_id,
            buyer_id=conversation.buyer_id,
            state__in=OPEN_STATES,
        )
        .order_by("-created_at", "-pk")[:EVIDENCE_TICKETS]
    )
