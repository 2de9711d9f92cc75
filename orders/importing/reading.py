"""The order import reads through the shared spreadsheet reader (helpdesk.spreadsheets);
these names stay importable from here for the modules that already use them."""

from helpdesk.spreadsheets.reading import Record, Source, cell_text, sniff_format

__all__ = ["Record", "Source", "cell_text", "sniff_format"]
