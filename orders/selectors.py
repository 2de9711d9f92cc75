"""Reads for pages and the API: every queryset starts from the shops the user may see."""

from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import ACTIONS, can, restrict, shop_ids_for
from helpdesk.capped import CappedCount, capped_counts

from .models import (
    ACTIVE_PROBLEM_STATES,
    Buyer,
    CourierRequest,
    ImportRun,
    Memo,
    Order,
    Problem,
    ProblemCategory,
    ProblemDigest,
    Sku,
    StockWish,
)
from .problem_states import Transition, actions_from


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


def access_order(user: User, pk: int) -> Order:
    """One order the user may see; a foreign and an unknown order are both a 404."""
    return get_object_or_404(restrict(Order.objects.all(), user, "orders.view"), pk=pk)


def access_order_detail(user: User, pk: int) -> Order:
    """One order with everything its page shows; a foreign or unknown order is a 404."""
    return get_object_or_404(
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
        ),
        pk=pk,
    )


def problems_visible_to(user: User, action: str = "problems.view") -> QuerySet[Problem]:
    return restrict(Problem.objects.all(), user, action).select_related(
        "order", "order__buyer", "assignee", "shop"
    )


def access_problem(user: User, pk: int, action: str = "problems.view") -> Problem:
    """One problem the user may ``action``; a foreign and an unknown one are both a 404."""
    return get_object_or_404(problems_visible_to(user, action), pk=pk)


def buyer_latest_item_title(buyer_id: int | None) -> str:
    """The item title of the buyer's newest order ("" without one): what routing rules match."""
    if buyer_id is None:
        return ""
    return (
        Order.objects.filter(buyer_id=buyer_id)
        .order_by("-ordered_at")
        .values_list("item_title", flat=True)
        .first()
        or ""
    )


def latest_memo(order_id: int) -> Memo | None:
    """The order's newest memo (the one the seller's backend shows)."""
    return Memo.objects.filter(order_id=order_id).first()


def problem_queue(
    user: User,
    *,
    category: str = "",
    state: str = "",
    shop_id: int | None = None,
    assignee: str = "",
    overdue_at: datetime | None = None,
    import_run: ImportRun | None = None,
) -> QuerySet[Problem]:
    """The queue: active problems by default, due soonest first. ``assignee`` is a user
    id, ``"me"``, or ``"none"`` for the unclaimed ones; ``overdue_at`` keeps the problems
    due before that time; ``import_run`` keeps the ones that import opened (detection
    opens them with no opener at the run's own moment, ``finished_at``)."""
    problems = problems_visible_to(user)
    if import_run is not None:
        problems = problems.filter(
            shop_id=import_run.shop_id,
            opened_by__isnull=True,
            opened_at=import_run.finished_at,
        )
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


SIMILAR_SHOWN = 200


def problem_stock_skus(problem: Problem) -> tuple[list[Sku], list[Sku]]:
    """The order's own SKUs (what is missing) and the shop's in-stock ones (similar)."""
    codes = [item.sku_code for item in problem.order.items.all() if item.sku_code]
    shop_skus = Sku.objects.filter(shop_id=problem.shop_id)
    missing = shop_skus.filter(code__in=codes) if codes else shop_skus.filter(stock__lte=0)
    similar = shop_skus.filter(stock__gt=0).order_by("code")[:SIMILAR_SHOWN]
    return list(missing.order_by("code")[:SIMILAR_SHOWN]), list(similar)


def problem_transitions_for(user: User, problem: Problem) -> list[Transition]:
    """The state-table steps the user may take on the problem now (its buttons); cancel has
    a form of its own and is left out."""
    return [
        entry
        for entry in actions_from(problem.state)
        if entry.action != "cancel" and can(user, entry.permission, problem)
    ]


def problem_courier_request(problem: Problem, pk: int) -> CourierRequest:
    """One courier request of the problem's order; any other id is a 404."""
    return get_object_or_404(CourierRequest.objects.filter(order_id=problem.order_id), pk=pk)


