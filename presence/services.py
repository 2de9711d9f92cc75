"""Marking presence: a page's heartbeat says "I am viewing this", the composer says "I am
typing", leaving the page says "I am gone". Marks live in the cache only (marks.py):
nothing here is audited, since nothing of the business changes."""

import re
from collections.abc import Callable
from datetime import datetime

from django.db.models import Model

from accounts.models import User
from accounts.permissions import require
from helpdesk import clock

from .kinds import kind_of
from .marks import Mark, live_marks, page_objects, remember_page, save_marks
from .signals import watchers_changed


def _picture(marks: dict[int, Mark], now: datetime) -> frozenset[tuple[int, bool]]:
    """What the others see: who is there and who is typing."""
    return frozenset((user_id, mark.typing(now)) for user_id, mark in marks.items())


PAGE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def clean_page(page: str | None) -> str:
    """The page's own random id (static/js/live.js), or "" for anything else."""
    return page if page and PAGE.match(page) else ""


def presence_mark(
    *, actor: User, target: Model, now: datetime, typing: bool = False, page: str = ""
) -> None:
    """``actor`` has ``target`` (a conversation, problem or ticket) open at ``now``;
    ``typing`` when the beat comes from the composer (conversations only). ``page``: the
    id of the page that beat, whose event stream ending removes the mark
    (presence_page_closed)."""
    kind = kind_of(target)
    require(actor, kind.action, target)
    marks = live_marks(kind.name, target.pk, now=now)
    before = _picture(marks, now)
    previous = marks.get(actor.pk)
    stamp = now.timestamp()
    typing_at = previous.typing_at if previous else None
    if typing and kind.tracks_typing:
        typing_at = stamp
    page = clean_page(page)
    marks[actor.pk] = Mark(actor.pk, actor.label, stamp, typing_at, page)
    save_marks(kind.name, target.pk, marks)
    if page:
        remember_page(actor.pk, page, kind.name, target.pk, target.shop_id)
    if _picture(marks, now) != before:
        presence_changed(kind.name, target.pk, target.shop_id)


def presence_leave(*, actor: User, target: Model, now: datetime) -> None:
    """``actor`` closed the page or moved on: their mark goes at once, not at expiry."""
    kind = kind_of(target)
    require(actor, kind.action, target)
    marks = live_marks(kind.name, target.pk, now=now)
    if marks.pop(actor.pk, None) is None:
        return
    save_marks(kind.name, target.pk, marks)
    presence_changed(kind.name, target.pk, target.shop_id)


def presence_page_closed(*, user_id: int, page: str, now: datetime) -> None:
    """The event stream of one of ``user_id``'s pages ended: the tab was closed without
    its leave beacon, the network or the laptop went away. Their marks from that page go
    now and the others on those objects are told, instead of the mark expiring unseen
    (VIEWING_SECONDS) and each page noticing at its next heartbeat. A mark another page
    of the same user refreshed since stays. Only the user's own marks are touched, so no
    permission is needed beyond owning the stream."""
    page = clean_page(page)
    if not page:
        return
    for kind, object_id, shop_id in page_objects(user_id, page):
        marks = live_marks(kind, object_id, now=now)
        mark = marks.get(user_id)
        if mark is None or mark.page != page:
            continue
        del marks[user_id]
        save_marks(kind, object_id, marks)
        presence_changed(kind, object_id, shop_id)


def page_closer(user_id: int, page: str) -> Callable[[], None] | None:
    """What the event stream of a page runs when it ends (live.streams.agent_stream's
    ``on_close``): that page's presence goes, at the moment it ends."""
    if not clean_page(page):
        return None
    return lambda: presence_page_closed(user_id=user_id, page=page, now=clock.now())


def presence_changed(kind: str, object_id: int, shop_id: int) -> None:
    """The one place that learns the watchers of an object changed (somebody arrived,
    started or stopped typing, or left, or their page's stream ended; a mark that only
    expires is not reported). It
    announces it on ``watchers_changed``; server push subscribes there to refresh the
    watchers fragment of everyone on that object."""
    watchers_changed.send(sender=presence_changed, kind=kind, object_id=object_id, shop_id=shop_id)
