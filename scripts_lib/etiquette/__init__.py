"""The etiquette checker (客服禁忌): finds what the shops' own rules forbid in a reply draft.

``check(text, *, buyer=None, order=None)`` (also ``check_reply``) returns findings, each with
the rule code, the character span, the words its advice quotes (the advice itself is
read in the reader's language, ``messages.py``), and a replacement (or None). Pure Python (precompiled regular expressions); ``data_leak`` reads
the database only when a buyer is given and the text holds a number or name that is not the
current order's. Precision matters as much as recall, so rules match phrases, not every 不.

Layout: ``rules.py`` (the phrase rules and ``RULES``), ``data_leak.py``, ``review_replies.py``
(duplicate review replies), ``text.py`` (masking), ``engine.py`` (``check``). Where each rule
comes from: docs/etiquette.md.
"""

from .engine import CHECKS, check, check_reply, check_review_reply
from .findings import Finding
from .messages import finding_message, rule_label
from .review_replies import (
    DUPLICATE_THRESHOLD,
    RECENT_REPLIES_LIMIT,
    register_review_reply_source,
    similarity,
)
from .rules import RULES

__all__ = [
    "CHECKS",
    "DUPLICATE_THRESHOLD",
    "RECENT_REPLIES_LIMIT",
    "RULES",
    "Finding",
    "check",
    "check_reply",
    "check_review_reply",
    "finding_message",
    "register_review_reply_source",
    "rule_label",
    "similarity",
]
