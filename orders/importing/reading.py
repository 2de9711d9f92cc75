"""Turn an uploaded export into records (file line, list of cell texts), streaming.

Seller exports come as CSV in GB18030/GBK, UTF-8 or UTF-8 with BOM, with CRLF or LF and
quoted fields that may hold commas, quotes and newlines; or as XLSX. The encoding is
detected, never asked: the header row is Chinese, so a sample that decodes as UTF-8 is
UTF-8 and anything else is read as GB18030 (a superset of GBK and GB2312).

A record's line is the file line on which it starts (header = line 1), so a quoted
newline shifts the lines after it, as the shop employee sees them in a text editor.
XLSX rows are numbered as the spreadsheet shows them.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import ImportFatal

SAMPLE_BYTES = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls

# A decompression bomb: an XLSX is a zip, and openpyxl inflates its parts (the shared
# strings table whole) while reading. Real exports inflate about 5-10 times; a 100,000-row
# report is well under the absolute limit.
MAX_XLSX_INFLATED_BYTES = 1 << 30
MAX_XLSX_RATIO = 100
RATIO_CHECKED_ABOVE = 16 << 20

Record = tuple[int, list[str]]


def sniff_format(head: bytes) -> str:
    """'xlsx', 'csv', or raise ImportFatal for anything else (judged by content bytes)."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise ImportFatal(_("这是旧版 Excel（.xls）文件，请另存为 CSV 或 XLSX 后再导入。"))
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFatal(_("文件不是 CSV 或 XLSX 表格，无法读取。"))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFatal(_("文件是 UTF-16 编码，请另存为 CSV（UTF-8 或 GBK）后再导入。"))
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
    """An opened export: ``records()`` yields (line, cells) starting with the header;
    ``fraction_read()`` says how far through the file the reader is, for progress bars."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self._raw = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as error:
            raise ImportFatal(_("无法打开文件：%(error)s") % {"error": error.strerror}) from None
        self._size = max(self.path.stat().st_size, 1)
        head = self._raw.read(SAMPLE_BYTES)
        self._raw.seek(0)
        if not head:
            self.close()
            raise ImportFatal(_("文件是空的。"))
        try:
            self.format = sniff_format(head)
        except ImportFatal:
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
        for line, cells in rows:
            if any(cell.strip() for cell in cells):
                yield line, cells

    def _csv_records(self) -> Iterator[Record]:
        text = io.TextIOWrapper(self._raw, encoding=self.encoding, newline="")
        first = text.readline()
        delimiter = "\t" if "\t" in first and "," not in first else ","
        lines = _chain_first(first, text)
        reader = csv.reader(lines, delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except UnicodeDecodeError:
            raise ImportFatal(
                _("第 %(line)s 行附近有无法识别的文字编码，文件可能已损坏。") % {"line": start}
            ) from None
        except csv.Error as error:
            raise ImportFatal(
                _("第 %(line)s 行无法按 CSV 读取（%(error)s）。") % {"line": start, "error": error}
            ) from None

    def _xlsx_records(self) -> Iterator[Record]:
        from openpyxl import load_workbook

        _refuse_bomb(self._raw, self._size)
        try:
            book = load_workbook(self._raw, read_only=True, data_only=True)
            sheet = book.worksheets[0]
        except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
            raise ImportFatal(_("XLSX 文件已损坏或不是 Excel 表格，无法读取。")) from None
        self._xlsx_total = max(sheet.max_row or 1, 1)
        try:
            for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                self._xlsx_rows = line
                yield line, [cell_text(value) for value in row]
        finally:
            book.close()


def _refuse_bomb(raw, size: int) -> None:
    """Raise ImportFatal when the zip's members would inflate beyond the limits, read from
    the zip's directory before anything is inflated. The declared sizes are a real bound:
    zipfile stops a member at its declared size (and fails its CRC if it had more)."""
    try:
        inflated = sum(member.file_size for member in zipfile.ZipFile(raw).infolist())
    except (zipfile.BadZipFile, OSError):
        return  # damaged: openpyxl's own refusal says so
    finally:
        raw.seek(0)
    ratio_too_high = inflated > RATIO_CHECKED_ABOVE and inflated > MAX_XLSX_RATIO * max(size, 1)
    if inflated > MAX_XLSX_INFLATED_BYTES or ratio_too_high:
        raise ImportFatal(_("XLSX 文件解压后异常巨大，可能是压缩炸弹，已拒绝读取。"))


def _chain_first(first: str, rest) -> Iterator[str]:
    if first:
        yield first
    yield from rest


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
