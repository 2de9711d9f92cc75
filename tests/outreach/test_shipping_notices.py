"""The shipping notice (发货通知): once per order when it ships, in the shop's quiet-hour
rules, in words that pass the etiquette checker and hold only the order's own facts."""

from datetime import timedelta

import pytest

from chats.models import OutboxKind, OutboxMessage
from helpdesk.jobs import run_job
from orders.states import OrderState
from outreach.models import FollowUp
from outreach.shipping import shipping_notice_text
from scripts_lib import etiquette
from tests.factories import at, make_buyer

from .factories import shipped_order

pytestmark = pytest.mark.django_db


def notices(shop, now):
    return run_job("shipping_notices", shop=shop, now=now)


def test_a_shipped_order_gets_one_notice_naming_its_courier_and_tracking_number(shop, now):
    order = shipped_order(shop, province="浙江省", shipped_at=now - timedelta(hours=1))
    report = notices(shop, now)
    assert report == {"job": "shipping_notices", "sent": 1, "skipped": {}, "candidates": 1}
    row = OutboxMessage.objects.get(kind=OutboxKind.SHIPPING_NOTICE)
    assert row.order == order and row.key == f"shipping_notice:{order.pk}"
    assert "圆通速递" in row.text and "YT1234567890" in row.text and "预计3天" in row.text
    assert notices(shop, now + timedelta(minutes=10))["sent"] == 0
    assert OutboxMessage.objects.count() == 1
    assert FollowUp.objects.get(order=order).shipping_noticed_at == now


def test_the_notice_waits_for_the_end_of_quiet_hours(shop):
    shipped_order(shop, shipped_at=at(2026, 11, 23, 22, 40))
    night = notices(shop, at(2026, 11, 23, 23, 0))
    assert night["sent"] == 0 and night["skipped"] == {"quiet_hours": 1}
    assert notices(shop, at(2026, 11, 24, 9, 5))["sent"] == 1


def test_old_unshipped_and_blocked_orders_get_nothing(shop, now):
    shipped_order(shop, shipped_at=now - timedelta(days=3))
    shipped_order(shop, shipped_at=now - timedelta(hours=2), state=OrderState.PAID)
    shipped_order(shop, shipped_at=now - timedelta(hours=2), buyer=make_buyer(shop, opted_out=True))
    report = notices(shop, now)
    assert report["sent"] == 0 and report["skipped"] == {"opted_out": 1}
    assert not OutboxMessage.objects.exists()


def test_the_follow_up_still_comes_later_for_a_noticed_order(shop, now):
    from .scripts import install_scripts

    install_scripts(shop)
    shipped_order(shop, province="浙江省", shipped_at=now - timedelta(hours=1))
    notices(shop, now)
    later = run_job("delivery_followups", shop=shop, now=now + timedelta(days=4))
    assert later["followups"] == 1


@pytest.mark.parametrize(
    ("courier", "tracking"), [("圆通速递", "YT1"), ("圆通速递", ""), ("", "YT1"), ("", "")]
)
def test_every_wording_passes_the_etiquette_check(shop, now, courier, tracking):
    order = shipped_order(shop, shipped_at=now, courier=courier, tracking_number=tracking)
    text = shipping_notice_text(order, 5)
    assert etiquette.check(text, buyer=order.buyer, order=order) == []
    assert (courier in text) and (tracking in text)
