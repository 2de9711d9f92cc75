"""The supervisors' inbox (/tickets/inbox/): pending approvals of every kind, SLA breaches
and escalated tickets, plus sections other apps register.

Another app adds a section from its ``apps.py`` ``ready()`` (or any module imported at
start-up)::

    from tickets.inbox import register_inbox_section

    register_inbox_section(
        "extortion",                     # unique name; a second registration replaces it
        extortion_cases_for,             # selector(user) -> iterable, ALREADY restricted
        "reviews/inbox_extortion.html",  # rendered with {"section": ..., "items": [...]}
        title=_("差评要挟"),
        order=40,                        # built-in sections are 10, 20, 30
    )

The selector receives the requesting user (a supervisor or manager) and must only return
what that user may see (use accounts.permissions.restrict). The inbox evaluates it once
per page view (``list(...)``), so make it a single query with select_related. Approval
requests link to their subject through ``approvals.links``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

SectionSelector = Callable[[object], Iterable]


@dataclass(frozen=True)
class InboxSection:
    name: str
    selector: SectionSelector
    template: str
    title: str
    order: int = 50


_sections: dict[str, InboxSection] = {}


def register_inbox_section(
    name: str, selector: SectionSelector, template: str, *, title: str = "", order: int = 50
) -> InboxSection:
    # ``title`` stays lazy: registered at start-up, it is translated when a page renders it.
    section = InboxSection(name, selector, template, title or name, order)
    _sections[name] = section
    return section


def registered_sections() -> list[InboxSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def sections_for(user) -> list[tuple[InboxSection, list]]:
    return [(section, list(section.selector(user))) for section in registered_sections()]
