from collections.abc import Iterator
from contextlib import contextmanager

from helpdesk.errors import DomainError


class SheetUnreadable(DomainError):
    """The file as a whole cannot be read (not a spreadsheet, damaged, too big, a zip bomb).

    ``report`` carries what an importer found so far, so a page can still list every line."""

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


@contextmanager
def refusals_as(error_class: type[SheetUnreadable]) -> Iterator[None]:
    """Re-raise the reader's refusals as an importer's own fatal error, with its message."""
    try:
        yield
    except SheetUnreadable as error:
        if isinstance(error, error_class):
            raise
        raise error_class(str(error), report=error.report) from None
