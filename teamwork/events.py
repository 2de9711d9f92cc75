"""The webhook events other apps' services emit, with the ``data`` each one carries.

One function per kind of object, called inside the service's transaction, e.g.
``ticket_event("ticket.state_changed", ticket, now=now, previous_state=before)``.
Payloads name objects by id and platform order id only: no message bodies, no phone
numbers or addresses.
"""

from datetime import datetime

from .webhooks import webhook_emit, webhook_emit_each


def conversation_event(event: str, conversation, *, now: datetime) -> None:
    webhook_emit(
        shop_id=conversation.shop_id,
        event=event,
        now=now,
        data=lambda: {
            "conversation_id": conversation.pk,
            "buyer_nick": conversation.buyer.nick,
            "channel_id": conversation.channel_id,
            "state": conversation.state,
            "outcome": conversation.outcome or None,
        },
    )


def problem_event(event: str, problem, *, now: datetime) -> None:
    webhook_emit(
        shop_id=problem.shop_id,
        event=event,
        now=now,
        data=lambda: {
            "problem_id": problem.pk,
            "order_id": problem.order.order_id,
            "category": problem.category,
            "state": problem.state,
            "resolution": problem.resolution or None,
        },
    )


def ticket_event(event: str, ticket, *, now: datetime, previous_state: str | None = None) -> None:
    def data():
        payload = {
            "ticket_id": ticket.pk,
            "type": ticket.type,
            "state": ticket.state,
            "order_id": ticket.order.order_id if ticket.order_id else None,
        }
        if previous_state is not None:
            payload["previous_state"] = previous_state
        return payload

    webhook_emit(shop_id=ticket.shop_id, event=event, now=now, data=data)


def review_events(reviews: list, *, now: datetime) -> None:
    """``review.created`` for each review of one shop created together (an import)."""
    if not reviews:
        return
    webhook_emit_each(
        shop_id=reviews[0].shop_id,
        event="review.created",
        now=now,
        payloads=lambda: [
            {
                "review_id": review.pk,
                "rating": review.rating,
                "order_id": review.platform_order_id,
                "reviewed_at": review.reviewed_at.isoformat(),
            }
            for review in reviews
        ],
    )


def reminder_event(order, *, outbox_id: int, now: datetime) -> None:
    webhook_emit(
        shop_id=order.shop_id,
        event="reminder.sent",
        now=now,
        data=lambda: {"order_id": order.order_id, "outbox_id": outbox_id},
    )
