"""Reply drafts through the etiquette checker (scripts_lib.etiquette).

``duplicate_review_reply`` compares a public reply with the shop's other recent public
replies. This module supplies them from the saved drafts of the shop's *other* reviews
(a specialist rewriting the reply to the same review is not copying), and registers the
same source with the checker for callers outside this app (apps.py)."""

from datetime import datetime, timedelta

from scripts_lib.etiquette import RECENT_REPLIES_LIMIT, check

from .models import DraftKind, ReplyDraft, Review

RECENT_REPLIES_WINDOW = timedelta(days=30)


def _public_replies(shop_id: int):
    return ReplyDraft.objects.filter(shop_id=shop_id, kind=DraftKind.PUBLIC_REPLY).order_by(
        "-created_at", "-id"
    )


def recent_public_replies(review: Review, *, now: datetime) -> list[str]:
    """The newest public replies of the review's shop to its other reviews, 30 days back."""
    return list(
        _public_replies(review.shop_id)
        .filter(created_at__gte=now - RECENT_REPLIES_WINDOW)
        .exclude(review_id=review.pk)
        .values_list("text", flat=True)[:RECENT_REPLIES_LIMIT]
    )


def shop_review_replies(shop, limit: int) -> list[str]:
    """The checker's review-reply source: the shop's latest public replies, newest first."""
    return list(_public_replies(shop.pk).values_list("text", flat=True)[:limit])


def findings_for_draft(review: Review, *, kind: str, text: str, now: datetime) -> list[dict]:
    """The checker's findings for a draft, as plain dicts to show and to keep, each with
    the flagged ``excerpt``. Public replies are review replies (duplicate check on);
    messages to the buyer are not."""
    public = kind == DraftKind.PUBLIC_REPLY
    findings = check(
        text,
        buyer=review.buyer,
        order=review.order,
        shop=review.shop,
        review_reply=public,
        recent_replies=recent_public_replies(review, now=now) if public else None,
    )
    return [{**f.as_stored(), "excerpt": text[f.start : f.end][:40]} for f in findings]
