"""Turn an uploaded export into records (file line, list of cell texts), streaming. Every
importer reads through ``Source``: orders, refunds, reviews, scripts, DSR; from the command
line and from the browser alike.

Seller exports come as CSV in GB18030/GBK, UTF-8 or UTF-8 with BOM, with CRLF or LF and
quoted fields that may hold commas, quotes and newlines; or as XLSX. The format is judged
by content bytes and the encoding is detected, never asked: the header row is Chinese, so a
sample that decodes as UTF-8 is UTF-8 and anything else is read as GB18030 (a superset of
GBK and GB2312).

A record's line is the file line on which it starts (header = line 1), so a quoted
newline shifts the lines after it, as the shop employee sees them in a text editor.
XLSX rows are numbered as the spreadsheet shows them.

An XLSX is a zip: the sizes its directory declares are checked before anything is
inflated (``max_inflated_bytes``, and a ratio to the file's size), so a small file that
inflates to hundreds of megabytes is refused without being opened.
"""

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .errors import SheetUnreadable
from .writing import FORMULA_STARTS

SAMPLE_BYTES = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls

# A decompression bomb: an XLSX is a zip, and openpyxl inflates its parts (the shared
# strings table whole) while reading. Real exports inflate about 5-10 times; a 100,000-row
# order report is well under the absolute limit.
MAX_XLSX_INFLATED_BYTES = 1 << 30
MAX_XLSX_RATIO = 100
RATIO_CHECKED_ABOVE = 16 << 20

# The small exports (refunds, reviews, scripts, DSR) are a day's or a month's rows: their
# limits hold for the command line and the upload page alike.
SMALL_INFLATED_BYTES = 64 << 20
SMALL_ROWS = 50_000

Record = tuple[int, list[str]]


