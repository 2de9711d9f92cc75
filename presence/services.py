"""Marking presence: a page's heartbeat says "I am viewing this", the composer says "I am
typing", leaving the page says "I am gone". Marks live in the cache only (marks.py):
nothing here is audited, since nothing of the business changes."""

from datetime import datetime

from django.db.models import Model

from accounts.models import User
from accounts.permissions import require

from .kinds import kind_of
from .marks import Mark, live_marks, save_marks
from .signals import watchers_changed


def _picture(marks: dict[int, Mark], now: datetime) -> frozenset[tuple[int, bool]]:
    """What the others see: who is there and who is typing."""
    return frozenset((user_id, mark.typing(now)) for user_id, mark in marks.items())


def presence_mark(*, actor: User, target: Model, now: datetime, typing: bool = False) -> None:
    """``actor`` has ``target`` (a conversation, problem or ticket) open at ``now``;
    ``typing`` when the beat comes from the composer (conversations only)."""
    kind = kind_of(target)
    require(actor, kind.action, target)
    marks = live_marks(kind.name, target.pk, now=now)
    before = _picture(marks, now)
    previous = marks.get(actor.pk)
    stamp = now.timestamp()
    typing_at = previous.typing_at if previous else None
    if typing and kind.tracks_typing:
        typing_at = stamp
    marks[actor.pk] = Mark(actor.pk, actor.label, stamp, typing_at)
    save_marks(kind.name, target.pk, marks)
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


def presence_changed(kind: str, object_id: int, shop_id: int) -> None:
    """The one place that learns the watchers of an object changed (somebody arrived,
    started or stopped typing, or left; a mark that only expires is not reported). It
    announces it on ``watchers_changed``; server push subscribes there to refresh the
    watchers fragment of everyone on that object."""
    watchers_changed.send(sender=presence_changed, kind=kind, object_id=object_id, shop_id=shop_id)
