from helpdesk.errors import DomainError


class WebhookUrlRefused(DomainError):
    """The endpoint URL is not http(s), or it points at an address our server must not call."""


class NoteRefused(DomainError):
    """An empty note, or a mention of someone who may not see the object."""


class TagRefused(DomainError):
    """A tag name that is taken, empty, or a tag of another team."""


class RoutingRefused(DomainError):
    """A rule or group that cannot be saved as given."""
