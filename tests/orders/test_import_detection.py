"""Problem detection on import: each rule, its negative, and idempotence."""

from datetime import timedelta
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from orders.detection import detect_problems
from orders.models import OrderItem, Problem, ProblemCategory, ProblemState, Sku
from orders.services import PROBLEM_DUE, problems_open_detected
from orders.states import OrderState
from tests.exports import PAID, order_row, write_csv

from ..factories import make_buyer, make_order
from .factories import make_problem
from .test_import_command import run

pytestmark = pytest.mark.django_db

GOOD = {
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "address_detail": "文三路 478号",
    "address": "浙江省 杭州市 西湖区 文三路 478号",
}


def order(shop, **fields):
    return make_order(shop, **{**GOOD, **fields})


def found(shop, orders, now):
    return detect_problems(shop=shop, orders=orders, now=now)


def test_a_plain_paid_order_has_no_problem(shop, now):
    assert found(shop, [order(shop)], now) == {}


def test_cod_confirm(shop, now):
    cod = order(shop, shipping_method="货到付款", state=OrderState.COD_CONFIRMED)
    assert found(shop, [cod], now) == {"cod_confirm": 1}


@pytest.mark.parametrize("state", [OrderState.COD_CONFIRMED, OrderState.COD_WAITING_CONFIRM])
def test_an_order_cod_by_its_state_alone_needs_confirmation(shop, now, state):
    cod = order(shop, shipping_method="快递", is_cod=True, state=state)
    assert found(shop, [cod], now) == {"cod_confirm": 1}


def test_an_order_waiting_for_cod_confirmation_is_checked_for_cod_only(shop, now):
    waiting = order(
        shop,
        shipping_method="货到付款",
        is_cod=True,
        state=OrderState.COD_WAITING_CONFIRM,
        buyer_message="周末送",
    )
    assert found(shop, [waiting], now) == {"cod_confirm": 1}


@pytest.mark.parametrize("fields", [{"district": ""}, {"address_detail": ""}])
def test_address_unclear(shop, now, fields):
    assert found(shop, [order(shop, **fields)], now) == {"address_unclear": 1}


def test_hong_kong_needs_sf_and_a_well_formed_hk_address_is_not_unclear(shop, now):
    hk = {
        "province": "香港特别行政区",
        "city": "九龙",
        "district": "油尖旺区",
        "address_detail": "弥敦道 100号",
    }
    no_courier = order(shop, **hk)
    by_sf = order(shop, **hk, courier="顺丰速运")
    by_yto = order(shop, **hk, courier="圆通速递")
    assert found(shop, [no_courier, by_sf, by_yto], now) == {"out_of_area": 2}
    assert set(Problem.objects.values_list("order_id", flat=True)) == {no_courier.pk, by_yto.pk}


def test_regions_the_shop_excludes(shop, now):
    shop.excluded_regions = ["新疆", "西藏自治区"]
    shop.save()
    far = order(shop, province="新疆维吾尔自治区", city="乌鲁木齐市", district="天山区")
    assert found(shop, [far, order(shop)], now) == {"out_of_area": 1}


def test_message_unmet(shop, now):
    assert found(shop, [order(shop, buyer_message="请周末送货")], now) == {"message_unmet": 1}
    assert found(shop, [order(shop, buyer_message="   ")], now) == {}


def test_duplicate_orders_at_different_addresses_flag_each(shop, now):
    buyer = make_buyer(shop)
    first = order(shop, buyer=buyer)
    second = order(shop, buyer=buyer, address_detail="莫干山路 1号")
    assert found(shop, [second], now) == {"duplicate_orders": 2}
    assert set(
        Problem.objects.filter(category="duplicate_orders").values_list("order_id", flat=True)
    ) == {first.pk, second.pk}


def test_two_orders_to_the_same_address_are_not_duplicates(shop, now):
    buyer = make_buyer(shop)
    orders = [order(shop, buyer=buyer), order(shop, buyer=buyer, address_detail="文三路  478号")]
    assert found(shop, orders, now) == {}


def test_shipping_condition(shop, now):
    shop.free_shipping_threshold = Decimal("99.00")
    shop.save()
    short = order(shop, goods_amount=Decimal("59.00"), postage=Decimal("0.00"))
    paid_postage = order(shop, goods_amount=Decimal("59.00"), postage=Decimal("10.00"))
    enough = order(shop, goods_amount=Decimal("129.00"), postage=Decimal("0.00"))
    assert found(shop, [short, paid_postage, enough], now) == {"shipping_condition": 1}


