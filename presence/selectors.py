"""Who else is on an object: the one read behind every watchers fragment."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model

from accounts.models import User
from accounts.permissions import can, require

from .kinds import kind_of
from .marks import Mark, live_marks, live_marks_many


@dataclass(frozen=True)
class Watchers:
    """The other staff on one object at a moment. ``holder``: the agent who holds the
    conversation when that is not the viewer; ``unheld``: nobody holds it yet, so
    whoever replies first takes it."""

    viewing: list[Mark] = field(default_factory=list)
    typing: list[Mark] = field(default_factory=list)
    me_typing: bool = False
    holder: User | None = None
    unheld: bool = False

    @property
    def others(self) -> list[Mark]:
        return self.typing + self.viewing

    @property
    def collision(self) -> bool:
        """The viewer is writing where somebody else holds the conversation, or where
        nobody holds it and somebody else is writing too. The holder is never warned:
        only they can send."""
        return self.me_typing and (self.holder is not None or (self.unheld and bool(self.typing)))


def _split(viewer: User, marks: dict[int, Mark], now: datetime) -> tuple[list, list, bool]:
    others = sorted(
        (m for user_id, m in marks.items() if user_id != viewer.pk), key=lambda m: m.label
    )
    mine = marks.get(viewer.pk)
    return (
        [m for m in others if not m.typing(now)],
        [m for m in others if m.typing(now)],
        mine is not None and mine.typing(now),
    )


def _holder(viewer: User, target: Model, tracks_typing: bool) -> User | None:
    assignee_id = getattr(target, "assignee_id", None)
    if not tracks_typing or assignee_id is None or assignee_id == viewer.pk:
        return None
    return target.assignee


def watchers_of(*, viewer: User, target: Model, now: datetime) -> Watchers:
    """The other staff viewing or typing on ``target`` (a conversation, problem or
    ticket) at ``now``; refused unless ``viewer`` may see it."""
    kind = kind_of(target)
    require(viewer, kind.action, target)
    viewing, typing, me_typing = _split(viewer, live_marks(kind.name, target.pk, now=now), now)
    unheld = kind.tracks_typing and target.assignee_id is None
    return Watchers(viewing, typing, me_typing, _holder(viewer, target, kind.tracks_typing), unheld)


def watchers_of_many(
    *, viewer: User, targets: Iterable[Model], now: datetime
) -> dict[int, Watchers]:
    """Watchers of a page of objects of one kind (queue rows), one cache round trip and
    no query; objects ``viewer`` may not see are left out."""
    targets = list(targets)
    if not targets:
        return {}
    kind = kind_of(targets[0])
    visible = [t.pk for t in targets if can(viewer, kind.action, t)]
    result = {}
    for object_id, marks in live_marks_many(kind.name, visible, now=now).items():
        viewing, typing, _me = _split(viewer, marks, now)
        if viewing or typing:
            result[object_id] = Watchers(viewing, typing)
    return result


def with_watchers(*, viewer: User, targets: list, now: datetime) -> list:
    """``targets`` with ``.watchers`` set on each (None when nobody else is there), for a
    list page to render its rows' watchers."""
    found = watchers_of_many(viewer=viewer, targets=targets, now=now)
    for target in targets:
        target.watchers = found.get(target.pk)
    return targets
