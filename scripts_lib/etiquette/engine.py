"""The engine: runs every rule over a draft and orders the findings by position.

Rules live in ``rules.py`` (phrases), ``data_leak.py`` and ``review_replies.py``; adding one
means a function there, its code in ``rules.RULES`` and its place in ``CHECKS`` below.
"""

from collections.abc import Iterable

from .data_leak import data_leak
from .findings import Finding
from .review_replies import duplicate_review_reply
from .rules import (
    RULES,
    absolute_promise,
    bare_particle,
    cash_rebate,
    dont_know,
    informal_you,
    insult,
    negative_word,
    off_platform,
    one_word_reply,
    refusal_without_apology,
    transfer_address,
)
from .text import masked

CHECKS = (
    bare_particle,
    one_word_reply,
    dont_know,
    negative_word,
    refusal_without_apology,
    absolute_promise,
    cash_rebate,
    off_platform,
    transfer_address,
    insult,
    data_leak,
    informal_you,
    duplicate_review_reply,
)


def check(
    text: str,
    *,
    buyer=None,
    order=None,
    shop=None,
    review_reply: bool = False,
    recent_replies: Iterable[str] | None = None,
) -> list[Finding]:
    """The findings for a reply draft, ordered by position.

    ``buyer``/``order``: the conversation's buyer and order, whose own numbers and names are
    not leaks. ``review_reply=True`` adds the duplicate check against ``recent_replies`` (the
    shop's recent review reply texts; when None they come from the registered sources for
    ``shop``). Pass ``recent_replies`` without the reply being edited, so it is not compared
    with itself.
    """
    text = text or ""
    masked_text = masked(text)
    context = {
        "buyer": buyer,
        "order": order,
        "shop": shop,
        "review_reply": review_reply,
        "recent_replies": recent_replies,
    }
    findings = [finding for rule in CHECKS for finding in rule(text, masked_text, context)]
    findings.sort(key=lambda f: (f.start, f.end, RULES.index(f.rule)))
    return findings


def check_review_reply(
    text: str, *, shop, buyer=None, order=None, recent_replies: Iterable[str] | None = None
) -> list[Finding]:
    """``check`` for a reply to a review (adds ``duplicate_review_reply``)."""
    return check(
        text, buyer=buyer, order=order, shop=shop, review_reply=True, recent_replies=recent_replies
    )


def check_reply(text: str, **kwargs) -> list[Finding]:
    """The name the house rules use for ``check``: every word that can reach a buyer passes it."""
    return check(text, **kwargs)
