"""Buyer files, stock wishes and the stock notice that goes out once."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from chats.models import OutboxMessage
from chats.services.stock import sku_set_stock
from orders.errors import ProblemError
from orders.models import StockWish
from orders.services import buyer_update, stock_wish_add
from tests.factories import make_buyer, make_order, make_user

from .factories import make_sku

pytestmark = pytest.mark.django_db


def test_any_agent_records_sizes_and_style_audited(shop, staff, now):
    buyer = make_buyer(shop)
    buyer_update(
        actor=staff[Role.PRE_SALE],
        buyer=buyer,
        values={"height_cm": "165", "weight_kg": "52", "size": "M", "style": "简约通勤"},
        now=now,
    )
    buyer.refresh_from_db()
    assert (buyer.height_cm, str(buyer.weight_kg), buyer.size) == (165, "52.0", "M")
    event = AuditEvent.objects.get(verb="buyer.updated")
    assert event.changes["size"] == ["", "M"]


def test_flags_need_in_sale_or_above(shop, staff, now):
    buyer = make_buyer(shop)
    with pytest.raises(PermissionDenied):
        buyer_update(actor=staff[Role.PRE_SALE], buyer=buyer, values={"is_vip": True}, now=now)
    buyer_update(actor=staff[Role.IN_SALE], buyer=buyer, values={"is_malicious": True}, now=now)
    buyer.refresh_from_db()
    assert buyer.is_malicious


def test_bad_figures_are_refused_and_change_nothing(shop, staff, now):
    buyer = make_buyer(shop, size="S")
    with pytest.raises(ProblemError, match="身高"):
        buyer_update(
            actor=staff[Role.IN_SALE], buyer=buyer, values={"size": "L", "height_cm": "9"}, now=now
        )
    buyer.refresh_from_db()
    assert buyer.size == "S"


def test_buyer_page_shows_orders_notes_flags_and_wishes(login, shop, staff, now):
    buyer = make_buyer(shop, is_vip=True, notes="喜欢宽松款")
    order = make_order(shop, buyer=buyer)
    stock_wish_add(
        actor=staff[Role.IN_SALE],
        buyer=buyer,
        sku=make_sku(shop, title="羊绒围巾", stock=0),
        now=now,
    )
    body = login(staff[Role.PRE_SALE]).get(f"/orders/buyers/{buyer.pk}/").content.decode()
    assert order.order_id in body and "喜欢宽松款" in body and "VIP" in body and "羊绒围巾" in body


def test_buyer_page_saves_notes_and_refuses_flags_to_pre_sale(login, shop, staff, now):
    buyer = make_buyer(shop)
    client = login(staff[Role.PRE_SALE])
    response = client.post(
        f"/orders/buyers/{buyer.pk}/",
        {
            "part": "notes",
            "size": "XL",
            "style": "运动",
            "notes": "",
            "height_cm": "",
            "weight_kg": "",
        },
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.size == "XL"
    response = client.post(f"/orders/buyers/{buyer.pk}/", {"part": "flags", "is_vip": "on"})
    assert response.status_code == 403
    buyer.refresh_from_db()
    assert not buyer.is_vip


def test_other_shops_buyers_are_404(login, shop, other_shop, now):
    buyer = make_buyer(shop)
    client = login(make_user(other_shop, Role.MANAGER))
    assert client.get(f"/orders/buyers/{buyer.pk}/").status_code == 404
    assert client.post(f"/orders/buyers/{buyer.pk}/", {"part": "flags"}).status_code == 404


def test_stock_wish_is_added_once(shop, staff, now):
    buyer, sku = make_buyer(shop), make_sku(shop, stock=0)
    wish, created = stock_wish_add(actor=staff[Role.PRE_SALE], buyer=buyer, sku=sku, now=now)
    again, created_again = stock_wish_add(actor=staff[Role.PRE_SALE], buyer=buyer, sku=sku, now=now)
    assert created and not created_again and wish == again


def test_stock_wish_refuses_another_shops_sku(shop, other_shop, staff, now):
    with pytest.raises(ProblemError):
        stock_wish_add(
            actor=staff[Role.IN_SALE], buyer=make_buyer(shop), sku=make_sku(other_shop), now=now
        )


def test_wish_button_on_the_buyer_page_records_the_wish(login, shop, staff):
    """The view once bound ``_`` to the service's result, shadowing gettext: every POST
    (valid or not) was a 500."""
    buyer, sku = make_buyer(shop), make_sku(shop, stock=0)
    client = login(staff[Role.PRE_SALE])
    url = f"/orders/buyers/{buyer.pk}/wishes/"
    assert client.post(url, {"sku": sku.pk}).status_code == 302
    assert client.post(url, {"sku": sku.pk}).status_code == 302
    assert client.post(url, {"sku": "x"}).status_code == 302
    assert StockWish.objects.filter(buyer=buyer, sku=sku).count() == 1


def test_restock_sends_one_notice_per_waiting_wish(
    shop, staff, now, django_capture_on_commit_callbacks
):
    sku = make_sku(shop, stock=0, title="法式碎花连衣裙")
    agent = staff[Role.IN_SALE]
    wishes = [
        stock_wish_add(actor=agent, buyer=make_buyer(shop), sku=sku, now=now)[0] for _ in range(2)
    ]
    quiet = make_buyer(shop, opted_out=True)
    stock_wish_add(actor=agent, buyer=quiet, sku=sku, now=now)
    with django_capture_on_commit_callbacks():
        _sku, notified = sku_set_stock(actor=agent, sku=sku, stock=20, now=now)
    assert notified == 2
    messages = OutboxMessage.objects.order_by("key")
    assert [m.key for m in messages] == sorted(f"stock_notice:{w.pk}" for w in wishes)
    assert all(m.kind == "stock_notice" and "法式碎花连衣裙" in m.text for m in messages)
    assert StockWish.objects.filter(notified_at=now).count() == 2
    assert StockWish.objects.get(buyer=quiet).notified_at is None
    sku_set_stock(actor=agent, sku=sku, stock=0, now=now)
    sku_set_stock(actor=agent, sku=sku, stock=5, now=now)
    sku_set_stock(actor=agent, sku=sku, stock=8, now=now)
    assert OutboxMessage.objects.count() == 2
    assert AuditEvent.objects.filter(verb="sku.stock_set").count() == 4


def test_stock_is_managed_by_in_sale_and_up(shop, staff, now):
    sku = make_sku(shop)
    with pytest.raises(PermissionDenied):
        sku_set_stock(actor=staff[Role.PRE_SALE], sku=sku, stock=3, now=now)
    with pytest.raises(ProblemError):
        sku_set_stock(actor=staff[Role.IN_SALE], sku=sku, stock=-1, now=now)


def test_stock_page_lists_and_sets_stock(login, shop, other_shop, staff, now):
    sku = make_sku(shop, code="YS-DRS-001-L", stock=0)
    foreign = make_sku(other_shop, code="B-ONLY")
    client = login(staff[Role.IN_SALE])
    body = client.get("/orders/stock/").content.decode()
    assert "YS-DRS-001-L" in body and "B-ONLY" not in body
    assert client.post(f"/orders/stock/{sku.pk}/", {"stock": "12"}).status_code == 302
    sku.refresh_from_db()
    assert sku.stock == 12
    assert client.post(f"/orders/stock/{foreign.pk}/", {"stock": "1"}).status_code == 404
    assert login(staff[Role.PRE_SALE]).get("/orders/stock/").status_code == 403
