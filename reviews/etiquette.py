"""Reply drafts through the etiquette checker (scripts_lib.etiquette).

``duplicate_review_reply`` compares a public reply with the shop's other recent public
replies; this module supplies them from the saved drafts of the shop's other reviews."""

from datetime import datetime, timedelta

from .models import DraftKind, ReplyDraft, Review

RECENT_REPLIES_WINDOW = timedelta(days=30)
RECENT_REPLIES_LIMIT = 200


def recent_public_replies(review: Review, *, now: datetime) -> list[str]:
    """The newest public replies of the review's shop to its other reviews, 30 days back."""
    return list(
        ReplyDraft.objects.filter(
            shop_id=review.shop_id,
            kind=DraftKind.PUBLIC_REPLY,
            created_at__gte=now - RECENT_REPLIES_WINDOW,
        )
        .exclude(review_id=review.pk)
        .order_by("-created_at")
        .values_list("text", flat=True)[:RECENT_REPLIES_LIMIT]
    )


def findings_for_draft(review: Review, *, kind: str, text: str, now: datetime) -> list[dict]:
    """The checker's findings for a draft, as plain dicts to show and to keep."""
    from scripts_lib.etiquette import check

    recent = recent_public_replies(review, now=now) if kind == DraftKind.PUBLIC_REPLY else None
    findings = check(text, buyer=review.buyer, order=review.order, recent_replies=recent)
    return [
        {
            "rule": f.rule,
            "start": f.start,
            "end": f.end,
            "message": str(f.message),
            "suggestion": f.suggestion,
        }
        for f in findings
    ]
