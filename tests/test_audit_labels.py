"""The audit trail reads in words, with links: no internal codes on the page."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.labels import verb_label
from audit.services import audit
from tests.tickets.factories import make_ticket
from tickets.states import TicketType

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {".venv", "tests", "bench", "migrations", "var", "static", "scripts"}


def _literal_verbs() -> set[str]:
    verbs = set()
    for path in ROOT.rglob("*.py"):
        if SKIPPED & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in {"audit", "audit_bulk"}
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                verbs.add(node.args[1].value)
    return verbs


def test_every_audit_verb_the_product_writes_has_a_label():
    verbs = _literal_verbs()
    assert len(verbs) > 50
    assert not sorted(v for v in verbs if verb_label(v) is None)


@pytest.mark.parametrize(
    ("verb", "label"),
    [("ticket.approve", "同意"), ("review.appeal", "提交平台申诉"), ("problem.resolve", "已解决")],
)
def test_verbs_made_from_a_state_table_action_read_as_that_action(verb, label):
    assert verb_label(verb) == label


@pytest.mark.django_db
def test_the_audit_page_shows_labels_values_and_links_not_codes(login, staff, shop, now):
    ticket = make_ticket(shop, TicketType.DAMAGED, now, actor=staff[Role.AFTER_SALE])
    audit(
        staff[Role.AFTER_SALE],
        "ticket.approve",
        ticket,
        changes={"state": ["requested", "approved"]},
        now=now,
    )
    page = login(staff[Role.SUPERVISOR]).get(reverse("audit:list")).content.decode()
    row = page.split("<tbody>")[1]
    assert "同意" in row and "待处理 → 已同意" in row
    assert f'href="{reverse("tickets:detail", args=[ticket.pk])}"' in row
    assert "requested" not in row.replace('title="ticket.approve"', "")


def test_changes_read_as_words_yes_no_and_local_times(now):
    from audit.labels import present
    from audit.models import AuditEvent

    event = AuditEvent(
        verb="ticket.step_ticked",
        object_type="tickets.ticket",
        object_id="1",
        object_repr="#1",
        changes={"soothe": [False, True], "sla_due_at": ["2026-11-23T02:30:00+00:00", None]},
    )
    [row] = present([event])
    assert [(c.field, c.before, c.after) for c in row.changes] == [
        ("安抚", "否", "是"),
        ("SLA截止", "2026-11-23 10:30", "—"),
    ]


def test_follow_up_steps_and_job_names_read_as_words():
    from audit.labels import present
    from audit.models import AuditEvent

    followup = AuditEvent(
        verb="followup.sent",
        object_type="orders.order",
        object_id="1",
        object_repr="3900000000000001",
        changes={"steps": [None, ["receipt_followup", "delay_problem"]]},
    )
    run = AuditEvent(
        verb="job.run_requested",
        object_type="shops.shop",
        object_id="1",
        object_repr="shop",
        changes={"job": [None, "delivery_followups"]},
    )
    [followup_row, run_row] = present([followup, run])
    assert [(c.field, c.after) for c in followup_row.changes] == [
        ("回访步骤", "签收回访, 登记物流延误")
    ]
    assert [(c.field, c.after) for c in run_row.changes] == [("定时任务", "物流回访与好评感谢")]
