"""The in-sale workflows: each writes memos (flag, reason, 工号, time) and audit events."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from orders.errors import ProblemConflict, ProblemError
from orders.models import (
    CourierRequest,
    CourierRequestKind,
    Memo,
    MemoFlag,
    ProblemCategory,
    ProblemState,
    StockWish,
)
from orders.problem_scripts import SCRIPTS, scripts_for
from orders.services import (
    courier_request_settle,
    memo_write,
    order_memo_add,
    problem_change_address,
    problem_cod_confirm,
    problem_duplicate_settle,
    problem_note,
    problem_open,
    problem_report,
    problem_stock_choose,
    problem_stock_offer,
)
from orders.states import OrderState
from tests.factories import make_buyer, make_order, make_user

from .factories import make_item, make_problem, make_sku

pytestmark = pytest.mark.django_db
C = ProblemCategory
NEW_ADDRESS = {
    "province": "浙江省",
    "city": "杭州市",
    "district": "滨江区",
    "detail": "江南大道 3850 号 5 楼",
    "postcode": "310051",
}


@pytest.fixture
def agent(staff):
    return staff[Role.IN_SALE]


def _memos(order):
    return list(Memo.objects.filter(order=order).order_by("pk"))


def test_memo_carries_flag_reason_work_number_and_time(shop, agent, now):
    order = make_order(shop)
    memo = memo_write(actor=agent, order=order, reason="请发顺丰", flag=MemoFlag.YELLOW, now=now)
    assert (memo.flag, memo.reason, memo.work_number, memo.created_at, memo.author) == (
        MemoFlag.YELLOW,
        "请发顺丰",
        agent.work_number,
        now,
        agent,
    )
    assert AuditEvent.objects.filter(verb="order.memo_written", object_id=str(order.pk)).exists()


def test_address_change_before_shipping_updates_the_order_and_resolves(shop, agent, now):
    problem = make_problem(shop, now, category=C.ADDRESS_CHANGE)
    order = problem.order
    order.address = "江苏省 南京市 鼓楼区 中山北路 30号 (210008)"
    order.save()
    result = problem_change_address(
        actor=agent, problem=problem, now=now, receiver_name="李娜", **NEW_ADDRESS
    )
    order.refresh_from_db()
    assert order.address == "浙江省 杭州市 滨江区 江南大道 3850 号 5 楼 (310051)"
    assert (order.district, order.receiver_name, order.postcode) == ("滨江区", "李娜", "310051")
    assert result.state == ProblemState.RESOLVED and result.assignee == agent
    [memo] = _memos(order)
    assert memo.flag == MemoFlag.RED and memo.work_number == agent.work_number
    assert "中山北路" in memo.reason and "江南大道" in memo.reason and memo.created_at == now
    event = AuditEvent.objects.get(verb="order.address_changed")
    assert event.changes["district"] == ["", "滨江区"]
    assert AuditEvent.objects.filter(verb="problem.resolve").exists()


def test_address_change_after_shipping_records_a_courier_redirect(shop, agent, now):
    order = make_order(
        shop, state=OrderState.SHIPPED, courier="圆通速递", tracking_number="YT1234567890"
    )
    problem = make_problem(shop, now, category=C.ADDRESS_CHANGE, order=order)
    result = problem_change_address(actor=agent, problem=problem, now=now, **NEW_ADDRESS)
    order.refresh_from_db()
    assert order.address == ""
    request = CourierRequest.objects.get()
    assert (request.kind, request.tracking_number, request.courier) == (
        CourierRequestKind.REDIRECT,
        "YT1234567890",
        "圆通速递",
    )
    assert result.state == ProblemState.CONTACTING
    [memo] = _memos(order)
    assert "改签" in memo.reason and "YT1234567890" in memo.reason
    event = AuditEvent.objects.get(verb="order.courier_request")
    assert event.changes["courier_request"] == [None, CourierRequestKind.REDIRECT]
    assert event.changes["new_address"][1] == request.new_address
    courier_request_settle(actor=agent, request=request, succeeded=True, now=now)
    result.refresh_from_db()
    assert result.state == ProblemState.RESOLVED
    assert "成功" in _memos(order)[-1].reason


def test_address_change_after_shipping_can_withdraw_and_a_failure_keeps_it_open(shop, agent, now):
    order = make_order(shop, state=OrderState.SHIPPED, courier="中通快递")
    problem = make_problem(shop, now, category=C.ADDRESS_CHANGE, order=order)
    problem_change_address(actor=agent, problem=problem, now=now, withdraw=True, **NEW_ADDRESS)
    request = CourierRequest.objects.get()
    assert request.kind == CourierRequestKind.WITHDRAW and "撤件" in _memos(order)[0].reason
    courier_request_settle(actor=agent, request=request, succeeded=False, now=now)
    problem.refresh_from_db()
    assert problem.state == ProblemState.CONTACTING
    with pytest.raises(ProblemConflict):
        courier_request_settle(actor=agent, request=request, succeeded=True, now=now)


def test_address_change_refused_after_receipt_and_for_incomplete_addresses(shop, agent, now):
    problem = make_problem(
        shop, now, order=make_order(shop, state=OrderState.FINISHED), category=C.ADDRESS_CHANGE
    )
    with pytest.raises(ProblemError, match="无法再修改"):
        problem_change_address(actor=agent, problem=problem, now=now, **NEW_ADDRESS)
    with pytest.raises(ProblemError, match="完整"):
        problem_change_address(
            actor=agent, problem=problem, now=now, **{**NEW_ADDRESS, "district": ""}
        )
    assert not Memo.objects.exists()


def test_address_workflow_refused_for_other_categories(shop, agent, now):
    problem = make_problem(shop, now, category=C.COD_CONFIRM)
    with pytest.raises(ProblemError, match="不适用"):
        problem_change_address(actor=agent, problem=problem, now=now, **NEW_ADDRESS)


def _stock_problem(shop, now):
    buyer = make_buyer(shop)
    order = make_order(shop, buyer=buyer)
    missing = make_sku(shop, stock=0, title="法式碎花连衣裙")
    make_item(order, missing)
    return make_problem(shop, now, category=C.OUT_OF_STOCK, order=order), missing


def test_stock_out_offer_puts_three_options_and_waits_for_the_buyer(shop, agent, now):
    problem, _ = _stock_problem(shop, now)
    similar = make_sku(shop, stock=5, title="复古碎花长裙")
    result = problem_stock_offer(actor=agent, problem=problem, similar_sku=similar, now=now)
    assert result.state == ProblemState.WAITING_BUYER
    [memo] = _memos(problem.order)
    assert "三个方案" in memo.reason and "复古碎花长裙" in memo.reason


def test_stock_out_offer_refuses_a_similar_item_without_stock(shop, agent, now):
    problem, missing = _stock_problem(shop, now)
    with pytest.raises(ProblemError, match="没有库存"):
        problem_stock_offer(actor=agent, problem=problem, similar_sku=missing, now=now)


def test_stock_out_buyer_takes_a_similar_item(shop, agent, now):
    problem, _ = _stock_problem(shop, now)
    similar = make_sku(shop, stock=5, title="复古碎花长裙")
    result = problem_stock_choose(
        actor=agent, problem=problem, choice="similar", similar_sku=similar, now=now
    )
    assert result.state == ProblemState.RESOLVED and result.detail["stock_choice"] == "similar"
    memo = _memos(problem.order)[-1]
    assert "复古碎花长裙" in memo.reason and memo.flag == MemoFlag.RED


def test_stock_out_buyer_takes_a_refund(shop, agent, now):
    problem, _ = _stock_problem(shop, now)
    result = problem_stock_choose(actor=agent, problem=problem, choice="refund", now=now)
    assert result.resolution == "买家选择：退款"
    memo = _memos(problem.order)[-1]
    assert "退款" in memo.reason and memo.flag == MemoFlag.RED


def test_stock_out_buyer_waits_and_gets_a_stock_wish(shop, agent, now):
    problem, missing = _stock_problem(shop, now)
    problem_stock_choose(actor=agent, problem=problem, choice="wait", sku=missing, now=now)
    wish = StockWish.objects.get()
    assert (wish.buyer, wish.sku, wish.notified_at) == (problem.order.buyer, missing, None)
    assert "等待" in _memos(problem.order)[-1].reason


def test_stock_out_choice_must_be_one_of_three(shop, agent, now):
    problem, _ = _stock_problem(shop, now)
    with pytest.raises(ProblemError):
        problem_stock_choose(actor=agent, problem=problem, choice="gift", now=now)
    with pytest.raises(ProblemError, match="相似款"):
        problem_stock_choose(actor=agent, problem=problem, choice="similar", now=now)


@pytest.mark.parametrize(
    ("consent", "words", "flag"),
    [(True, "可按货到付款发货", MemoFlag.RED), (False, "重新下单", MemoFlag.RED)],
)
def test_cod_confirmation(shop, agent, now, consent, words, flag):
    order = make_order(shop, state=OrderState.COD_CONFIRMED, is_cod=True)
    problem = make_problem(shop, now, category=C.COD_CONFIRM, order=order)
    result = problem_cod_confirm(
        actor=agent, problem=problem, consent=consent, note="电话确认", now=now
    )
    assert result.state == ProblemState.RESOLVED
    assert result.detail["cod"] == ("consent" if consent else "refused")
    [memo] = _memos(order)
    assert words in memo.reason and "电话确认" in memo.reason and memo.flag == flag
    assert AuditEvent.objects.filter(verb="problem.cod_confirmed").exists()


def test_cod_goes_ahead_only_where_the_shops_courier_delivers(shop, agent, now):
    shop.excluded_regions = ["新疆"]
    shop.save()
    order = make_order(
        shop, state=OrderState.COD_CONFIRMED, is_cod=True, province="新疆维吾尔自治区"
    )
    problem = make_problem(shop, now, category=C.COD_CONFIRM, order=order)
    with pytest.raises(ProblemError, match="快递无法送达"):
        problem_cod_confirm(actor=agent, problem=problem, consent=True, now=now)
    problem.refresh_from_db()
    assert problem.state == ProblemState.OPEN and not _memos(order)
    problem_cod_confirm(actor=agent, problem=problem, consent=False, now=now)
    assert _memos(order)[-1].flag == MemoFlag.RED


def _duplicates(shop, now, count=2):
    buyer = make_buyer(shop, nick="重复下单的买家")
    problems = []
    for n in range(count):
        order = make_order(shop, buyer=buyer, address=f"地址{n}")
        problems.append(make_problem(shop, now, category=C.DUPLICATE_ORDERS, order=order))
    return problems


def test_duplicates_merge_writes_a_memo_on_each_order_and_resolves_the_group(shop, agent, now):
    first, second = _duplicates(shop, now)
    settled = problem_duplicate_settle(
        actor=agent,
        problem=first,
        decision="merge",
        keep=first.order,
        buyer_words="一起寄到公司吧",
        now=now,
    )
    assert {p.pk for p in settled} == {first.pk, second.pk}
    assert all(p.state == ProblemState.RESOLVED for p in settled)
    assert "一起寄到公司吧" in _memos(second.order)[0].reason
    assert first.order.order_id in _memos(second.order)[0].reason


def test_duplicates_close_tells_the_packer_not_to_ship_the_others(shop, agent, now):
    first, second = _duplicates(shop, now)
    problem_duplicate_settle(
        actor=agent,
        problem=second,
        decision="close",
        keep=first.order,
        buyer_words="多拍了",
        now=now,
    )
    assert "请勿发货" in _memos(second.order)[0].reason
    assert "保留本单" in _memos(first.order)[0].reason


def test_duplicates_need_the_buyers_words_and_a_kept_order_of_the_group(shop, agent, now):
    first, _second = _duplicates(shop, now)
    with pytest.raises(ProblemError, match="原话"):
        problem_duplicate_settle(
            actor=agent, problem=first, decision="merge", keep=first.order, buyer_words=" ", now=now
        )
    with pytest.raises(ProblemError, match="保留"):
        problem_duplicate_settle(
            actor=agent,
            problem=first,
            decision="close",
            keep=make_order(shop),
            buyer_words="好的",
            now=now,
        )
    settled = problem_duplicate_settle(
        actor=agent, problem=first, decision="separate", buyer_words="分别寄给爸妈", now=now
    )
    assert len(settled) == 2


def test_a_note_is_a_memo_with_the_chosen_flag(shop, agent, now):
    problem = make_problem(shop, now, category=C.MESSAGE_UNMET)
    problem_note(
        actor=agent, problem=problem, text="买家要求周六送达，已答复尽量", flag="blue", now=now
    )
    [memo] = _memos(problem.order)
    assert memo.flag == MemoFlag.BLUE and memo.work_number == agent.work_number
    with pytest.raises(ProblemError):
        problem_note(actor=agent, problem=problem, text="  ", now=now)


@pytest.mark.parametrize(
    ("text", "flag", "message"),
    [("  ", "red", "备注内容不能为空"), ("加急", "pink", "请选择旗帜颜色")],
)
def test_a_memo_on_a_problem_or_an_order_is_checked_the_same_way(
    shop, agent, now, text, flag, message
):
    problem = make_problem(shop, now, category=C.MESSAGE_UNMET)
    with pytest.raises(ProblemError, match=message):
        problem_note(actor=agent, problem=problem, text=text, flag=flag, now=now)
    with pytest.raises(ProblemError, match=message):
        order_memo_add(actor=agent, order=problem.order, reason=text, flag=flag, now=now)
    assert _memos(problem.order) == []
    problem.refresh_from_db()
    assert problem.assignee_id is None


def test_a_memo_is_trimmed_and_keeps_its_flag_on_either_path(shop, agent, now):
    problem = make_problem(shop, now, category=C.MESSAGE_UNMET)
    problem_note(actor=agent, problem=problem, text=" 周六送达 ", flag="blue", now=now)
    order_memo_add(actor=agent, order=problem.order, reason=" 加急 ", flag="green", now=now)
    assert [(m.reason, m.flag) for m in _memos(problem.order)] == [
        ("周六送达", MemoFlag.BLUE),
        ("加急", MemoFlag.GREEN),
    ]


def test_workflows_refuse_pre_sale_agents(shop, staff, now):
    problem = make_problem(shop, now, category=C.COD_CONFIRM)
    with pytest.raises(PermissionDenied):
        problem_cod_confirm(actor=staff[Role.PRE_SALE], problem=problem, consent=True, now=now)
    with pytest.raises(PermissionDenied):
        problem_note(actor=staff[Role.PRE_SALE], problem=problem, text="x", now=now)


def test_workflows_refuse_a_problem_held_by_a_colleague(shop, agent, now):
    problem = make_problem(
        shop, now, category=C.COD_CONFIRM, assignee=make_user(shop, Role.IN_SALE)
    )
    with pytest.raises(ProblemConflict):
        problem_cod_confirm(actor=agent, problem=problem, consent=True, now=now)
    assert not Memo.objects.exists()


def test_any_agent_may_report_a_problem_with_a_note(shop, staff, now):
    order = make_order(shop)
    problem, created = problem_report(
        actor=staff[Role.PRE_SALE],
        order=order,
        category="address_change",
        note="买家聊天里说要改地址",
        now=now,
    )
    assert created and problem.opened_by == staff[Role.PRE_SALE]
    assert "买家聊天里说要改地址" in _memos(order)[0].reason
    again, created = problem_open(actor=None, order=order, category="address_change", now=now)
    assert again == problem and not created


def test_every_category_has_a_script_with_filled_placeholders(shop, agent, now):
    assert set(SCRIPTS) == set(C.values)
    for category in C.values:
        problem = make_problem(shop, now, category=category)
        for script in scripts_for(problem, agent):
            assert "{" not in script["text"], (category, script["key"])
