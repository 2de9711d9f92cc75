from helpdesk.errors import DomainError


class ImportFatal(DomainError):
    """The file as a whole cannot be imported: nothing is written.

    ``report`` carries what was found so far (the row errors under --strict), so the
    command and the upload page can still show every line at fault."""

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class FieldError(ValueError):
    """One cell cannot be read; the message names the column and says what is wrong."""
