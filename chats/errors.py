from helpdesk.errors import ConflictError, DomainError


class ChatError(DomainError):
    """A chat rule refused the action; the message says why."""


class AlreadyClaimed(ConflictError):
    pass


class ConversationClosed(ConflictError):
    pass


class InvalidMessage(DomainError):
    """An inbound or outbound message broke a rule; ``field`` names the offending field."""

    def __init__(self, message: str, *, field: str = "text", status_code: int = 400):
        super().__init__(message)
        self.field = field
        self.status_code = status_code


class OverLimit(ChatError):
    """The agent is at their limit; a supervisor may still assign after confirming."""

    def __init__(self, message: str, *, load: int, limit: int):
        super().__init__(message)
        self.load = load
        self.limit = limit


class UnseenBuyerMessages(ConflictError):
    """The buyer wrote again after the message the agent last saw; ``messages`` are the
    new ones, shown to the agent before the reply may go."""

    def __init__(self, message: str, *, messages: list):
        super().__init__(message)
        self.messages = messages


class TransitionNotAllowed(ConflictError):
    """The conversation's state does not allow the step (chats/states.py)."""
