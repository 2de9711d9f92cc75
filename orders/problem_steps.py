"""The problem's 处理记录 in words: each workflow step kept in ``problem.detail["steps"]``
(``problem_record``) becomes a translated label with its detail, never a stored code.

Steps are stored as codes so the record stays the same in every language; this module is
the one place that turns them into what a person reads. A step written by a later version
that this one does not know still reads as words (a generic label, no code)."""

from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .models import CourierRequestKind, Problem
from .problem_scripts import SCRIPTS
from .services import StockChoice

STEP_LABELS = {
    "address_updated": _("已按新地址修改订单"),
    "courier_request": _("已向快递申请"),
    "stock_offer": _("已向买家提供三个方案"),
    "stock_choice": _("买家选择"),
    "script_sent": _("已向买家发送话术"),
}
OTHER_STEP = _("处理步骤")


def _script_titles(problem: Problem) -> dict[str, str]:
    return {s.key: str(s.title) for s in SCRIPTS.get(problem.category, [])}


def _label_of(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


def _detail(problem: Problem, step: dict) -> str:
    kind = step.get("step")
    if kind == "address_updated":
        return step.get("address", "")
    if kind == "courier_request":
        return _label_of(CourierRequestKind, step.get("kind", ""))
    if kind == "stock_offer":
        similar = step.get("similar", "")
        return str(_("相似款 %(sku)s") % {"sku": similar}) if similar else ""
    if kind == "stock_choice":
        return _label_of(StockChoice, step.get("choice", ""))
    if kind == "script_sent":
        return _script_titles(problem).get(step.get("script", ""), "")
    return ""


def _at(step: dict) -> datetime | None:
    value = step.get("at")
    return parse_datetime(value) if isinstance(value, str) else None


def problem_steps_readable(problem: Problem) -> list[dict]:
    """The steps as the problem pane shows them: the words, and the time when recorded."""
    readable = []
    for step in problem.detail.get("steps", []):
        label, detail = STEP_LABELS.get(step.get("step"), OTHER_STEP), _detail(problem, step)
        text = _("%(label)s：%(detail)s") % {"label": label, "detail": detail} if detail else label
        readable.append({"text": str(text), "at": _at(step)})
    return readable
