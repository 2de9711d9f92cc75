"""Knowledge entries to and from spreadsheets: columns 编号,问题,相似问法,答案,适用商品,分类.

相似问法 and 适用商品 hold several values separated by ``|`` or ``、``. Reading goes through
the project's spreadsheet reader (CSV in any encoding, or XLSX, with its bomb guard);
writing through the project's one export writer (helpdesk.spreadsheets.writing).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import MAX_ANSWER_LENGTH

COLUMNS = ("编号", "问题", "相似问法", "答案", "适用商品", "分类")
REQUIRED = ("编号", "问题", "答案")
_SPLIT = re.compile(r"[|、]")


@dataclass(frozen=True)
class EntryData:
    key: str
    question: str
    phrasings: tuple[str, ...]
    answer: str
    products: tuple[str, ...]
    category: str


def split_values(cell: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in _SPLIT.split(cell or ""):
        value = value.strip()
        if value:
            seen.setdefault(value)
    return tuple(seen)


def header_positions(header: list[str]) -> dict[str, int]:
    """Column name -> position; raises ValueError naming the missing required columns."""
    names = [(cell or "").strip().lstrip("\ufeff") for cell in header]
    positions = {name: names.index(name) for name in COLUMNS if name in names}
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise ValueError(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    return positions


def entry_from_cells(cells: list[str], positions: dict[str, int]) -> EntryData:
    """One row as EntryData; raises ValueError with a message for a person."""

    def cell(name: str) -> str:
        at = positions.get(name)
        return (cells[at] if at is not None and at < len(cells) else "").strip()

    key, question, answer = cell("编号"), cell("问题"), cell("答案")
    if not key:
        raise ValueError(_("编号不能为空。"))
    if len(key) > 40:
        raise ValueError(_("编号不能超过 40 个字。"))
    if not question:
        raise ValueError(_("问题不能为空。"))
    if len(question) > 200:
        raise ValueError(_("问题不能超过 200 个字。"))
    if not answer:
        raise ValueError(_("答案不能为空。"))
    if len(answer) > MAX_ANSWER_LENGTH:
        raise ValueError(_("答案不能超过 %(n)s 个字。") % {"n": MAX_ANSWER_LENGTH})
    category = cell("分类")
    if len(category) > 30:
        raise ValueError(_("分类不能超过 30 个字。"))
    return EntryData(
        key=key,
        question=question,
        phrasings=split_values(cell("相似问法")),
        answer=answer,
        products=split_values(cell("适用商品")),
        category=category,
    )


def export_rows(entries) -> list[list[str]]:
    return [
        [e.key, e.question, "|".join(e.phrasings), e.answer, "|".join(e.products), e.category]
        for e in entries
    ]