def test_out_of_stock_by_sku_code_first_paid_first_served(shop, now):
    Sku.objects.create(shop=shop, code="SKU-1", title="连衣裙", price=Decimal("1"), stock=2)
    early = order(shop, paid_at=now - timedelta(hours=3))
    late = order(shop, paid_at=now - timedelta(hours=1))
    for o, quantity in ((early, 2), (late, 1)):
        OrderItem.objects.create(
            order=o, line_key="k", title="连衣裙", price=1, quantity=quantity, sku_code="SKU-1"
        )
    assert found(shop, [early, late], now) == {"out_of_stock": 1}
    assert Problem.objects.get().order == late


def test_out_of_stock_by_title_when_no_items(shop, now):
    Sku.objects.create(shop=shop, code="A", title="羊绒大衣", price=1, stock=0)
    Sku.objects.create(shop=shop, code="B", title="羊绒大衣", price=1, stock=1)
    one = order(shop, item_title="羊绒大衣", item_count=1, paid_at=now - timedelta(hours=2))
    two = order(shop, item_title="羊绒大衣", item_count=1, paid_at=now - timedelta(hours=1))
    assert found(shop, [one, two], now) == {"out_of_stock": 1}
    assert Problem.objects.get().order == two


def test_orders_not_awaiting_shipment_are_not_checked(shop, now):
    shipped = order(shop, state=OrderState.SHIPPED, buyer_message="快点", district="")
    unpaid = order(shop, state=OrderState.WAITING_PAYMENT, buyer_message="快点")
    assert found(shop, [shipped, unpaid], now) == {}


def test_detection_is_idempotent_and_does_not_reopen_resolved_problems(shop, now):
    o = order(shop, buyer_message="请周末送货")
    assert found(shop, [o], now) == {"message_unmet": 1}
    assert found(shop, [o], now) == {}
    Problem.objects.update(state=ProblemState.RESOLVED)
    assert found(shop, [o], now) == {}
    problem = Problem.objects.get()
    assert problem.opened_by is None and problem.shop == shop


def test_import_opens_problems_once_and_reimport_opens_nothing(tmp_path, shop):
    rows = [
        order_row("3012345678901234561", 订单状态=PAID, 运送方式="货到付款", 买家会员名="甲"),
        order_row(
            "3012345678901234562",
            订单状态=PAID,
            买家会员名="乙",
            **{"收货地址 ": "河南省 郑州市 金水区"},
        ),
        order_row(
            "3012345678901234563",
            订单状态=PAID,
            买家会员名="两地买家",
            **{"收货地址 ": "香港特别行政区 九龙 油尖旺区 弥敦道 100号 (999077)"},
        ),
        order_row("3012345678901234564", 订单状态=PAID, 买家会员名="两地买家"),
        order_row("3012345678901234565", 订单状态="交易成功", 买家留言="已完成的不查"),
        order_row("3012345678901234566", 订单状态="等待买家确认货到付款订单信息", 买家会员名="丙"),
        order_row("3012345678901234567", 订单状态="买家已确认，等待卖家发货", 买家会员名="丁"),
    ]
    path = write_csv(tmp_path / "o.csv", rows)
    report = run(path)
    assert report["problems"] == {
        "address_unclear": 1,
        "cod_confirm": 3,
        "duplicate_orders": 2,
        "out_of_area": 1,
    }
    assert run(path)["problems"] == {}
    assert Problem.objects.count() == 7


def test_detected_problems_are_opened_like_problem_open_with_their_audit_events(shop, now):
    o = order(shop, buyer_message="请周末送货", district="")
    assert found(shop, [o], now) == {"message_unmet": 1, "address_unclear": 1}
    problems = Problem.objects.filter(order=o)
    assert {(p.state, p.opened_at, p.due_at - p.opened_at) for p in problems} == {
        (ProblemState.OPEN, now, PROBLEM_DUE)
    }
    events = AuditEvent.objects.filter(verb="problem.opened", shop=shop)
    assert sorted(events.values_list("object_id", flat=True)) == sorted(str(p.pk) for p in problems)
    assert {e.actor_id for e in events} == {None}
    assert {e.object_repr for e in events} == {
        f"地址不详 {o.order_id}",
        f"留言无法满足 {o.order_id}",
    }
    assert sorted(e.changes["category"][1] for e in events) == ["address_unclear", "message_unmet"]


def test_a_problem_an_agent_opened_meanwhile_is_skipped_not_an_error(shop, now):
    o = order(shop, buyer_message="请周末送货")
    make_problem(shop, now, category=ProblemCategory.MESSAGE_UNMET, order=o)
    opened = problems_open_detected(
        findings=[(o, ProblemCategory.MESSAGE_UNMET, {"reason": "x"})], now=now
    )
    assert opened == {}
    assert Problem.objects.filter(order=o).count() == 1
    assert not AuditEvent.objects.filter(verb="problem.opened").exists()
