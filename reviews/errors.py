from helpdesk.errors import ConflictError, DomainError


class ReviewError(DomainError):
    """A review rule refused the action."""


class TransitionRefused(ReviewError):
    pass


class ReviewConflict(ConflictError):
    pass


class EvidenceImmutableError(ReviewError):
    def __init__(self, message: str = "证据一经保存不可修改。"):
        super().__init__(message)
