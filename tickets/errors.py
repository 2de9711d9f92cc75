from helpdesk.errors import ConflictError, DomainError
from helpdesk.images import ImageRefused
from helpdesk.spreadsheets.errors import SheetUnreadable


class TicketError(DomainError):
    """A ticket action refused for a reason the agent can act on."""


class TransitionNotAllowed(TicketError):
    """The ticket's state machine has no such step from here, or not for this role."""


class PolicyRefused(TicketError):
    """A shop policy rule refused the action. ``rule`` names it (tickets/policy.py) for
    code and tests; the agent reads only the message, which says what to do."""

    def __init__(self, rule: str, message: str):
        self.rule = rule
        super().__init__(message)


class TicketChanged(ConflictError):
    """The ticket moved on while the agent looked at it."""


# An upload that is not an acceptable image (the rules are shared with chat photos).
PhotoRefused = ImageRefused


class ImportFatal(SheetUnreadable):
    """The whole refund export is unusable; nothing was written. ``report`` carries the row
    errors that made an all-or-nothing (``strict``) import refuse the file."""
