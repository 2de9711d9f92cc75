"""One day's figures as an XLSX workbook: the shop's sheet and the agents' sheet."""

from datetime import date
from decimal import Decimal

from helpdesk.spreadsheets.writing import Formatted, Sheet, write_workbook

from .definitions import AGENT_KEYS, BY_KEY, SHOP_FIGURES
from .dsr import DSR_KEYS, DSR_LABELS
from .figures import NO_DATA

DSR_DEFINITION = "卖家中心显示的近180天店铺动态评分（0–5），取当天或之前30天内最近一次记录。"

FORMATS = {"money": "#,##0.00", "rate": "0.0%", "seconds": "0.0", "ratio": "0.00", "score": "0.00"}


def _cell(key: str, value):
    if value is None:
        return str(NO_DATA)
    if BY_KEY[key].kind == "categories":
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    if BY_KEY[key].kind in FORMATS:
        return Formatted(value, FORMATS[BY_KEY[key].kind])
    return value


def day_workbook(
    shop, day: date, shop_figures: dict, agents: list, dsr: dict[str, str] | None = None
) -> bytes:
    """``dsr``: the day's DSR as ``kpi.dsr.dsr_as_of`` gives it (None: no data)."""
    shop_rows = [
        [str(BY_KEY[key].label), _cell(key, shop_figures[key]), str(BY_KEY[key].text)]
        for key in SHOP_FIGURES
    ]
    for key in DSR_KEYS:
        value = Formatted(Decimal(dsr[key]), "0.00") if dsr else str(NO_DATA)
        shop_rows.append([f"DSR {DSR_LABELS[key]}", value, DSR_DEFINITION])
    agent_rows = [
        [
            agent.agent.work_number,
            str(agent.agent),
            *(_cell(key, agent.figures[key]) for key in AGENT_KEYS),
        ]
        for agent in agents
    ]
    agent_header = ["工号", "姓名", *(str(BY_KEY[key].label) for key in AGENT_KEYS)]
    return write_workbook(
        [
            Sheet(
                title="店铺",
                preamble=[["店铺", shop.name, "日期", day.isoformat()]],
                header=["指标", "数值", "定义"],
                rows=shop_rows,
                widths=[16] * 4,
            ),
            Sheet(
                title="客服",
                header=agent_header,
                rows=agent_rows,
                widths=[16] * len(agent_header),
            ),
        ]
    )
