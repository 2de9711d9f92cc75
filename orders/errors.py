from helpdesk.errors import ConflictError, DomainError


class ProblemError(DomainError):
    pass


class ProblemConflict(ConflictError):
    pass
