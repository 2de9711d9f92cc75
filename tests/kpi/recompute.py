"""The figures of one shop (or one agent of it) on one day, recomputed plainly from the raw
rows, loops over lists, written from docs/kpi.md without reading kpi/sources. The
recomputation test compares every rollup row with this."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from chats.models import Conversation, OutboxMessage
from kpi.days import SHANGHAI, day_bounds
from kpi.models import QaReview
from orders.models import Order, Problem
from outreach.models import Reminder
from reviews.models import Review, ReviewTransition
from tickets.models import SlaBreach, Ticket, TicketEvent

CENT = Decimal("0.01")


def day_of(moment) -> date:
    return moment.astimezone(SHANGHAI).date()


def _rate(numerator, denominator):
    return numerator / denominator if denominator else None


class Raw:
    """Every raw row the figures come from, read once."""

    def __init__(self):
        self.conversations = list(Conversation.objects.values())
        self.orders = {o["id"]: o for o in Order.objects.values()}
        self.reminders = list(Reminder.objects.values())
        self.tickets = list(Ticket.objects.values())
        self.refunded_at = defaultdict(list)
        for event in TicketEvent.objects.filter(to_state="refunded").values():
            self.refunded_at[event["ticket_id"]].append(event["created_at"])
        self.breached = set(SlaBreach.objects.values_list("ticket_id", flat=True))
        self.reviews = list(Review.objects.values("shop_id", "reviewed_at"))
        self.revisions = list(
            ReviewTransition.objects.filter(to_state="revised", actor__isnull=False).values(
                "actor_id", "created_at", "review__shop_id"
            )
        )
        self.problems = list(Problem.objects.values("shop_id", "category", "opened_at"))
        self.followups = list(
            OutboxMessage.objects.filter(kind="delivery_followup", status="sent").values(
                "shop_id", "sent_at"
            )
        )
        self.qa = list(QaReview.objects.filter(state="scored").values())


def _chat_figures(conversations, orders, window_hours):
    """Reception, inquiries, paying buyers and their orders, responses, CSAT."""
    served, inquiring, paying, credited = set(), set(), set(), {}
    for c in conversations:
        if c["agent_message_count"] > 0:
            served.add(c["buyer_id"])
        inquiry = (
            c["queue"] == "pre_sale"
            and c["buyer_message_count"] > 0
            and c["outcome"] not in ("not_sale_question", "spam")
        )
        if not inquiry:
            continue
        inquiring.add(c["buyer_id"])
        for o in orders:
            if (
                o["buyer_id"] == c["buyer_id"]
                and o["paid_at"] is not None
                and c["created_at"]
                <= o["paid_at"]
                < c["created_at"] + timedelta(hours=window_hours)
            ):
                paying.add(c["buyer_id"])
                credited[o["id"]] = o["paid_amount"]
    first = [
        c["first_response_seconds"]
        for c in conversations
        if c["first_response_seconds"] is not None
    ]
    csat = [c["csat_rating"] for c in conversations if c["csat_rating"] is not None]
    total = {
        k: sum(c[k] for c in conversations)
        for k in (
            "response_seconds_total",
            "response_count",
            "responses_within_3min",
            "buyer_message_count",
            "agent_message_count",
        )
    }
    inquiry_sales = sum(credited.values(), Decimal("0.00"))
    return {
        "reception_count": len(served),
        "inquiry_count": len(inquiring),
        "paying_count": len(paying),
        "inquiry_conversion": _rate(len(paying), len(inquiring)),
        "first_response_seconds": _rate(sum(first), len(first)),
        "average_response_seconds": _rate(total["response_seconds_total"], total["response_count"]),
        "response_within_3min_rate": _rate(total["responses_within_3min"], total["response_count"]),
        "qa_ratio": _rate(total["buyer_message_count"], total["agent_message_count"]),
        "csat_average": _rate(sum(csat), len(csat)),
        "_inquiry_sales": inquiry_sales,
        "_inquiry_orders": len(credited),
    }


def _reminder_figures(reminders, orders):
    paid = 0
    for r in reminders:
        paid_at = orders[r["order_id"]]["paid_at"]
        if paid_at is not None and r["sent_at"] <= paid_at <= r["sent_at"] + timedelta(hours=24):
            paid += 1
    return {"reminders_sent": len(reminders), "reminder_success_rate": _rate(paid, len(reminders))}


def _resolved_figures(tickets, breached):
    resolved = [t for t in tickets if t["state"] == "closed" and t["resolved_by_id"] is not None]
    kept = [t for t in resolved if t["id"] not in breached]
    return {"tickets_resolved": len(resolved), "sla_kept_rate": _rate(len(kept), len(resolved))}


def _qa_score(reviews):
    return _rate(sum(r["total"] for r in reviews), len(reviews))


def shop_figures(raw: Raw, shop, day: date) -> dict:
    orders = [o for o in raw.orders.values() if o["shop_id"] == shop.pk]
    conversations = [
        c for c in raw.conversations if c["shop_id"] == shop.pk and day_of(c["created_at"]) == day
    ]
    figures = _chat_figures(conversations, orders, shop.conversion_window_hours)
    paid_today = [o for o in orders if o["paid_at"] and day_of(o["paid_at"]) == day]
    sales = sum((o["paid_amount"] for o in paid_today), Decimal("0.00"))
    figures.update(
        _reminder_figures(
            [r for r in raw.reminders if r["shop_id"] == shop.pk and day_of(r["sent_at"]) == day],
            raw.orders,
        )
    )
    tickets = [t for t in raw.tickets if t["shop_id"] == shop.pk]
    figures.update(
        _resolved_figures(
            [t for t in tickets if t["closed_at"] and day_of(t["closed_at"]) == day], raw.breached
        )
    )
    opened = [t for t in tickets if day_of(t["created_at"]) == day]
    refunded = [
        t
        for t in tickets
        if t["id"] in raw.refunded_at and day_of(min(raw.refunded_at[t["id"]])) == day
    ]
    end_of_day = day_bounds(day)[1]
    window = [
        o
        for o in orders
        if o["paid_at"] and day - timedelta(days=29) <= day_of(o["paid_at"]) <= day
    ]
    with_ticket = {t["order_id"] for t in tickets if t["created_at"] < end_of_day}
    refunded_orders = {
        t["order_id"]
        for t in tickets
        if any(moment < end_of_day for moment in raw.refunded_at.get(t["id"], []))
    }
    problems = defaultdict(int)
    for p in raw.problems:
        if p["shop_id"] == shop.pk and day_of(p["opened_at"]) == day:
            problems[p["category"]] += 1
    qa = [q for q in raw.qa if q["shop_id"] == shop.pk and day_of(q["scored_at"]) == day]
    figures.update(
        {
            "sales": sales,
            "orders": len(paid_today),
            "average_order_value": (sales / len(paid_today)).quantize(CENT) if paid_today else None,
            "followups_sent": sum(
                1 for f in raw.followups if f["shop_id"] == shop.pk and day_of(f["sent_at"]) == day
            ),
            "reviews_revised": sum(
                1
                for r in raw.revisions
                if r["review__shop_id"] == shop.pk and day_of(r["created_at"]) == day
            ),
            "qa_score": _qa_score(qa),
            "refund_amount": sum((t["refund_amount"] for t in refunded), Decimal("0.00")),
            "after_sale_cost": sum(
                (
                    t["refund_amount"]
                    + t["compensation_amount"]
                    + t["reshipping_postage"]
                    + t["return_postage"]
                    for t in opened
                ),
                Decimal("0.00"),
            ),
            "after_sale_tickets": len(opened),
            "after_sale_rate": _rate(sum(1 for o in window if o["id"] in with_ticket), len(window)),
            "refund_rate": _rate(sum(1 for o in window if o["id"] in refunded_orders), len(window)),
            "new_negative_reviews": sum(
                1
                for r in raw.reviews
                if r["shop_id"] == shop.pk and day_of(r["reviewed_at"]) == day
            ),
            "problems_by_category": dict(problems),
        }
    )
    del figures["_inquiry_sales"], figures["_inquiry_orders"]
    return figures


def agents_with_figures(raw: Raw, shop, day: date) -> set[int]:
    """The agents who have a row for the day: they served a conversation opened that day,
    were credited a reminder sent, resolved a ticket, won a revision or were scored."""
    found = set()
    found |= {
        c["assignee_id"]
        for c in raw.conversations
        if c["shop_id"] == shop.pk and day_of(c["created_at"]) == day and c["assignee_id"]
    }
    found |= {
        r["agent_id"]
        for r in raw.reminders
        if r["shop_id"] == shop.pk and day_of(r["sent_at"]) == day and r["agent_id"]
    }
    found |= {
        t["resolved_by_id"]
        for t in raw.tickets
        if t["shop_id"] == shop.pk
        and t["state"] == "closed"
        and t["resolved_by_id"]
        and day_of(t["closed_at"]) == day
    }
    found |= {
        r["actor_id"]
        for r in raw.revisions
        if r["review__shop_id"] == shop.pk and day_of(r["created_at"]) == day
    }
    found |= {
        q["agent_id"] for q in raw.qa if q["shop_id"] == shop.pk and day_of(q["scored_at"]) == day
    }
    return found


def agent_figures(raw: Raw, shop, agent_id: int, day: date) -> dict:
    orders = [o for o in raw.orders.values() if o["shop_id"] == shop.pk]
    conversations = [
        c
        for c in raw.conversations
        if c["shop_id"] == shop.pk
        and c["assignee_id"] == agent_id
        and day_of(c["created_at"]) == day
    ]
    figures = _chat_figures(conversations, orders, shop.conversion_window_hours)
    sales, count = figures.pop("_inquiry_sales"), figures.pop("_inquiry_orders")
    figures["sales"] = sales
    figures["average_order_value"] = (sales / count).quantize(CENT) if count else None
    figures.update(
        _reminder_figures(
            [
                r
                for r in raw.reminders
                if r["shop_id"] == shop.pk
                and r["agent_id"] == agent_id
                and day_of(r["sent_at"]) == day
            ],
            raw.orders,
        )
    )
    figures.update(
        _resolved_figures(
            [
                t
                for t in raw.tickets
                if t["shop_id"] == shop.pk
                and t["resolved_by_id"] == agent_id
                and t["closed_at"]
                and day_of(t["closed_at"]) == day
            ],
            raw.breached,
        )
    )
    figures["reviews_revised"] = sum(
        1
        for r in raw.revisions
        if r["review__shop_id"] == shop.pk
        and r["actor_id"] == agent_id
        and day_of(r["created_at"]) == day
    )
    figures["qa_score"] = _qa_score(
        [
            q
            for q in raw.qa
            if q["shop_id"] == shop.pk
            and q["agent_id"] == agent_id
            and day_of(q["scored_at"]) == day
        ]
    )
    return figures
