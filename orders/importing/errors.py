from helpdesk.spreadsheets.errors import SheetUnreadable


class ImportFatal(SheetUnreadable):
    """The file as a whole cannot be imported: nothing is written.

    ``report`` carries what was found so far (the row errors under --strict), so the
    command and the upload page can still show every line at fault."""


class FieldError(ValueError):
    """One cell cannot be read; the message names the column and says what is wrong."""
