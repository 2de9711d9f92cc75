"""The objects staff can be present on, each with the action that lets a user see it and
the access selector that finds it for a user (another shop's object is a 404)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.http import Http404

from accounts.models import User


def _conversation(user: User, pk: int) -> Model:
    from chats.selectors import access_conversation

    return access_conversation(user, pk)


def _problem(user: User, pk: int) -> Model:
    from orders.selectors import access_problem

    return access_problem(user, pk)


def _ticket(user: User, pk: int) -> Model:
    from tickets.selectors import access_ticket

    return access_ticket(user, pk)


@dataclass(frozen=True)
class Kind:
    name: str
    action: str
    find: Callable[[User, int], Model]
    # Only a conversation has a composer whose typing others should know about.
    tracks_typing: bool = False


KINDS: dict[str, Kind] = {
    "conversation": Kind("conversation", "chats.work", _conversation, tracks_typing=True),
    "problem": Kind("problem", "problems.view", _problem),
    "ticket": Kind("ticket", "tickets.view", _ticket),
}


def kind_of(target: Model) -> Kind:
    """The kind of a conversation, problem or ticket instance."""
    name = type(target).__name__.lower()
    if name not in KINDS:
        raise ValueError(f"no presence kind for {type(target).__name__}")
    return KINDS[name]


def find_target(user: User, kind: str, pk: int) -> tuple[Kind, Model]:
    """The object named by a URL, through its access selector; an unknown kind is a 404."""
    found = KINDS.get(kind)
    if found is None:
        raise Http404
    return found, found.find(user, pk)
