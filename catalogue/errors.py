from helpdesk.errors import DomainError


class CatalogueError(DomainError):
    """A catalogue or library rule refused the change; the message says why."""
