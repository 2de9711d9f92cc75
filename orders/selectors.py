"""Reads for pages and the API: every queryset starts from the shops the user may see."""

from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import ACTIONS, restrict, shop_ids_for
from helpdesk.capped import CappedCount, capped_counts

from .models import (
    ACTIVE_PROBLEM_STATES,
    Buyer,
    CourierRequest,
    Memo,
    Order,
    Problem,
    ProblemCategory,
    ProblemDigest,
    Sku,
    StockWish,
)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def orders_visible_to(
    user: User,
    *,
    shop_id: int | None = None,
    state: str = "",
    buyer: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Order]:
    """Orders newest first. ``buyer`` matches the nick exactly or by prefix (indexed)."""
    orders = restrict(Order.objects.all(), user, "orders.view").select_related("shop")
    if shop_id:
        orders = orders.filter(shop_id=shop_id)
    if state:
        orders = orders.filter(state=state)
    if buyer:
        orders = orders.filter(buyer_nick__startswith=buyer.strip())
    if date_from:
        orders = orders.filter(ordered_at__gte=_day_start(date_from))
    if date_to:
        orders = orders.filter(ordered_at__lte=_day_end(date_to))
    return orders.order_by("-ordered_at", "-pk")


def order_detail_for(user: User, pk: int) -> Order:
    """One order with everything its page shows; Order.DoesNotExist when foreign."""
    return (
        restrict(Order.objects.all(), user, "orders.view")
        .select_related("shop", "buyer")
        .prefetch_related(
            "items",
            "state_changes",
            Prefetch("memos", queryset=Memo.objects.select_related("author")),
            Prefetch(
                "problems", queryset=Problem.objects.select_related("assignee").order_by("-pk")
            ),
            Prefetch(
                "courier_requests",
                queryset=CourierRequest.objects.select_related("created_by"),
            ),
        )
        .get(pk=pk)
    )


def problems_visible_to(user: User, action: str = "problems.view") -> QuerySet[Problem]:
    return restrict(Problem.objects.all(), user, action).select_related(
        "order", "order__buyer", "assignee", "shop"
    )


def problem_queue(
    user: User,
    *,
    category: str = "",
    state: str = "",
    shop_id: int | None = None,
    assignee: str = "",
    overdue_at: datetime | None = None,
) -> QuerySet[Problem]:
    """The queue: active problems by default, due soonest first. ``assignee`` is a user
    id, ``"me"``, or ``"none"`` for the unclaimed ones; ``overdue_at`` keeps the problems
    due before that time."""
    problems = problems_visible_to(user)
    if state == "all":
        pass
    elif state:
        problems = problems.filter(state=state)
    else:
        problems = problems.filter(state__in=ACTIVE_PROBLEM_STATES)
    if category:
        problems = problems.filter(category=category)
    if shop_id:
        problems = problems.filter(shop_id=shop_id)
    if assignee == "me":
        problems = problems.filter(assignee=user)
    elif assignee == "none":
        problems = problems.filter(assignee__isnull=True)
    elif assignee.isdigit():
        problems = problems.filter(assignee_id=int(assignee))
    if overdue_at is not None:
        problems = problems.filter(due_at__lt=overdue_at)
    return problems.order_by("due_at", "pk")


def problem_counts(user: User, *, shop_id: int | None = None) -> dict[str, CappedCount]:
    """Active problems per category, each capped ("999+"): one query of one scalar
    subquery per category, each stopping on the partial index of active problems."""
    problems = restrict(
        Problem.objects.filter(state__in=ACTIVE_PROBLEM_STATES), user, "problems.view"
    )
    if shop_id:
        problems = problems.filter(shop_id=shop_id)
    return capped_counts({code: problems.filter(category=code) for code in ProblemCategory.values})


def problem_card_for(user: User, pk: int) -> Problem:
    """One problem with its order card: items, memos, buyer file, courier requests."""
    return (
        problems_visible_to(user)
        .prefetch_related(
            "order__items",
            Prefetch("order__memos", queryset=Memo.objects.select_related("author")),
            "order__courier_requests",
        )
        .get(pk=pk)
    )


def buyer_summary(buyer: Buyer | None) -> dict:
    """Order count, total spent and waiting wishes of a buyer, in one query."""
    if buyer is None:
        return {}
    return Buyer.objects.filter(pk=buyer.pk).aggregate(
        orders=Count("orders", distinct=True),
        waiting_wishes=Count(
            "stock_wishes", filter=Q(stock_wishes__notified_at__isnull=True), distinct=True
        ),
    )


def buyers_visible_to(user: User, action: str = "buyers.view") -> QuerySet[Buyer]:
    return restrict(Buyer.objects.all(), user, action).select_related("shop")


def buyer_file_for(user: User, pk: int) -> Buyer:
    return (
        buyers_visible_to(user)
        .prefetch_related(
            Prefetch(
                "stock_wishes",
                queryset=StockWish.objects.select_related("sku", "created_by").order_by(
                    "-created_at"
                ),
            )
        )
        .get(pk=pk)
    )


def skus_visible_to(user: User, action: str = "stock.manage") -> QuerySet[Sku]:
    return (
        restrict(Sku.objects.all(), user, action)
        .select_related("shop")
        .annotate(
            waiting=Count("wishes", filter=Q(wishes__notified_at__isnull=True)),
        )
        .order_by("shop__code", "code")
    )


def digests_visible_to(user: User) -> QuerySet[ProblemDigest]:
    return restrict(ProblemDigest.objects.all(), user, "problems.view").select_related("shop")


def queue_assignees(user: User) -> QuerySet[User]:
    """People who may work problems in the user's shops (the assignee filter)."""
    shop_ids = shop_ids_for(user, "problems.view")
    return (
        User.objects.filter(
            memberships__shop_id__in=shop_ids,
            memberships__role__in=list(ACTIONS["problems.work"]),
            is_active=True,
        )
        .distinct()
        .order_by("work_number")
    )
