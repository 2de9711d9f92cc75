"""Reads of reviews, always scoped to the shops where the user works reviews."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Prefetch, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import REVIEWS_UP, restrict
from chats.models import Message, Sender

from .models import FINAL_STATES, Review, ReviewState, ReviewTransition


def reviews_visible_to(
    user,
    *,
    action: str = "reviews.view",
    shop_id: int | None = None,
    rating: str = "",
    state: str = "",
    assignee_id: int | None = None,
    extortion: bool | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Review]:
    """The reviews of the shops where ``user`` may do ``action``, newest first, with the
    rows every list shows already joined (a fixed number of queries per page)."""
    reviews = restrict(Review.objects.all(), user, action).select_related(
        "shop", "buyer", "order", "assignee"
    )
    if shop_id:
        reviews = reviews.filter(shop_id=shop_id)
    if rating:
        reviews = reviews.filter(rating=rating)
    if state:
        reviews = reviews.filter(state=state)
    if assignee_id:
        reviews = reviews.filter(assignee_id=assignee_id)
    if extortion is not None:
        reviews = reviews.filter(is_extortion=extortion)
    if since:
        reviews = reviews.filter(reviewed_at__gte=_start_of(since))
    if until:
        reviews = reviews.filter(reviewed_at__lt=_start_of(until + timedelta(days=1)))
    return reviews.order_by("-reviewed_at", "-id")


def access_review(user, pk: int, *, action: str = "reviews.view") -> Review:
    """One review; an unknown one and one of a shop the user does not work are both 404."""
    try:
        return reviews_visible_to(user, action=action).get(pk=pk)
    except Review.DoesNotExist:
        raise Http404 from None


def access_review_detail(user, pk: int, *, action: str = "reviews.view") -> Review:
    """One review with its transitions, drafts and evidence (the API's detail)."""
    try:
        return (
            reviews_visible_to(user, action=action)
            .prefetch_related(
                Prefetch("transitions", ReviewTransition.objects.order_by("created_at", "id")),
                "drafts",
                "evidence",
            )
            .get(pk=pk)
        )
    except Review.DoesNotExist:
        raise Http404 from None


def review_specialists(shops) -> list[User]:
    """Active people who may work reviews in any of ``shops`` (the assignee choices)."""
    return list(
        User.objects.filter(
            is_active=True, memberships__shop__in=shops, memberships__role__in=REVIEWS_UP
        )
        .distinct()
        .order_by("work_number")
    )


def buyer_messages_for_evidence(review: Review) -> QuerySet[Message]:
    """The messages sent as that buyer in every conversation of that buyer with the
    review's shop: what a specialist may copy as evidence, each with its channel (only a
    channel that proves identity makes them the buyer's own words). Agents' words are
    never evidence of extortion."""
    return (
        Message.objects.filter(
            conversation__shop_id=review.shop_id,
            conversation__buyer_id=review.buyer_id,
            sender=Sender.BUYER,
        )
        .select_related("conversation", "channel")
        .order_by("sent_at", "id")
    )


def extortion_cases_for(user, *, action: str = "reviews.view") -> QuerySet[Review]:
    """Open extortion cases of the shops where ``user`` may do ``action``, oldest mark
    first, each with ``evidence_count``. One query."""
    return (
        reviews_visible_to(user, action=action, extortion=True)
        .exclude(state__in=FINAL_STATES)
        .annotate(evidence_count=Count("evidence"))
        .order_by("extortion_marked_at", "id")
    )


INBOX_LIMIT = 200


def inbox_extortion_cases(user) -> list[Review]:
    """The inbox section: open extortion cases of the shops the user supervises."""
    return list(extortion_cases_for(user, action="approvals.decide")[:INBOX_LIMIT])


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def new_reviews_per_shop_per_day(
    *, start: date, end: date, shop_ids: list[int] | None = None
) -> list[dict]:
    """For KPIs: reviews by the day they were written (Asia/Shanghai), ``start`` to ``end``
    inclusive. Rows ``{"shop_id", "day", "rating", "count"}``; days without reviews are
    absent. No user: the KPI jobs run as the system and roll up every shop."""
    reviews = Review.objects.filter(
        reviewed_at__gte=_start_of(start), reviewed_at__lt=_start_of(end + timedelta(days=1))
    )
    if shop_ids is not None:
        reviews = reviews.filter(shop_id__in=shop_ids)
    return list(
        reviews.annotate(day=TruncDate("reviewed_at"))
        .values("shop_id", "day", "rating")
        .annotate(count=Count("id"))
        .order_by("shop_id", "day", "rating")
    )


def reviews_revised_per_specialist_per_day(
    *, start: date, end: date, shop_ids: list[int] | None = None
) -> list[dict]:
    """For KPIs ("review revisions won"): how many reviews each user moved to revised, per
    shop and day (Asia/Shanghai). Rows ``{"user_id", "shop_id", "day", "count"}``."""
    moves = ReviewTransition.objects.filter(
        to_state=ReviewState.REVISED,
        created_at__gte=_start_of(start),
        created_at__lt=_start_of(end + timedelta(days=1)),
        actor__isnull=False,
    )
    if shop_ids is not None:
        moves = moves.filter(review__shop_id__in=shop_ids)
    return list(
        moves.annotate(day=TruncDate("created_at"))
        .values("day", user_id=F("actor_id"), shop_id=F("review__shop_id"))
        .annotate(count=Count("id"))
        .order_by("day", "user_id", "shop_id")
    )
