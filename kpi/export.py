"""One day's figures as an XLSX workbook: the shop's sheet and the agents' sheet."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .definitions import AGENT_KEYS, BY_KEY, SHOP_FIGURES
from .dsr import DSR_KEYS, DSR_LABELS
from .figures import NO_DATA

DSR_DEFINITION = "卖家中心显示的近180天店铺动态评分（0–5），取当天或之前30天内最近一次记录。"

FORMATS = {"money": "#,##0.00", "rate": "0.0%", "seconds": "0.0", "ratio": "0.00", "score": "0.00"}


def _cell_value(key: str, value):
    if value is None:
        return str(NO_DATA)
    if BY_KEY[key].kind == "categories":
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return value


def _write(sheet, row: int, column: int, key: str, value) -> None:
    cell = sheet.cell(row=row, column=column, value=_cell_value(key, value))
    if value is not None and BY_KEY[key].kind in FORMATS:
        cell.number_format = FORMATS[BY_KEY[key].kind]


def day_workbook(
    shop, day: date, shop_figures: dict, agents: list, dsr: dict[str, str] | None = None
) -> bytes:
    """``dsr``: the day's DSR as ``kpi.dsr.dsr_as_of`` gives it (None: no data)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "店铺"
    sheet.append(["店铺", shop.name, "日期", day.isoformat()])
    sheet.append(["指标", "数值", "定义"])
    for key in SHOP_FIGURES:
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=str(BY_KEY[key].label))
        _write(sheet, row, 2, key, shop_figures[key])
        sheet.cell(row=row, column=3, value=str(BY_KEY[key].text))
    for key in DSR_KEYS:
        value = Decimal(dsr[key]) if dsr else None
        sheet.append([f"DSR {DSR_LABELS[key]}", value if dsr else str(NO_DATA), DSR_DEFINITION])
        if value is not None:
            sheet.cell(row=sheet.max_row, column=2).number_format = "0.00"
    agent_sheet = book.create_sheet("客服")
    agent_sheet.append(["工号", "姓名", *(str(BY_KEY[key].label) for key in AGENT_KEYS)])
    for agent in agents:
        row = agent_sheet.max_row + 1
        agent_sheet.cell(row=row, column=1, value=agent.agent.work_number)
        agent_sheet.cell(row=row, column=2, value=str(agent.agent))
        for column, key in enumerate(AGENT_KEYS, start=3):
            _write(agent_sheet, row, column, key, agent.figures[key])
    for each in (sheet, agent_sheet):
        for cell in each[2 if each is sheet else 1]:
            cell.font = Font(bold=True)
        for column in range(1, each.max_column + 1):
            each.column_dimensions[get_column_letter(column)].width = 16
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
