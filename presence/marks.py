"""Short-lived "viewing" and "typing" marks, kept in the presence cache.

One cache entry per object (``presence:<kind>:<id>``) maps each present user to their
label and the moments they were last seen viewing and typing. Whether a mark is still
live is decided against the ``now`` the caller passes (the helpdesk's clock), not by the
cache's own expiry: that one runs on the wall clock, which tests and the moved-clock CI
pass cannot move, so it only sweeps away entries nobody touched for ``KEEP_SECONDS``.

Two heartbeats on one object landing within the same few milliseconds can overwrite each
other's mark (read, change, write); the next heartbeat, 10 s later, puts it back.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import caches

# The page beats every 10 s while it is visible: a viewer survives one lost beat.
VIEWING_SECONDS = 25
# The composer beats at most every 3 s while the agent types. A typing mark outlives one
# heartbeat (10 s), so every other page open on the object sees even a short burst.
TYPING_SECONDS = 12
KEEP_SECONDS = 120


@dataclass(frozen=True)
class Mark:
    user_id: int
    label: str
    seen_at: float
    typing_at: float | None = None
    page: str = ""  # the page (its event stream) that beat last; "" when unknown

    def viewing(self, now: datetime) -> bool:
        return now.timestamp() - self.seen_at <= VIEWING_SECONDS

    def typing(self, now: datetime) -> bool:
        return self.typing_at is not None and now.timestamp() - self.typing_at <= TYPING_SECONDS


def _store():
    return caches["presence"]


def _key(kind: str, object_id: int) -> str:
    return f"presence:{kind}:{object_id}"


def _decode(raw) -> dict[int, Mark]:
    if not isinstance(raw, dict):
        return {}
    return {int(user_id): Mark(int(user_id), *fields) for user_id, fields in raw.items()}


def live_marks(kind: str, object_id: int, *, now: datetime) -> dict[int, Mark]:
    """The marks on one object still live at ``now``, by user id."""
    marks = _decode(_store().get(_key(kind, object_id)))
    return {user_id: mark for user_id, mark in marks.items() if mark.viewing(now)}


def live_marks_many(
    kind: str, object_ids: Iterable[int], *, now: datetime
) -> dict[int, dict[int, Mark]]:
    """The live marks of several objects in one cache round trip, by object id."""
    keys = {_key(kind, object_id): object_id for object_id in object_ids}
    found = _store().get_many(list(keys)) if keys else {}
    result = {}
    for key, raw in found.items():
        live = {u: m for u, m in _decode(raw).items() if m.viewing(now)}
        if live:
            result[keys[key]] = live
    return result


def save_marks(kind: str, object_id: int, marks: dict[int, Mark]) -> None:
    key = _key(kind, object_id)
    if not marks:
        _store().delete(key)
        return
    raw = {str(m.user_id): (m.label, m.seen_at, m.typing_at, m.page) for m in marks.values()}
    _store().set(key, raw, timeout=KEEP_SECONDS)


def _page_key(user_id: int, page: str) -> str:
    return f"presence-page:{user_id}:{page}"


def remember_page(user_id: int, page: str, kind: str, object_id: int, shop_id: int) -> None:
    """What one page of the user has open, so that its marks can go when its stream ends."""
    key = _page_key(user_id, page)
    held = [tuple(entry) for entry in _store().get(key) or []]
    entry = (kind, object_id, shop_id)
    if entry not in held:
        held.append(entry)
    _store().set(key, held, timeout=KEEP_SECONDS)


def page_objects(user_id: int, page: str) -> list[tuple[str, int, int]]:
    """(kind, object id, shop id) of what the page beat on, forgotten as it is read."""
    key = _page_key(user_id, page)
    held = _store().get(key) or []
    _store().delete(key)
    return [tuple(entry) for entry in held]
