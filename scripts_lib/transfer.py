"""Scripts to and from spreadsheets (XLSX or CSV), so a shop can bring its existing list.

Columns: 分类, 标题, 快捷码, 内容, 启用, 排序 (the last two optional). 分类 takes the Chinese
name (欢迎语) or the code (greeting). Row numbers in messages are the spreadsheet's own
(the header is row 1). CSV is read as UTF-8 (with or without BOM), else GB18030, as
Chinese Excel saves it.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .errors import ScriptImportError
from .models import ScriptCategory

COLUMNS = ("分类", "标题", "快捷码", "内容", "启用", "排序")
REQUIRED = COLUMNS[:4]
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
_TRUE = {"是", "启用", "1", "true", "yes", "y", "✓"}
_FALSE = {"否", "停用", "0", "false", "no", "n"}
_CATEGORY_BY_LABEL = {str(label): code for code, label in ScriptCategory.choices}


@dataclass
class ImportRow:
    number: int
    category: str
    title: str
    code: str
    body: str
    is_active: bool
    position: int | None
    problem: str = ""
    """A format problem found while reading; reported with the other rows' errors."""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table_from_xlsx(content: bytes) -> list[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as error:
        raise ScriptImportError(
            [(0, _("无法读取 XLSX 文件（%(error)s）。") % {"error": error})]
        ) from None


def _table_from_csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ScriptImportError([(0, _("无法识别 CSV 文件的编码，请另存为 UTF-8。"))])
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]


def read_rows(content: bytes) -> list[ImportRow]:
    """Parse an uploaded file; raises ScriptImportError when the file itself is unusable.
    Row problems travel on the rows, so they are reported with the validation errors."""
    if len(content) > MAX_BYTES:
        raise ScriptImportError([(0, _("文件太大（最多 2 MB）。"))])
    table = _table_from_xlsx(content) if content[:2] == b"PK" else _table_from_csv(content)
    table = [row for row in table if any(row)]
    if not table:
        raise ScriptImportError([(1, _("文件是空的。"))])
    header = [name.strip() for name in table[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ScriptImportError([(1, _("缺少列：%(columns)s。") % {"columns": "、".join(missing)})])
    if len(table) - 1 > MAX_ROWS:
        raise ScriptImportError([(0, _("最多导入 %(n)s 行。") % {"n": MAX_ROWS})])
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows = []
    for number, values in enumerate(table[1:], start=2):
        values = values + [""] * (len(header) - len(values))

        def get(name, values=values):
            return values[index[name]] if name in index else ""

        problems = []
        active_text = get("启用").lower()
        if active_text and active_text not in _TRUE | _FALSE:
            problems.append(_("“启用”请填 是 或 否。"))
        position_text = get("排序")
        if position_text and not position_text.isdigit():
            problems.append(_("“排序”请填数字。"))
        rows.append(
            ImportRow(
                number=number,
                category=_CATEGORY_BY_LABEL.get(get("分类"), get("分类")),
                title=get("标题"),
                code=get("快捷码"),
                body=get("内容"),
                is_active=active_text not in _FALSE,
                position=int(position_text) if position_text.isdigit() else None,
                problem=" ".join(problems),
            )
        )
    return rows


def _export_table(scripts) -> list[list]:
    return [list(COLUMNS)] + [
        [
            str(script.get_category_display()),
            script.title,
            script.code,
            script.body,
            "是" if script.is_active else "否",
            script.position,
        ]
        for script in scripts
    ]


def export_xlsx(scripts) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "话术"
    for row in _export_table(scripts):
        sheet.append(row)
    for column, width in zip("ABCDEF", (10, 20, 10, 80, 6, 6), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_csv(scripts) -> bytes:
    """UTF-8 with BOM, so Excel opens the Chinese text correctly."""
    out = io.StringIO()
    csv.writer(out).writerows(_export_table(scripts))
    return out.getvalue().encode("utf-8-sig")
