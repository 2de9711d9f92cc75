"""Scripts to and from spreadsheets (XLSX or CSV), so a shop can bring its existing list.

Columns: 分类, 标题, 快捷码, 内容, 启用, 排序 (the last two optional). 分类 takes the Chinese
name (欢迎语) or the code (greeting). Row numbers in messages are the spreadsheet's own
(the header is row 1). Files are read by helpdesk.spreadsheets.reading.Source (CSV in
UTF-8 or GB18030 as Chinese Excel saves it, or XLSX, with its size guards) and written by
helpdesk.spreadsheets.writing, so a text such as "=1+1" exports as inert text and imports
back unchanged.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from helpdesk.spreadsheets.errors import SheetUnreadable
from helpdesk.spreadsheets.reading import SMALL_INFLATED_BYTES, Source, unwrap_cell
from helpdesk.spreadsheets.writing import write_csv, write_xlsx

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


def _table(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        with Source(content, max_inflated_bytes=SMALL_INFLATED_BYTES, max_rows=MAX_ROWS) as source:
            return [(line, [unwrap_cell(v) for v in cells]) for line, cells in source.records()]
    except SheetUnreadable as error:
        raise ScriptImportError([(0, str(error))]) from None


def read_rows(content: bytes) -> list[ImportRow]:
    """Parse an uploaded file; raises ScriptImportError when the file itself is unusable.
    Row problems travel on the rows, so they are reported with the validation errors."""
    if len(content) > MAX_BYTES:
        raise ScriptImportError([(0, _("文件太大（最多 2 MB）。"))])
    table = _table(content)
    if not table:
        raise ScriptImportError([(1, _("文件是空的。"))])
    header = [name.strip() for name in table[0][1]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ScriptImportError([(1, _("缺少列：%(columns)s。") % {"columns": "、".join(missing)})])
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows = []
    for number, values in table[1:]:
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


def _export_rows(scripts) -> list[list]:
    return [
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
    return write_xlsx(COLUMNS, _export_rows(scripts), sheet="话术", widths=(10, 20, 10, 80, 6, 6))


def export_csv(scripts) -> bytes:
    return write_csv(COLUMNS, _export_rows(scripts))
