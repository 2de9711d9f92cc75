from datetime import date
from decimal import Decimal

import pytest

from kpi.compute import compute_day
from kpi.figures import derive

pytestmark = pytest.mark.django_db
SUNDAY = date(2026, 11, 22)


def test_agent_figures_on_a_hand_made_day(day):
    figures = derive(compute_day(day.shop, SUNDAY).agents[day.x.pk], shop=False)
    assert figures == {
        "reception_count": 4,
        "inquiry_count": 3,
        "paying_count": 2,
        "inquiry_conversion": pytest.approx(2 / 3),
        "sales": Decimal("400.00"),
        "average_order_value": Decimal("200.00"),
        "first_response_seconds": pytest.approx(20.0),
        "average_response_seconds": pytest.approx(320 / 7),
        "response_within_3min_rate": pytest.approx(6 / 7),
        "qa_ratio": pytest.approx(8 / 6),
        "reminders_sent": 1,
        "reminder_success_rate": 1.0,
        "tickets_resolved": 0,
        "sla_kept_rate": None,
        "reviews_revised": 0,
        "csat_average": 5.0,
        "qa_score": 80.0,
    }


def test_zero_divisions_are_no_data_not_zero(day):
    figures = derive(compute_day(day.shop, SUNDAY).agents[day.y.pk], shop=False)
    assert figures["reception_count"] == 0 and figures["inquiry_count"] == 0
    for key in (
        "inquiry_conversion",
        "average_order_value",
        "first_response_seconds",
        "average_response_seconds",
        "response_within_3min_rate",
        "qa_ratio",
        "csat_average",
        "qa_score",
    ):
        assert figures[key] is None, key
    assert figures["sales"] == Decimal("0.00")
    assert figures["reminders_sent"] == 0 and figures["reminder_success_rate"] is None


def test_a_chat_at_2359_and_one_at_0001_fall_on_two_shanghai_days(day):
    sunday = compute_day(day.shop, SUNDAY).agents[day.x.pk]
    monday = compute_day(day.shop, date(2026, 11, 23)).agents[day.x.pk]
    assert sunday["reception_count"] == 4  # includes b2 at 23:59
    assert monday["reception_count"] == 1  # only b3 at 00:01
    assert monday["first_response_total"] == 100


def test_shop_figures_on_a_hand_made_day(day):
    figures = derive(compute_day(day.shop, SUNDAY).shop, shop=True)
    assert figures["orders"] == 2
    assert figures["sales"] == Decimal("350.00")
    assert figures["average_order_value"] == Decimal("175.00")
    assert figures["reception_count"] == 4
    assert figures["inquiry_count"] == 3 and figures["paying_count"] == 2
    assert figures["first_response_seconds"] == pytest.approx(20.0)
    assert figures["reminders_sent"] == 2 and figures["reminder_success_rate"] == 0.5
    assert figures["followups_sent"] == 1
    assert figures["problems_by_category"] == {"address_change": 2, "out_of_stock": 1}
    assert figures["qa_score"] == 80.0
    assert figures["refund_amount"] == Decimal("0.00") and figures["after_sale_rate"] == 0.0
    assert figures["new_negative_reviews"] == 0 and figures["tickets_resolved"] == 0
    assert figures["sla_kept_rate"] is None  # nothing resolved: a zero division


def test_conversion_window_is_the_shops_setting(day):
    day.shop.conversion_window_hours = 30
    day.shop.save()
    figures = derive(compute_day(day.shop, SUNDAY).agents[day.x.pk], shop=False)
    assert figures["paying_count"] == 3  # b5 paid 26 h after the chat
    assert figures["sales"] == Decimal("480.00")


def test_an_empty_day_has_no_rates_and_no_agents(shop):
    counts = compute_day(shop, SUNDAY)
    figures = derive(counts.shop, shop=True)
    assert counts.agents == {}
    assert figures["orders"] == 0 and figures["sales"] == Decimal("0.00")
    assert figures["inquiry_conversion"] is None and figures["average_order_value"] is None
