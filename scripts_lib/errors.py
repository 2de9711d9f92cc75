from helpdesk.errors import DomainError


class ScriptError(DomainError):
    """A script could not be saved; the message says what to fix."""


class ScriptImportError(DomainError):
    """An import file was refused; ``errors`` lists (row number, message), nothing was saved."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("；".join(f"第{row}行：{message}" for row, message in errors[:20]))
