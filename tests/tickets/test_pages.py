import io
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from approvals.models import ApprovalRequest, ApprovalStatus, Notification
from approvals.services import approval_request
from audit.models import AuditEvent
from tests.factories import make_user
from tests.tickets.factories import image_upload, make_ticket, received_order
from tickets.breaches import sla_breaches_record
from tickets.inbox import _sections, register_inbox_section
from tickets.models import SlaBreach, Ticket
from tickets.photos import photo_add
from tickets.selectors import ticket_costs_per_day
from tickets.services import ticket_act, ticket_escalate, ticket_set_costs
from tickets.states import Action, TicketState, TicketType

pytestmark = pytest.mark.django_db


def _tickets(shop, agent, now, count):
    kinds = list(TicketType)
    return [
        make_ticket(shop, kinds[i % len(kinds)], now - timedelta(hours=i), actor=agent)
        for i in range(count)
    ]


QUEUE_QUERIES = 8  # + the team tags of the tag filter


def test_queue_query_count_does_not_grow_with_rows(
    shop, agent, now, login, django_assert_num_queries
):
    """Session, user, memberships, shops, agents and tags for the filters, count, page."""
    client = login(agent)
    _tickets(shop, agent, now, 10)
    with django_assert_num_queries(QUEUE_QUERIES):
        small = client.get("/tickets/?state=open&size=100")
    assert small.content.decode().count('<td><a href="/tickets/') == 10
    _tickets(shop, agent, now, 90)
    with django_assert_num_queries(QUEUE_QUERIES):
        large = client.get("/tickets/?state=open&size=100")
    assert large.content.decode().count('<td><a href="/tickets/') == 100


def test_queue_shows_time_left_and_filters(shop, agent, now, login):
    make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    make_ticket(shop, TicketType.QUALITY, now, actor=agent)
    client = login(agent)
    page = client.get("/tickets/").content.decode()
    assert "剩 " in page and "仅退款" in page and "质量问题" in page
    page = client.get("/tickets/?type=quality&state=open").content.decode()
    assert "仅退款</td>" not in page and "质量问题</td>" in page
    htmx = client.get("/tickets/?type=quality", headers={"HX-Request": "true"})
    assert "<html" not in htmx.content.decode() and 'id="ticket-rows"' in htmx.content.decode()


def test_queue_never_shows_another_shops_tickets(shop, other_shop, agent, now, login):
    make_ticket(other_shop, TicketType.REFUND_ONLY, now)
    page = login(agent).get("/tickets/").content.decode()
    assert "没有符合条件的工单" in page


def test_pre_sale_agent_is_refused_the_queue_and_tickets(shop, agent, staff, now, login):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    client = login(staff[Role.PRE_SALE])
    assert client.get("/tickets/").status_code == 403
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404


def test_other_shops_ticket_is_a_404(shop, other_shop, now, login):
    ticket = make_ticket(other_shop, TicketType.REFUND_ONLY, now)
    stranger = make_user(shop, Role.MANAGER)
    assert login(stranger).get(f"/tickets/{ticket.pk}/").status_code == 404
    assert (
        login(stranger).post(f"/tickets/{ticket.pk}/act/", {"action": "approve"}).status_code == 404
    )