def problem_shop_sku(problem: Problem, pk: int) -> Sku | None:
    """A SKU of the problem's shop, or None (a SKU of another shop is never offered)."""
    return Sku.objects.filter(pk=pk, shop_id=problem.shop_id).first()


def duplicate_group(problem: Problem) -> QuerySet[Problem]:
    """The buyer's active duplicate-order problems in the problem's shop: the group an
    agent settles at once (the page lists it; the settling service locks it)."""
    order = problem.order
    same_buyer = (
        {"order__buyer_id": order.buyer_id}
        if order.buyer_id
        else {"order__buyer_nick": order.buyer_nick}
    )
    return Problem.objects.filter(
        shop_id=problem.shop_id,
        category=ProblemCategory.DUPLICATE_ORDERS,
        state__in=ACTIVE_PROBLEM_STATES,
        **same_buyer,
    )


def duplicate_orders(problem: Problem) -> list[Order]:
    """The orders of the problem's duplicate group, oldest first."""
    return list(
        Order.objects.filter(problems__in=duplicate_group(problem))
        .distinct()
        .order_by("ordered_at", "pk")
    )


def problem_counts(user: User, *, shop_id: int | None = None) -> dict[str, CappedCount]:
    """Active problems per category, each capped ("999+"): one query of one scalar
    subquery per category, each stopping on the partial index of active problems."""
    problems = restrict(
        Problem.objects.filter(state__in=ACTIVE_PROBLEM_STATES), user, "problems.view"
    )
    if shop_id:
        problems = problems.filter(shop_id=shop_id)
    return capped_counts({code: problems.filter(category=code) for code in ProblemCategory.values})


def access_problem_card(user: User, pk: int) -> Problem:
    """One problem with its order card: items, memos, buyer file, courier requests; a
    foreign or unknown problem is a 404."""
    return get_object_or_404(
        problems_visible_to(user).prefetch_related(
            "order__items",
            Prefetch("order__memos", queryset=Memo.objects.select_related("author")),
            "order__courier_requests",
        ),
        pk=pk,
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


def access_buyer_file(user: User, pk: int) -> Buyer:
    """One buyer file with its stock wishes; a foreign or unknown buyer is a 404."""
    return get_object_or_404(
        buyers_visible_to(user).prefetch_related(
            Prefetch(
                "stock_wishes",
                queryset=StockWish.objects.select_related("sku", "created_by").order_by(
                    "-created_at"
                ),
            )
        ),
        pk=pk,
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


def buyer_wish_skus(buyer: Buyer) -> QuerySet[Sku]:
    """The SKUs a buyer may wish for: those of the buyer's shop (the caller reached the
    buyer through ``access_buyer_file``)."""
    return Sku.objects.filter(shop_id=buyer.shop_id).order_by("code")


def import_runs_visible_to(user: User) -> QuerySet[ImportRun]:
    return restrict(ImportRun.objects.select_related("shop", "created_by"), user, "orders.import")


def access_import_run(user: User, pk: int) -> ImportRun:
    """A run of a shop where the user imports; a foreign and an unknown run are both a 404."""
    return get_object_or_404(import_runs_visible_to(user), pk=pk)


def access_sku(user: User, pk: int, action: str = "stock.manage") -> Sku:
    return get_object_or_404(skus_visible_to(user, action), pk=pk)


def digests_visible_to(user: User) -> QuerySet[ProblemDigest]:
    return restrict(ProblemDigest.objects.all(), user, "problems.view").select_related("shop")


def access_digest(user: User, pk: int, *, shop=None) -> ProblemDigest:
    """A digest of a shop the user may see (of ``shop`` when given); else a 404."""
    digests = digests_visible_to(user)
    if shop is not None:
        digests = digests.filter(shop=shop)
    return get_object_or_404(digests, pk=pk)


def queue_assignee(user: User, pk: int) -> User | None:
    """One of ``queue_assignees``, or None when ``pk`` is nobody the user may hand work to."""
    return queue_assignees(user).filter(pk=pk).first()


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
