"""One day's figures as an XLSX workbook: the shop's sheet and the agents' sheet."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .definitions import AGENT_KEYS, BY_KEY, SHOP_FIGURES
from .figures import NO_DATA

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


def day_workbook(shop, day: date, shop_figures: dict, agents: list) -> bytes:
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
