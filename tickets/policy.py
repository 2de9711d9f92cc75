"""The shop's after-sale policy, as named rules. A refusal raises PolicyRefused with the
rule's code in the message, so the agent (and the API client) knows which rule spoke.

Rules:
- ``order_required``: every type except invoice and platform_dispute needs the order.
- ``return_window``: a no-fault return (七天无理由, size/colour) is accepted only within
  Shop.return_window_days of receipt. Receipt is Order.received_at (确认收货时间); when the
  platform gave none, it is the estimated arrival: shipped_at plus the shop's delivery days
  for the province (Shop.delivery_regions). An order not shipped yet has no receipt, so the
  window has not started and the request is within it.
- ``not_resellable``: goods marked worn or washed are not returnable or exchangeable.
- ``exchange_return_first``: the replacement ships only after the returned item arrived.
- ``price_difference_after_receipt``: a price-difference refund is paid only after the buyer
  confirmed receipt (Order.received_at, or a received/finished order state).
- ``photo_required``: damaged / missing / wrong-item tickets need a photo before approval.
- ``approval_limit``: a refund or compensation above the actor's role limit
  (Shop.approval_limits, yuan by role) goes to a supervisor; a role missing from the setting
  has no allowance, except managers, who have no limit.
- ``reason_required`` / ``tracking_required`` / ``amount_required``: facts a step needs.
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.models import Shop
from accounts.roles import Role
from orders.models import Order
from orders.states import RECEIVED_STATES

from .errors import PolicyRefused
from .models import NO_FAULT_REASONS, Ticket
from .states import (
    CLAIM_TYPES,
    ORDER_OPTIONAL_TYPES,
    PHOTO_TYPES,
    SUPERVISORS,
    Action,
    TicketState,
    TicketType,
)

RETURN_TYPES = frozenset({TicketType.RETURN_REFUND, TicketType.EXCHANGE})


def delivery_days(shop: Shop, province: str) -> int:
    regions = shop.delivery_regions or {}
    for group in ("fast", "remote"):
        if province and province in regions.get(group, {}).get("provinces", []):
            return int(regions[group]["days"])
    return int(regions.get("default_days", 5))


def receipt_time(order: Order, shop: Shop) -> datetime | None:
    """When the buyer had the goods: see ``return_window`` above."""
    if order.received_at:
        return order.received_at
    if order.shipped_at:
        return order.shipped_at + timedelta(days=delivery_days(shop, order.province))
    return None


def approval_limit(shop: Shop, role: str) -> Decimal | None:
    """The largest amount ``role`` may pay without approval; None means no limit."""
    limits = shop.approval_limits or {}
    if role not in limits:
        return None if role == Role.MANAGER else Decimal("0")
    try:
        return Decimal(str(limits[role]))
    except InvalidOperation:
        return Decimal("0")


def check_order_present(ticket_type: str, order: Order | None) -> None:
    if order is None and ticket_type not in ORDER_OPTIONAL_TYPES:
        raise PolicyRefused("order_required", _("此类工单必须关联订单。"))


def check_return_window(ticket: Ticket, *, now: datetime) -> None:
    if ticket.type not in RETURN_TYPES or ticket.reason not in NO_FAULT_REASONS:
        return
    receipt = receipt_time(ticket.order, ticket.shop)
    if receipt is None:
        return
    deadline = receipt + timedelta(days=ticket.shop.return_window_days)
    if ticket.created_at > deadline:
        raise PolicyRefused(
            "return_window",
            _("无理由退换货须在签收后 %(days)s 天内申请（签收：%(receipt)s）。")
            % {
                "days": ticket.shop.return_window_days,
                "receipt": localtime(receipt).strftime("%Y-%m-%d %H:%M"),
            },
        )


def check_resellable(ticket: Ticket) -> None:
    if ticket.type in RETURN_TYPES and ticket.worn_or_washed:
        raise PolicyRefused("not_resellable", _("商品已穿着或洗涤，影响二次销售，不支持退换。"))


def check_before(ticket: Ticket, action: str, *, now: datetime, photo_count: int) -> None:
    """The rules that guard ``action`` on ``ticket`` (called before the transition)."""
    if action == Action.APPROVE:
        check_resellable(ticket)
        check_return_window(ticket, now=now)
        if ticket.type in PHOTO_TYPES and photo_count < 1:
            raise PolicyRefused("photo_required", _("请先上传至少一张照片作为凭证，再同意处理。"))
    returned = ticket.state == TicketState.RECEIVED and ticket.return_received_at is not None
    if action == Action.RESHIP and ticket.type == TicketType.EXCHANGE and not returned:
        raise PolicyRefused(
            "exchange_return_first", _("换货须先收到买家寄回的商品，才能发出新商品。")
        )
    if action == Action.REFUND and ticket.type == TicketType.PRICE_DIFFERENCE:
        order = ticket.order
        if not (order.received_at or order.state in RECEIVED_STATES):
            raise PolicyRefused(
                "price_difference_after_receipt", _("补差价须在买家确认收货后才能退款。")
            )


def check_claim_payout(ticket: Ticket) -> None:
    """A damage or shortage claim is paid only once the agent recorded whether the buyer
    signed for the parcel intact (a signed waybill without objection weakens the claim)."""
    if ticket.type in CLAIM_TYPES and ticket.signed_intact is None:
        raise PolicyRefused(
            "signed_intact_required", _("请先记录买家签收时外包装是否完好，再处理退款或补偿。")
        )


def claim_needs_approval(ticket: Ticket, role: str) -> bool:
    """Any payout on a damage or shortage claim goes to a supervisor, whatever the amount."""
    return ticket.type in CLAIM_TYPES and role not in SUPERVISORS


def needs_approval(shop: Shop, role: str, amount: Decimal) -> bool:
    limit = approval_limit(shop, role)
    return limit is not None and amount > limit
