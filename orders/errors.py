from helpdesk.errors import ConflictError, DomainError


class ProblemError(DomainError):
    pass


class ProblemConflict(ConflictError):
    pass


class FormError(DomainError):
    """A problem page's form was filled in wrong; the message says what to fix."""
