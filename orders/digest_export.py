"""The digest as a table (page) and as a workbook (XLSX download)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.spreadsheets.writing import PlatformId, Sheet, write_workbook

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
    """Two sheets, summary and details, through the one formula-safe writer: a buyer nick
    such as ``=HYPERLINK(…)`` lands as text."""
    slot = timezone.localtime(digest.slot_start).strftime("%Y-%m-%d %H:%M")
    summary = [
        [row["label"], row["count"], row["opened"], row["closed"], row["delta"]]
        for row in digest_view_rows(digest)
    ]
    summary.append([_("合计"), sum(digest.counts.values())])
    categories = dict(ProblemCategory.choices)
    states = dict(ProblemState.choices)
    details = [
        [
            str(categories.get(row["category"], row["category"])),
            PlatformId(row["order_id"]),
            row["buyer"],
            str(states.get(row["state"], row["state"])),
            row["assignee"],
            _local(row["opened_at"]),
            _local(row["due_at"]),
            _("是") if row["overdue"] else "",
            _("是") if row["new"] else "",
        ]
        for row in digest.rows
    ]
    return write_workbook(
        [
            Sheet(
                title=_("汇总"),
                preamble=[[_("问题订单汇总"), digest.shop.name, slot]],
                header=[_("类别"), _("处理中"), _("新增"), _("已关闭"), _("较上次变化")],
                rows=summary,
            ),
            Sheet(
                title=_("明细"),
                header=[
                    _("类别"),
                    _("订单编号"),
                    _("买家"),
                    _("状态"),
                    _("负责人"),
                    _("发现时间"),
                    _("截止时间"),
                    _("超时"),
                    _("新增"),
                ],
                rows=details,
                widths=(None, 22),
            ),
        ]
    )
