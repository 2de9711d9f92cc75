"""Writing parsed reviews: one review per (review id) or (order id, review time), created or
updated in place, never moving a review along its workflow; good reviews recorded."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from accounts.models import Shop
from audit.services import audit
from orders.models import Buyer, Order
from teamwork.events import review_events

from ..deadlines import review_due_at
from ..models import GoodReview, Review
from .parsing import ImportReport, ReviewRow

UPDATABLE = [
    "external_id",
    "rating",
    "text",
    "item_title",
    "dsr_description",
    "dsr_service",
    "dsr_logistics",
    "buyer_id",
    "order_id",
]


def _buyer_ids(shop: Shop, rows: list[ReviewRow]) -> dict[str, int]:
    """Buyer ids by nick, creating the buyer files that do not exist yet."""
    nicks = {row.nick for row in rows}
    ids = dict(Buyer.objects.filter(shop=shop, nick__in=nicks).values_list("nick", "pk"))
    missing = nicks - ids.keys()
    if missing:
        Buyer.objects.bulk_create(
            [Buyer(shop=shop, nick=nick) for nick in missing], ignore_conflicts=True
        )
        ids.update(Buyer.objects.filter(shop=shop, nick__in=missing).values_list("nick", "pk"))
    return ids


@transaction.atomic
def reviews_upsert(
    *, actor, shop: Shop, rows: list[ReviewRow], now: datetime, report: ImportReport
) -> list[Review]:
    """Create or update reviews of ``shop`` from parsed rows in one transaction, with a
    fixed number of queries whatever the row count. The caller checked permission."""
    if not rows:
        return []
    orders = {
        o.order_id: o
        for o in Order.objects.filter(shop=shop, order_id__in={r.order_id for r in rows})
    }
    buyer_ids = _buyer_ids(shop, rows)
    ids = [r.external_id for r in rows if r.external_id]
    by_id, by_time = {}, {}
    for review in (
        Review.objects.filter(shop=shop)
        .filter(_matching(ids, [(r.order_id, r.reviewed_at) for r in rows]))
        .select_for_update()
    ):
        if review.external_id:
            by_id[review.external_id] = review
        by_time.setdefault((review.platform_order_id, review.reviewed_at), []).append(review)
    new, changed, result = [], [], []
    for row in rows:
        order = orders.get(row.order_id)
        values = {
            "rating": row.rating,
            "text": row.text,
            "item_title": row.item_title,
            "dsr_description": row.dsr_description,
            "dsr_service": row.dsr_service,
            "dsr_logistics": row.dsr_logistics,
            "buyer_id": buyer_ids[row.nick],
            "order_id": order.pk if order else None,
        }
        review = _match(row, by_id, by_time)
        if review is not None and review.external_id != row.external_id and row.external_id:
            values["external_id"] = row.external_id
        if review is None:
            review = Review(
                shop=shop,
                platform_order_id=row.order_id,
                external_id=row.external_id,
                reviewed_at=row.reviewed_at,
                created_at=now,
                state_changed_at=now,
                due_at=review_due_at(shop, now),
                **values,
            )
            new.append(review)
            report.created += 1
        elif any(getattr(review, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(review, name, value)
            changed.append(review)
            report.updated += 1
        else:
            report.unchanged += 1
        result.append(review)
    Review.objects.bulk_create(new, batch_size=500)
    review_events(new, now=now)
    Review.objects.bulk_update(changed, UPDATABLE, batch_size=500)
    if new or changed:
        audit(
            actor,
            "reviews.imported",
            shop,
            changes={"created": [None, len(new)], "updated": [None, len(changed)]},
            now=now,
        )
    return result


def good_reviews_record(*, shop: Shop, good_reviews: dict[str, datetime], now: datetime) -> None:
    """Record the 好评 of these order ids (an order already recorded keeps its first one).
    The caller checked permission and holds the import's transaction."""
    GoodReview.objects.bulk_create(
        [
            GoodReview(shop=shop, platform_order_id=order_id, reviewed_at=at, created_at=now)
            for order_id, at in good_reviews.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def _match(row: ReviewRow, by_id: dict, by_time: dict) -> Review | None:
    """The stored review a row describes. With a review id: that id, else a review of the
    same order and time stored without an id (imported from an older export; it gets the
    id now). Without one: the single review of that order and time."""
    if row.external_id and row.external_id in by_id:
        return by_id[row.external_id]
    same_time = by_time.get((row.order_id, row.reviewed_at), [])
    if row.external_id:
        unnamed = [review for review in same_time if not review.external_id]
        return unnamed[0] if unnamed else None
    return same_time[0] if len(same_time) == 1 else None


def _matching(ids: list[str], order_times: list[tuple[str, datetime]]) -> Q:
    """Candidates for the rows' reviews (a superset; exact matching is by key)."""
    query = Q(external_id__in=ids) if ids else Q(pk__in=[])
    if order_times:
        query |= Q(
            platform_order_id__in={order_id for order_id, _ in order_times},
            reviewed_at__in={at for _, at in order_times},
        )
    return query
