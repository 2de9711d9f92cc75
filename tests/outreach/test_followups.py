from datetime import timedelta

import pytest

from chats.models import OutboxMessage
from helpdesk.jobs import run_job
from orders.models import Problem, ProblemState
from orders.states import OrderState
from outreach.models import FollowUp
from outreach.regions import estimate_for
from reviews.models import GoodReview, Rating
from scripts_lib.services import default_scripts_load
from tests.factories import at, make_buyer, make_order

from ..reviews.factories import make_review
from .factories import shipped_order

pytestmark = pytest.mark.django_db


def follow(shop, now):
    return run_job("delivery_followups", shop=shop, now=now)


@pytest.mark.parametrize(
    ("province", "address", "region", "days"),
    [
        ("浙江省", "", "fast", 3),
        ("上海", "", "fast", 3),
        ("", "江苏省 南京市 鼓楼区 中山北路 30号", "fast", 3),
        ("广东省", "", "default", 5),
        ("新疆维吾尔自治区", "", "remote", 7),
        ("香港特别行政区", "", "remote", 7),
        ("", "某小区3栋", "unknown", 7),
        ("火星", "", "unknown", 7),
    ],
)
def test_estimate_by_destination(shop, province, address, region, days):
    order = make_order(shop, province=province, address=address)
    estimate = estimate_for(shop, order)
    assert (estimate.region, estimate.days) == (region, days)


def test_region_table_is_the_shops_setting(shop):
    shop.delivery_regions = {
        "fast": {"days": 2, "provinces": ["广东省"]},
        "default_days": 4,
    }
    order = make_order(shop, province="广东省")
    assert estimate_for(shop, order).days == 2
    assert estimate_for(shop, make_order(shop, province="浙江省")).days == 4
    assert estimate_for(shop, make_order(shop, province="")).days == 4


@pytest.mark.parametrize(
    ("province", "days"), [("浙江省", 3), ("广东省", 5), ("西藏自治区", 7), ("", 7)]
)
def test_follow_up_is_sent_once_when_the_parcel_should_have_arrived(
    shop, scripts, now, province, days
):
    order = shipped_order(shop, province=province, shipped_at=now - timedelta(days=days))
    early = follow(shop, now - timedelta(minutes=1))
    assert early["sent"] == 0
    report = follow(shop, now)
    assert (report["sent"], report["followups"]) == (1, 1)
    message = OutboxMessage.objects.get()
    assert (message.kind, message.key) == ("delivery_followup", f"delivery_followup:{order.pk}")
    assert "YT1234567890" in message.text
    assert follow(shop, now + timedelta(hours=1))["sent"] == 0
    assert OutboxMessage.objects.count() == 1


def test_stuck_parcel_opens_one_logistics_delay_problem(shop, scripts, now):
    order = shipped_order(shop, province="广东省", shipped_at=now - timedelta(days=7))
    report = follow(shop, now - timedelta(minutes=1))
    assert report["delay_problems"] == 0 and report["followups"] == 1
    report = follow(shop, now)
    assert report["delay_problems"] == 1
    problem = Problem.objects.get()
    assert (problem.order_id, problem.category, problem.opened_by) == (
        order.pk,
        "logistics_delay",
        None,
    )
    problem.state = ProblemState.RESOLVED
    problem.save()
    assert follow(shop, now + timedelta(days=1))["delay_problems"] == 0
    assert Problem.objects.count() == 1
    assert FollowUp.objects.get().delay_problem == problem


def finished_order(shop, now):
    return shipped_order(
        shop, province="浙江省", shipped_at=now - timedelta(days=4), state=OrderState.FINISHED
    )


def good_review(order, when):
    GoodReview.objects.create(
        shop=order.shop, platform_order_id=order.order_id, reviewed_at=when, created_at=when
    )


def test_received_order_without_a_known_review_is_asked_how_it_is_and_thanked_for_nothing(
    shop, scripts, now
):
    order = finished_order(shop, now)
    report = follow(shop, now)
    assert (report["receipt_followups"], report["review_thanks"], report["followups"]) == (1, 0, 0)
    message = OutboxMessage.objects.get()
    assert (message.kind, message.key) == ("receipt_followup", f"receipt_followup:{order.pk}")
    assert "好评" not in message.text and "谢谢" not in message.text
    assert follow(shop, now + timedelta(days=1))["sent"] == 0
    assert FollowUp.objects.get(order=order).receipt_asked_at == now


