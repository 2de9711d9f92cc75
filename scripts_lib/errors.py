from helpdesk.errors import DomainError


class ScriptError(DomainError):
    """A script could not be saved; the message says what to fix."""


class ScriptImportError(DomainError):
    """An import file was refused; ``errors`` lists (row number, message), nothing was saved."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("；".join(f"第{row}行：{message}" for row, message in errors[:20]))


class ScriptEtiquetteError(ScriptError):
    """The script fails the etiquette checker and no override reason was given; ``findings``
    holds (rule, excerpt, message) for the form."""

    def __init__(self, message: str, findings: list[dict]):
        self.findings = findings
        super().__init__(message)
