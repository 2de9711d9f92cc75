"""The one way the app tells open pages that something changed.

An event is small: its kind and ids. Pages re-fetch the fragment it concerns through
the usual views (same authorization, one rendering path). Services call ``publish``
inside their transaction; the event leaves after commit, so a page never re-fetches
before the change is visible, and a rolled-back change is never announced."""

import json

from django.db import transaction

from .broker import broker

PRESENCE_KINDS = frozenset({"presence_conversation", "presence_problem", "presence_ticket"})
KINDS = frozenset(
    {"message", "queue", "alert", "import", "notification", "access", *PRESENCE_KINDS}
)


def topics_for(event: dict, *, to_buyer: bool) -> list[str]:
    topics = []
    if event.get("shop"):
        topics.append(f"shop:{event['shop']}")
    elif event.get("user"):
        topics.append(f"user:{event['user']}")
    if to_buyer and event.get("conversation"):
        topics.append(f"conversation:{event['conversation']}")
    return topics


def publish(
    kind: str,
    *,
    shop_id: int | None = None,
    user_id: int | None = None,
    to_buyer: bool = False,
    already_visible: bool = False,
    **ids: int | str | None,
) -> None:
    """Announce ``kind`` after the current transaction commits.

    ``shop_id``: every agent of that shop whose role may see ``kind`` (live/streams.py);
    without it, ``user_id``: that user only. ``to_buyer``: also the buyer's web chat page
    of ``conversation``. ``ids``: the few ids the page needs to pick what to re-fetch.
    ``already_visible``: what changed is readable before the commit (an import's progress
    lives in the cache while its transaction runs), so the event leaves at once."""
    if kind not in KINDS:
        raise ValueError(f"unknown live event kind {kind!r}")
    event = {"kind": kind, "shop": shop_id, "user": user_id, **ids}
    data = json.dumps(event, separators=(",", ":"))
    topics = topics_for(event, to_buyer=to_buyer)

    def send():
        current = broker()
        for topic in topics:
            current.send(topic, data)

    if already_visible:
        send()
    else:
        transaction.on_commit(send)


def conversation_changed(kind: str, conversation, *, previous_assignee_id=None, message=None):
    """A conversation's queue row or log changed: its shop's agents re-fetch; a message
    the buyer may see also reaches the buyer's page."""
    ids = {"conversation": conversation.pk, "assignee": conversation.assignee_id}
    if previous_assignee_id is not None:
        ids["from"] = previous_assignee_id
    if message is not None:
        ids["message"] = message.pk
    publish(
        kind,
        shop_id=conversation.shop_id,
        to_buyer=message is not None and not message.is_internal,
        **ids,
    )
