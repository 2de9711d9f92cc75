from helpdesk.errors import ConflictError, DomainError


class QaError(DomainError):
    """A quality-review score that the rubric does not allow."""


class HandoverError(DomainError):
    """A handover note that cannot be written or acknowledged as asked."""


class AlreadyDone(ConflictError):
    """Someone else did it first (acknowledged the note, recorded the check)."""


class DsrError(DomainError):
    """A DSR score or day that cannot be recorded."""