def test_only_a_known_good_review_is_thanked_even_when_it_is_imported_later(shop, scripts, now):
    order = finished_order(shop, now)
    follow(shop, now)
    good_review(order, now + timedelta(hours=5))
    report = follow(shop, now + timedelta(hours=6))
    assert (report["sent"], report["review_thanks"]) == (1, 1)
    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == [
        "receipt_followup",
        "review_thanks",
    ]
    assert follow(shop, now + timedelta(days=1))["sent"] == 0
    assert FollowUp.objects.get(order=order).thanked_at == now + timedelta(hours=6)


@pytest.mark.parametrize("rating", [Rating.NEGATIVE, Rating.NEUTRAL])
def test_buyer_with_a_neutral_or_negative_review_is_never_thanked(shop, scripts, now, rating):
    order = finished_order(shop, now)
    good_review(order, now - timedelta(hours=2))  # an earlier 好评 later changed to 差评
    make_review(shop, order=order, rating=rating, reviewed_at=now - timedelta(hours=1))
    report = follow(shop, now)
    assert report["sent"] == 0 and report["review_thanks"] == 0
    assert not OutboxMessage.objects.exists()


def test_follow_up_then_after_receipt_question_once_the_buyer_confirms(shop, scripts, now):
    order = shipped_order(shop, province="浙江省", shipped_at=now - timedelta(days=3))
    follow(shop, now)
    order.state = OrderState.FINISHED
    order.received_at = now + timedelta(days=1)
    order.save()
    report = follow(shop, now + timedelta(days=1, hours=1))
    assert report["receipt_followups"] == 1
    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == [
        "delivery_followup",
        "receipt_followup",
    ]


def test_default_in_transit_follow_up_never_says_the_parcel_arrived(shop, now):
    default_scripts_load(team=shop.team, now=now)
    shipped_order(shop, province="浙江省", shipped_at=now - timedelta(days=3))
    assert follow(shop, now)["followups"] == 1
    text = OutboxMessage.objects.get().text
    assert "很快就到" in text
    for claim in ("已经签收", "签收啦", "已经到了", "已送达", "收到包裹"):
        assert claim not in text, text


def test_follow_ups_wait_for_the_end_of_quiet_hours(shop, scripts):
    shipped_order(shop, province="浙江省", shipped_at=at(2026, 11, 20, 23, 0))
    night = follow(shop, at(2026, 11, 23, 23, 30))
    assert night["sent"] == 0 and night["skipped"] == {"quiet_hours": 1}
    assert follow(shop, at(2026, 11, 24, 9, 5))["followups"] == 1


def test_opted_out_buyer_gets_no_follow_up_but_the_delay_is_still_reported(shop, scripts, now):
    shipped_order(
        shop,
        buyer=make_buyer(shop, opted_out=True),
        province="广东省",
        shipped_at=now - timedelta(days=8),
    )
    report = follow(shop, now)
    assert report["sent"] == 0 and report["skipped"] == {"opted_out": 1}
    assert report["delay_problems"] == 1


def test_missing_follow_up_script_is_reported(shop, now):
    shipped_order(shop, province="浙江省", shipped_at=now - timedelta(days=3))
    report = follow(shop, now)
    assert report["skipped"] == {"no_script": 1} and not OutboxMessage.objects.exists()


def test_old_shipments_are_left_alone(shop, scripts, now):
    shipped_order(shop, province="浙江省", shipped_at=now - timedelta(days=31))
    assert follow(shop, now) == {
        "job": "delivery_followups",
        "sent": 0,
        "skipped": {},
        "followups": 0,
        "receipt_followups": 0,
        "review_thanks": 0,
        "delay_problems": 0,
    }


def test_parcels_still_on_their_way_do_not_crowd_out_due_ones(shop, scripts, now, monkeypatch):
    from outreach import followups

    monkeypatch.setattr(followups, "BATCH_SIZE", 1)
    shipped_order(shop, province="西藏自治区", shipped_at=now - timedelta(days=4))
    due = shipped_order(shop, province="浙江省", shipped_at=now - timedelta(days=3))
    report = follow(shop, now)
    assert report["followups"] == 1
    assert OutboxMessage.objects.get().order_id == due.pk
