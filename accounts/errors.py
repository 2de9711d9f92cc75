from helpdesk.errors import DomainError


class StaffChangeRefused(DomainError):
    """The actor lacks authority over that person: their own account, a superuser's, or
    an account that also works in shops the actor does not manage."""

    status_code = 403
