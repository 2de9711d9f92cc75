"""The ``duplicate_review_reply`` rule: review replies must not all be the same text.

The draft is compared with the shop's recent review replies by character-bigram Jaccard
similarity (letters, digits and CJK only); ≥ 0.8 with any of the last 30 is a finding.
The recent replies come from the ``recent_replies`` argument when given, else from the
functions registered with ``register_review_reply_source``.
"""

from collections.abc import Callable, Iterable

from .findings import Finding

DUPLICATE_THRESHOLD = 0.8
RECENT_REPLIES_LIMIT = 30

ReviewReplySource = Callable[..., Iterable[str]]
_review_reply_sources: list[ReviewReplySource] = []


def register_review_reply_source(source: ReviewReplySource) -> ReviewReplySource:
    """Register ``source(shop, limit) -> texts`` (the shop's recent review replies, newest
    first). Usable as a decorator; registering the same function twice has no effect."""
    if source not in _review_reply_sources:
        _review_reply_sources.append(source)
    return source


def _normalised(text: str) -> str:
    return "".join(ch.lower() for ch in text if ch.isalnum())


def _bigrams(text: str) -> set[str]:
    text = _normalised(text)
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity of two texts, ignoring punctuation and spaces."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _recent_replies(shop, recent_replies):
    if recent_replies is not None:
        return list(recent_replies)[:RECENT_REPLIES_LIMIT]
    if shop is None:
        return []
    texts: list[str] = []
    for source in _review_reply_sources:
        texts.extend(source(shop, RECENT_REPLIES_LIMIT))
    return texts[: RECENT_REPLIES_LIMIT * max(1, len(_review_reply_sources))]


def duplicate_review_reply(text, masked, context):
    if not context.get("review_reply"):
        return
    mine = _bigrams(text)
    if not mine:
        return
    for other in _recent_replies(context.get("shop"), context.get("recent_replies")):
        theirs = _bigrams(other)
        if not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        if score >= DUPLICATE_THRESHOLD:
            yield Finding(
                "duplicate_review_reply",
                0,
                len(text),
                None,
                {"score": f"{score:.0%}"},
            )
            return