def sniff_format(head: bytes) -> str:
    """'xlsx', 'csv', or raise SheetUnreadable for anything else (judged by content bytes)."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise SheetUnreadable(_("这是旧版 Excel（.xls）文件，请另存为 CSV 或 XLSX 后再导入。"))
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SheetUnreadable(_("文件不是 CSV 或 XLSX 表格，无法读取。"))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SheetUnreadable(_("文件是 UTF-16 编码，请另存为 CSV（UTF-8 或 GBK）后再导入。"))
    return "csv"


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


class Source:
    """An opened export, from a path or from bytes already in memory (an upload).
    ``records()`` yields (line, cells) starting with the header, blank rows left out;
    ``fraction_read()`` says how far through the file the reader is, for progress bars.

    ``max_rows`` (data rows, header excluded) and ``max_inflated_bytes`` bound what a file
    may make the process hold; past either the file is refused as a whole."""

    def __init__(
        self,
        source: str | Path | bytes,
        *,
        max_inflated_bytes: int = MAX_XLSX_INFLATED_BYTES,
        max_rows: int | None = None,
    ):
        self.max_inflated_bytes = max_inflated_bytes
        self.max_rows = max_rows
        self._raw, self._size = _open(source)
        head = self._raw.read(SAMPLE_BYTES)
        self._raw.seek(0)
        if not head:
            self.close()
            raise SheetUnreadable(_("文件是空的。"))
        try:
            self.format = sniff_format(head)
        except SheetUnreadable:
            self.close()
            raise
        self.encoding = detect_encoding(head) if self.format == "csv" else None
        self._xlsx_rows = 0
        self._xlsx_total = 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._raw.close()

    def fraction_read(self) -> float:
        if self.format == "xlsx":
            return min(self._xlsx_rows / self._xlsx_total, 1.0)
        try:
            return min(self._raw.tell() / self._size, 1.0)
        except ValueError:
            return 1.0

    def records(self) -> Iterator[Record]:
        rows = self._xlsx_records() if self.format == "xlsx" else self._csv_records()
        count = 0
        for line, cells in rows:
            if any(cell.strip() for cell in cells):
                count += 1
                if self.max_rows is not None and count > self.max_rows + 1:
                    raise SheetUnreadable(
                        _("表格超过 %(rows)s 行；请按日期分段导出。") % {"rows": self.max_rows}
                    )
                yield line, cells

    def _csv_records(self) -> Iterator[Record]:
        text = io.TextIOWrapper(self._raw, encoding=self.encoding, newline="")
        start = 1
        try:
            first = text.readline()
            delimiter = "\t" if "\t" in first and "," not in first else ","
            reader = csv.reader(itertools.chain((first,), text), delimiter=delimiter)
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except UnicodeDecodeError:
            raise SheetUnreadable(
                _("第 %(line)s 行附近有无法识别的文字编码，文件可能已损坏。") % {"line": start}
            ) from None
        except csv.Error as error:
            raise SheetUnreadable(
                _("第 %(line)s 行无法按 CSV 读取（%(error)s）。") % {"line": start, "error": error}
            ) from None

    def _xlsx_records(self) -> Iterator[Record]:
        from openpyxl import load_workbook

        self._refuse_bomb()
        try:
            book = load_workbook(self._raw, read_only=True, data_only=True)
            sheet = book.worksheets[0]
        except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
            raise SheetUnreadable(_("XLSX 文件已损坏或不是 Excel 表格，无法读取。")) from None
        self._xlsx_total = max(sheet.max_row or 1, 1)
        try:
            for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                self._xlsx_rows = line
                yield line, [cell_text(value) for value in row]
        finally:
            book.close()

    def _refuse_bomb(self) -> None:
        """Refuse the zip when its members would inflate beyond the limits, read from the
        zip's directory before anything is inflated. The declared sizes are a real bound:
        zipfile stops a member at its declared size (and fails its CRC if it had more)."""
        try:
            inflated = sum(member.file_size for member in zipfile.ZipFile(self._raw).infolist())
        except (zipfile.BadZipFile, OSError):
            return  # damaged: openpyxl's own refusal says so
        finally:
            self._raw.seek(0)
        ratio_too_high = inflated > RATIO_CHECKED_ABOVE and inflated > MAX_XLSX_RATIO * self._size
        if inflated > self.max_inflated_bytes or ratio_too_high:
            raise SheetUnreadable(_("XLSX 文件解压后异常巨大，可能是压缩炸弹，已拒绝读取。"))


@contextmanager
def small_export(data: bytes) -> Iterator[tuple[list[str], Iterator[Record]]]:
    """A small export (refunds, reviews) read from memory within the small-file limits:
    its header cells and the records after it. A file without a single row is refused like
    an unreadable one (SheetUnreadable, which ``refusals_as`` turns into the importer's)."""
    with Source(data, max_inflated_bytes=SMALL_INFLATED_BYTES, max_rows=SMALL_ROWS) as source:
        records = source.records()
        first = next(records, None)
        if first is None:
            raise SheetUnreadable(_("文件是空的。"))
        yield first[1], records


def _open(source: str | Path | bytes) -> tuple[BinaryIO, int]:
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source), max(len(source), 1)
    path = Path(source)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by Source.close()
        return raw, max(path.stat().st_size, 1)
    except OSError as error:
        raise SheetUnreadable(_("无法打开文件：%(error)s") % {"error": error.strerror}) from None


def cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV export would carry. A large float stays in
    scientific notation so the id parser can tell that its digits are lost."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def unwrap_cell(value: str) -> str:
    """A cell's text without the wrappers exports put around it: spaces, the ``="…"`` that
    keeps a long id's digits in Excel, and the apostrophe our own writer puts before a
    text that would otherwise be a formula (so an export imports back unchanged)."""
    value = value.strip()
    first = value[:1]  # one test for the usual cell, which has neither wrapper
    if first == "=":
        if value[1:2] == '"' and value[-1] == '"' and len(value) >= 3:
            return value[2:-1].strip()
    elif first == "'" and value[1:].lstrip()[:1] in FORMULA_STARTS:
        return value[1:].strip()
    return value
