from helpdesk.errors import DomainError


class OutreachError(DomainError):
    """A request about scheduled messaging that cannot be carried out as asked."""