def test_detail_offers_the_state_machines_actions_and_the_six_steps(shop, agent, now, login):
    ticket = make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent)
    page = login(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-action="approve"' in page and 'data-action="refuse"' in page
    assert 'data-action="refund"' not in page
    for label in ["安抚", "查明原因", "表明立场", "全力解决", "真诚道歉", "感谢理解"]:
        assert label in page


def test_a_refused_rule_shows_on_the_page_and_changes_nothing(shop, agent, now, login):
    ticket = make_ticket(shop, TicketType.DAMAGED, now, actor=agent)
    response = login(agent).post(f"/tickets/{ticket.pk}/act/", {"action": "approve"}, follow=True)
    page = response.content.decode()
    assert "请先上传至少一张照片作为凭证" in page and "photo_required" not in page
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REQUESTED


def test_ticking_a_step_with_htmx_returns_the_checklist(shop, agent, now, login):
    ticket = make_ticket(shop, TicketType.QUALITY, now, actor=agent)
    response = login(agent).post(
        f"/tickets/{ticket.pk}/steps/",
        {"step": "soothe", "done": "1"},
        headers={"HX-Request": "true"},
    )
    assert 'id="complaint-steps"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.complaint_steps["soothe"]["by"] == agent.label


def test_new_ticket_prefills_from_order_and_creates(shop, agent, now, login):
    order = received_order(shop, now)
    client = login(agent)
    page = client.get(f"/tickets/new/?order={order.pk}&buyer={order.buyer_id}").content.decode()
    assert order.order_id in page and order.buyer.nick in page
    response = client.post(
        "/tickets/new/",
        {
            "shop": shop.pk,
            "type": "damaged",
            "order_id": order.order_id,
            "buyer_nick": "",
            "reason": "damaged",
            "description": "外箱压扁，杯子碎了",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    assert ticket.buyer == order.buyer and ticket.assignee == agent


def test_new_ticket_prefill_ignores_another_shops_order(shop, other_shop, agent, now, login):
    foreign = received_order(other_shop, now)
    page = login(agent).get(f"/tickets/new/?order={foreign.pk}").content.decode()
    assert foreign.order_id not in page


def test_new_invoice_ticket_without_order_opens_a_buyer_file(shop, agent, login):
    response = login(agent).post(
        "/tickets/new/",
        {"shop": shop.pk, "type": "invoice", "buyer_nick": "开票的买家", "reason": "other"},
    )
    assert response.status_code == 302
    assert Ticket.objects.get().buyer.nick == "开票的买家"


def test_costs_form_records_postage_only(shop, agent, now, login):
    ticket = make_ticket(shop, TicketType.EXCHANGE, now, actor=agent)
    login(agent).post(
        f"/tickets/{ticket.pk}/costs/", {"reshipping_postage": "12.00", "return_postage": "8"}
    )
    ticket.refresh_from_db()
    assert (ticket.reshipping_postage, ticket.return_postage) == (Decimal("12.00"), Decimal("8.00"))


def test_costs_per_shop_per_day_for_kpis(shop, other_shop, agent, now):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_act(actor=agent, ticket=ticket, action=Action.APPROVE, now=now)
    ticket_act(actor=agent, ticket=ticket, action=Action.REFUND, amount="40", now=now)
    ticket_set_costs(actor=agent, ticket=ticket, now=now, return_postage=Decimal("6"))
    make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    make_ticket(other_shop, TicketType.INVOICE, now)
    rows = ticket_costs_per_day(start=now.date(), end=now.date(), shop_ids=[shop.pk])
    assert len(rows) == 1
    row = rows[0]
    assert (row.opened, row.refund_amount, row.return_postage, row.total) == (
        2,
        Decimal("40.00"),
        Decimal("6.00"),
        Decimal("46.00"),
    )


def test_damage_register_filters_and_exports_xlsx(shop, agent, now, login):
    damaged = make_ticket(shop, TicketType.DAMAGED, now, actor=agent, description="=HYPERLINK(1)")
    photo_add(actor=agent, ticket=damaged, upload=image_upload(), now=now)
    make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    client = login(agent)
    page = client.get("/tickets/registers/damage/").content.decode()
    assert f"#{damaged.pk}" in page and "发票" not in page
    response = client.get("/tickets/registers/damage/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "登记时间" and len(rows) == 2
    assert "'=HYPERLINK(1)" in rows[1]
    assert 1 in rows[1]  # photo count


def test_returns_register_lists_returns_and_exchanges(shop, agent, now, login):
    make_ticket(shop, TicketType.EXCHANGE, now, actor=agent)
    make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent)
    make_ticket(shop, TicketType.DAMAGED, now, actor=agent)
    response = login(agent).get("/tickets/registers/returns/?format=xlsx")
    assert len(list(load_workbook(io.BytesIO(response.content)).active.values)) == 3


# --- supervisors' inbox ------------------------------------------------------------------


def test_inbox_is_for_supervisors_only(shop, agent, login):
    assert login(agent).get("/tickets/inbox/").status_code == 403


def test_inbox_lists_approvals_of_every_kind_breaches_and_escalations(
    shop, staff, agent, supervisor, now, login
):
    received = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_act(actor=agent, ticket=received, action=Action.APPROVE, now=now)
    ticket_act(actor=agent, ticket=received, action=Action.REFUND, amount="500", now=now)
    approval_request(
        actor=staff[Role.PRE_SALE],
        shop=shop,
        kind="discount",
        amount=Decimal("30"),
        reason="老顾客想要再便宜30",
        subject=shop,
        now=now,
    )
    late = make_ticket(shop, TicketType.INVOICE, now - timedelta(days=5), actor=agent)
    sla_breaches_record(shop=shop, now=now)
    escalated = make_ticket(shop, TicketType.PLATFORM_DISPUTE, now, actor=agent)
    ticket_escalate(actor=agent, ticket=escalated, reason="买家威胁投诉到平台", now=now)

    page = login(supervisor).get("/tickets/inbox/").content.decode()
    assert "退款审批" in page and "优惠申请" in page and "老顾客想要再便宜30" in page
    assert f'href="/tickets/{received.pk}/"' in page
    assert f"#{late.pk}" in page and "首次回复超时" in page
    assert "买家威胁投诉到平台" in page


def test_inbox_decide_flow_refusal_needs_a_reason_and_notifies(shop, agent, supervisor, now, login):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_act(actor=agent, ticket=ticket, action=Action.APPROVE, now=now)
    ticket_act(actor=agent, ticket=ticket, action=Action.REFUND, amount="500", now=now)
    request = ApprovalRequest.objects.get()
    client = login(supervisor)
    client.post(f"/tickets/inbox/approvals/{request.pk}/", {"decision": "refuse", "reason": ""})
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING
    client.post(
        f"/tickets/inbox/approvals/{request.pk}/", {"decision": "approve", "reason": "老客户"}
    )
    request.refresh_from_db()
    ticket.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED and request.decided_by == supervisor
    assert ticket.state == TicketState.REFUNDED and ticket.refund_amount == Decimal("500.00")
    assert Notification.objects.filter(user=agent, text__contains="已批准").exists()
    assert AuditEvent.objects.filter(verb="approval.decided").exists()
    again = client.post(
        f"/tickets/inbox/approvals/{request.pk}/",
        {"decision": "refuse", "reason": "x"},
        follow=True,
    )
    assert "已经处理过" in again.content.decode()


def test_inbox_cannot_decide_another_shops_request(shop, other_shop, supervisor, now, login):
    outsider = make_user(other_shop, Role.AFTER_SALE)
    request = approval_request(
        actor=outsider,
        shop=other_shop,
        kind="discount",
        amount=Decimal("5"),
        reason="x",
        subject=other_shop,
        now=now,
    )
    response = login(supervisor).post(
        f"/tickets/inbox/approvals/{request.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 404


def test_handling_breaches_and_escalations_clears_the_inbox(shop, agent, supervisor, now, login):
    make_ticket(shop, TicketType.INVOICE, now - timedelta(days=5), actor=agent)
    sla_breaches_record(shop=shop, now=now)
    escalated = make_ticket(shop, TicketType.QUALITY, now, actor=agent)
    ticket_escalate(actor=agent, ticket=escalated, reason="要求三倍赔偿", now=now)
    client = login(supervisor)
    client.post(f"/tickets/inbox/breaches/{SlaBreach.objects.get().pk}/")
    client.post(f"/tickets/inbox/escalations/{escalated.pk}/", {"note": "我来联系买家"})
    page = client.get("/tickets/inbox/").content.decode()
    assert "没有超时工单" in page and "没有升级的工单" in page
    assert Notification.objects.filter(user=agent, text__contains="我来联系买家").exists()


def test_registered_inbox_section_renders(shop, supervisor, login, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "x").mkdir(parents=True)
    (template_dir / "x" / "cases.html").write_text(
        "{% for i in items %}<p>case {{ i }}</p>{% endfor %}"
    )
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    settings.TEMPLATES = [engine]
    real = _sections.get("extortion")
    register_inbox_section("extortion", lambda user: ["甲", "乙"], "x/cases.html", title="差评要挟")
    try:
        page = login(supervisor).get("/tickets/inbox/").content.decode()
    finally:
        _sections.pop("extortion")
        if real is not None:
            _sections["extortion"] = real  # the reviews app's own section, for later tests
    assert "差评要挟" in page and "case 甲" in page and "case 乙" in page


def test_notifications_page_lists_and_marks_read(shop, agent, now, login):
    Notification.objects.create(
        user=agent, shop=shop, text="退款审批 ¥500：已批准。", link="/tickets/1/", created_at=now
    )
    Notification.objects.create(
        user=agent, shop=shop, text="evil", link="javascript:alert(1)", created_at=now
    )
    client = login(agent)
    page = client.get("/tickets/notifications/").content.decode()
    assert "已批准" in page and "javascript:" not in page
    client.post("/tickets/notifications/")
    assert not Notification.objects.filter(user=agent, read_at__isnull=True).exists()
    from audit.models import AuditEvent

    event = AuditEvent.objects.get(verb="notifications.read")
    assert event.actor == agent and event.changes == {"unread": [2, 0]}


def test_a_supervisor_cannot_decide_their_own_request(shop, supervisor, now, login):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=supervisor)
    ticket_act(actor=supervisor, ticket=ticket, action=Action.APPROVE, now=now)
    ticket_act(actor=supervisor, ticket=ticket, action=Action.REFUND, amount="2500", now=now)
    request = ApprovalRequest.objects.get()
    client = login(supervisor)
    assert "本人申请" in client.get("/tickets/inbox/").content.decode()
    client.post(f"/tickets/inbox/approvals/{request.pk}/", {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING


def test_the_beat_task_runs_the_job(shop, agent, now, settings):
    from tickets.tasks import sla_breaches

    make_ticket(shop, TicketType.REFUND_ONLY, now - timedelta(days=4), actor=agent)
    assert sla_breaches.apply().get() == {"job": "sla_breaches", "escalated": 1, "skipped": 0}
    assert "tickets.sla_breaches" in settings.CELERY_BEAT_SCHEDULE


def test_unread_badge_is_fetched_after_the_page(shop, staff, now, login):
    pre_sale = staff[Role.PRE_SALE]
    Notification.objects.create(
        user=pre_sale, shop=shop, text="优惠申请 ¥30：已拒绝。", created_at=now
    )
    client = login(pre_sale)
    assert 'hx-get="/tickets/notifications/badge/"' in client.get("/").content.decode()
    badge = client.get("/tickets/notifications/badge/", headers={"HX-Request": "true"})
    assert '<span class="count" data-testid="unread-count">1</span>' in badge.content.decode()


def test_queue_pages_keep_the_open_filter(shop, agent, now, login):
    for _ in range(3):
        make_ticket(shop, TicketType.INVOICE, now, actor=agent)
    page = login(agent).get("/tickets/?size=25").content.decode()
    assert 'value="open" selected' in page


def test_the_ticket_page_links_the_buyers_conversation(shop, agent, now, login):
    from tests.chats.factories import make_conversation

    ticket = make_ticket(shop, TicketType.RETURN_REFUND, now, actor=agent)
    client = login(agent)
    assert (
        'data-testid="buyer-conversation"'
        not in client.get(f"/tickets/{ticket.pk}/").content.decode()
    )
    conversation = make_conversation(shop, now=now, buyer=ticket.buyer)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'href="/chats/{conversation.pk}/" data-testid="buyer-conversation"' in page


def test_an_amount_above_the_agents_limit_says_it_went_for_approval(shop, agent, now, login):
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_act(actor=agent, ticket=ticket, action=Action.APPROVE, now=now)
    response = login(agent).post(
        f"/tickets/{ticket.pk}/act/", {"action": "refund", "amount": "500"}, follow=True
    )
    page = response.content.decode()
    assert "已提交主管审批" in page and "已执行" not in page
    ticket.refresh_from_db()
    assert ticket.state == TicketState.AWAITING_APPROVAL


@pytest.fixture
def chat_discount_request(shop, staff, now):
    """A pre-sale agent's discount request about a chat, waiting for a supervisor."""
    from tests.chats.factories import make_conversation

    conversation = make_conversation(shop, now=now)
    request = approval_request(
        actor=staff[Role.PRE_SALE],
        shop=shop,
        kind="discount",
        amount=Decimal("30"),
        reason="老顾客想要再便宜30",
        subject=conversation,
        now=now,
    )
    return conversation, request


def test_inbox_links_a_discount_request_to_its_chat(chat_discount_request, supervisor, login):
    conversation, _request = chat_discount_request
    page = login(supervisor).get("/tickets/inbox/").content.decode()
    assert f'href="/chats/{conversation.pk}/"' in page


def test_the_answer_to_a_discount_request_links_to_its_chat(
    chat_discount_request, staff, supervisor, now
):
    from approvals.services import approval_decide

    conversation, request = chat_discount_request
    approval_decide(actor=supervisor, request=request, approve=True, reason="", now=now)
    notice = Notification.objects.get(user=staff[Role.PRE_SALE])
    assert notice.link == f"/chats/{conversation.pk}/"
