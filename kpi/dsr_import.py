"""Reading a DSR file the manager copied from the seller centre (CSV or XLSX).

Columns, matched by name after trimming spaces (aliases as the seller centre words them):
日期, 描述相符, 服务态度, 物流服务. The file is read by the one spreadsheet reader
(helpdesk.spreadsheets.reading.Source): encoding detected (UTF-8 with or without BOM, else
GB18030), CSV or XLSX judged by content, lines numbered as the manager sees them (header =
line 1). Every bad row is reported with its line; the service writes the file all or
nothing (kpi.services.dsr_import)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from helpdesk.spreadsheets.errors import refusals_as
from helpdesk.spreadsheets.reading import SMALL_INFLATED_BYTES, SMALL_ROWS, Source
from orders.importing.errors import ImportFatal

from .dsr import DSR_KEYS, ScoreError, parse_score

COLUMNS: dict[str, list[str]] = {
    "day": ["日期", "统计日期", "date"],
    "description": ["描述相符", "宝贝与描述相符", "description"],
    "service": ["服务态度", "卖家的服务态度", "卖家服务态度", "service"],
    "logistics": ["物流服务", "物流服务的质量", "卖家发货的速度", "发货速度", "logistics"],
}
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]
TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")


class DsrImportFatal(ImportFatal):
    """Nothing was written: the file cannot be read, or some rows are wrong (``report``
    lists every one of them)."""


@dataclass
class DsrRow:
    line: int
    day: date
    description: Decimal
    service: Decimal
    logistics: Decimal

    def scores(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key in DSR_KEYS}


@dataclass
class DsrImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "dry_run": self.dry_run,
        }


def _columns(header: list[str]) -> dict[str, int]:
    names = [cell.strip().lstrip("\ufeff") for cell in header]
    found, missing = {}, []
    for key, aliases in COLUMNS.items():
        index = next((i for i, name in enumerate(names) if name in aliases), None)
        if index is None:
            missing.append(aliases[0])
        else:
            found[key] = index
    if missing:
        raise DsrImportFatal(
            _("缺少列：%(columns)s（需要：日期、描述相符、服务态度、物流服务）。")
            % {"columns": "、".join(missing)}
        )
    return found


def parse_day(text: str, *, today: date) -> date:
    cleaned = TIME_SUFFIX.sub("", text.strip())
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
        if day > today:
            raise ValueError(_("日期 %(day)s 在今天之后。") % {"day": day.isoformat()})
        return day
    raise ValueError(_("“%(text)s”不是日期（应为 2026-11-22 这样的格式）。") % {"text": text})


def read_dsr_file(path: str | Path, *, today: date) -> tuple[list[DsrRow], DsrImportReport]:
    """The valid rows and a report holding every bad row's line and reason. Raises
    DsrImportFatal for a file that cannot be read at all or lacks a column."""
    report = DsrImportReport()
    rows: list[DsrRow] = []
    seen: dict[date, int] = {}
    with (
        refusals_as(DsrImportFatal),
        Source(path, max_inflated_bytes=SMALL_INFLATED_BYTES, max_rows=SMALL_ROWS) as source,
    ):
        records = source.records()
        try:
            _line, header = next(records)
        except StopIteration:
            raise DsrImportFatal(_("文件是空的。")) from None
        columns = _columns(header)
        for line, cells in records:

            def cell(key: str, cells=cells) -> str:
                index = columns[key]
                return cells[index] if index < len(cells) else ""

            problems = []
            try:
                day = parse_day(cell("day"), today=today)
            except ValueError as error:
                problems.append(str(error))
                day = None
            scores = {}
            for key in DSR_KEYS:
                try:
                    scores[key] = parse_score(cell(key))
                except ScoreError as error:
                    problems.append(f"{header[columns[key]].strip()}：{error}")
            if day is not None and day in seen:
                problems.append(_("与第 %(line)d 行是同一天。") % {"line": seen[day]})
            if problems:
                report.errors.append({"line": line, "message": "；".join(problems)})
                continue
            seen[day] = line
            rows.append(DsrRow(line=line, day=day, **scores))
    if not rows and not report.errors:
        raise DsrImportFatal(_("文件里没有数据行。"))
    return rows, report
