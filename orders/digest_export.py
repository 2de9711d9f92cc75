"""The digest as a table (page) and as a workbook (XLSX download)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import ProblemCategory, ProblemDigest, ProblemState


def digest_view_rows(digest: ProblemDigest) -> list[dict]:
    """One row per category: active now, opened and closed since the previous digest."""
    rows = []
    for code, label in ProblemCategory.choices:
        change = digest.changes.get(code, {})
        rows.append(
            {
                "code": code,
                "label": str(label),
                "count": digest.counts.get(code, 0),
                "opened": change.get("opened", 0),
                "closed": change.get("closed", 0),
                "delta": change.get("delta", 0),
            }
        )
    return rows


def digest_detail_rows(digest: ProblemDigest) -> list[dict]:
    """The stored rows with their category and state in words, times local."""
    categories = {code: str(label) for code, label in ProblemCategory.choices}
    states = {code: str(label) for code, label in ProblemState.choices}
    return [
        {
            **row,
            "category_label": categories.get(row["category"], row["category"]),
            "state_label": states.get(row["state"], row["state"]),
            "due_local": _local(row["due_at"]),
        }
        for row in digest.rows
    ]


def _local(iso: str) -> str:
    from datetime import datetime

    return timezone.localtime(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")


def digest_workbook(digest: ProblemDigest) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("汇总")
    slot = timezone.localtime(digest.slot_start).strftime("%Y-%m-%d %H:%M")
    summary.append([_("问题订单汇总"), digest.shop.name, slot])
    summary.append([_("类别"), _("处理中"), _("新增"), _("已关闭"), _("较上次变化")])
    for cell in summary[2]:
        cell.font = Font(bold=True)
    for row in digest_view_rows(digest):
        summary.append([row["label"], row["count"], row["opened"], row["closed"], row["delta"]])
    summary.append([_("合计"), sum(digest.counts.values())])
    details = workbook.create_sheet(_("明细"))
    details.append(
        [
            _("类别"),
            _("订单编号"),
            _("买家"),
            _("状态"),
            _("负责人"),
            _("发现时间"),
            _("截止时间"),
            _("超时"),
            _("新增"),
        ]
    )
    for cell in details[1]:
        cell.font = Font(bold=True)
    categories = dict(ProblemCategory.choices)
    states = dict(ProblemState.choices)
    for row in digest.rows:
        details.append(
            [
                str(categories.get(row["category"], row["category"])),
                row["order_id"],
                row["buyer"],
                str(states.get(row["state"], row["state"])),
                row["assignee"],
                _local(row["opened_at"]),
                _local(row["due_at"]),
                _("是") if row["overdue"] else "",
                _("是") if row["new"] else "",
            ]
        )
    details.column_dimensions["B"].width = 22
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
