"""The one writer for every CSV and XLSX the helpdesk hands out (registers, digests, KPI
days, script exports, the evidence pack's message table).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel, LibreOffice and WPS when the file is opened (CSV) or when the cell is
edited (XLSX; openpyxl even writes such a string as a live formula). Buyers choose their
nicks, messages and review texts, so every text cell passes ``safe_cell``, which puts an
apostrophe in front of such a text: the spreadsheet shows it as text and runs nothing.
The readers (helpdesk.spreadsheets.reading.unwrap_cell) take the apostrophe off again, so
an exported script list imports back unchanged.

Numbers, money, dates and booleans are written as themselves. A long platform id (order,
refund, conversation) is wrapped in ``PlatformId``: CSV writes it ``="…"`` so Excel keeps
all its digits instead of showing 1.23457E+18; XLSX writes it as a text cell.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ID_TEXT = re.compile(r"[0-9A-Za-z_-]+")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class PlatformId(str):
    """A platform id to keep digit for digit (``="…"`` in CSV, a text cell in XLSX)."""


@dataclass(frozen=True)
class Formatted:
    """A number with an Excel number format (``#,##0.00``, ``0.0%``); CSV writes the value."""

    value: int | float | Decimal | None
    number_format: str


def safe_cell(value):
    """The value as a spreadsheet may hold it without running anything: text that would
    start a formula gets a leading apostrophe; numbers, dates and booleans pass as they
    are; anything else (a lazy translation, a model's label) becomes text first."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime | time):
        return value
    text = str(value)
    if text[:1] in FORMULA_STARTS or text.lstrip()[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def _csv_cell(value) -> str:
    if isinstance(value, Formatted):
        value = value.value
    if isinstance(value, PlatformId) and _ID_TEXT.fullmatch(value):
        return f'="{value}"'
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def write_csv(header: Sequence, rows: Iterable[Sequence], *, bom: bool = True) -> bytes:
    """UTF-8 CSV with CRLF line ends; with a BOM by default, so Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    """One worksheet: ``preamble`` rows (a title line), the bold ``header``, the ``rows``;
    ``widths`` are column widths in characters, from column A (None: the default)."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]
    preamble: Sequence[Sequence] = field(default_factory=tuple)
    widths: Sequence[float] = field(default_factory=tuple)


def write_xlsx(header: Sequence, rows: Iterable[Sequence], *, sheet: str = "Sheet1", widths=()):
    """One sheet as XLSX bytes; see ``write_workbook``."""
    return write_workbook([Sheet(title=sheet, header=header, rows=rows, widths=widths)])


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """XLSX bytes, streamed row by row (openpyxl's write-only mode keeps memory flat).
    Every text cell is typed as text and passed through ``safe_cell``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        worksheet = book.create_sheet(str(spec.title)[:31])
        for column, width in enumerate(spec.widths, start=1):
            if width is not None:
                worksheet.column_dimensions[get_column_letter(column)].width = width
        for row in spec.preamble:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
        worksheet.append([_xlsx_cell(worksheet, name, font=bold) for name in spec.header])
        for row in spec.rows:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(worksheet, value, *, font=None):
    from openpyxl.cell import WriteOnlyCell

    number_format = None
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    value = str(value) if isinstance(value, PlatformId) else safe_cell(value)
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store a text starting with = as a formula
    if number_format and value is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell
