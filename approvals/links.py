"""Where an approval request's subject lives: each app that asks for approvals registers
a function from the subject's id to its page, so the inbox and the requester's
notification can link to it without the approvals app knowing the other apps."""

from collections.abc import Callable

_subject_links: dict[str, Callable[[str], str]] = {}


def register_subject_link(subject_type: str, func: Callable[[str], str]) -> None:
    _subject_links[subject_type] = func


def subject_link(subject_type: str, subject_id: str) -> str:
    func = _subject_links.get(subject_type)
    return func(subject_id) if func else ""
