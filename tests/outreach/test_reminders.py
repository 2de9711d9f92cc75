import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from accounts.roles import Role
from chats.models import Channel, Conversation, OutboxMessage
from helpdesk.jobs import run_job
from orders.states import OrderState
from outreach.models import Reminder
from outreach.reminders import reminder_send
from outreach.selectors import reminder_stats
from outreach.texts import reminder_wording
from tests.factories import at, make_buyer, make_order, make_user
from tests.scripts_lib.factories import make_script

from .factories import unpaid_order

pytestmark = pytest.mark.django_db


def remind(shop, now):
    return run_job("payment_reminders", shop=shop, now=now)


def test_order_old_enough_gets_one_reminder_through_the_outbox(shop, scripts, now):
    order = unpaid_order(shop, ordered_at=now - timedelta(minutes=40))
    report = remind(shop, now)
    assert report["sent"] == 1 and report["skipped"] == {}
    message = OutboxMessage.objects.get()
    assert (message.kind, message.key, message.order_id) == (
        "payment_reminder",
        f"payment_reminder:{order.pk}",
        order.pk,
    )
    assert order.order_id in message.text and "269.00" in message.text
    reminder = Reminder.objects.get()
    assert (reminder.order_id, reminder.outbox_id, reminder.sent_at) == (order.pk, message.pk, now)


def test_a_second_run_never_reminds_the_same_order_again(shop, scripts, now):
    unpaid_order(shop, ordered_at=now - timedelta(hours=2))
    remind(shop, now)
    again = remind(shop, now + timedelta(hours=5))
    assert again["sent"] == 0 and again["candidates"] == 0
    assert OutboxMessage.objects.count() == 1


def test_a_second_decision_for_a_reminded_order_is_a_no_op(shop, scripts, now):
    order = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    wording = reminder_wording(shop, now)
    assert reminder_send(order_id=order.pk, wording=wording, now=now) == "sent"
    later = now + timedelta(minutes=5)
    assert reminder_send(order_id=order.pk, wording=wording, now=later) == "already_sent"
    assert OutboxMessage.objects.count() == Reminder.objects.count() == 1


def test_order_younger_than_remind_after_waits(shop, scripts, now):
    unpaid_order(shop, ordered_at=now - timedelta(minutes=29))
    assert remind(shop, now)["candidates"] == 0
    shop.remind_after_minutes = 20
    shop.save()
    assert remind(shop, now)["sent"] == 1


def test_order_the_platform_would_have_closed_is_never_reminded(shop, scripts, now):
    unpaid_order(shop, ordered_at=now - timedelta(hours=72, minutes=1))
    open_one = unpaid_order(shop, ordered_at=now - timedelta(hours=71))
    report = remind(shop, now)
    assert report["sent"] == 1 and Reminder.objects.get().order_id == open_one.pk


def test_night_order_is_reminded_after_the_quiet_hours(shop, scripts):
    order = unpaid_order(shop, ordered_at=at(2026, 11, 23, 23, 0))
    night = remind(shop, at(2026, 11, 23, 23, 45))
    assert night["sent"] == 0 and night["skipped"] == {"quiet_hours": 1}
    assert remind(shop, at(2026, 11, 24, 8, 59))["skipped"] == {"quiet_hours": 1}
    morning = remind(shop, at(2026, 11, 24, 9, 0))
    assert morning["sent"] == 1 and Reminder.objects.get().order_id == order.pk


def test_quiet_hours_are_the_shops_setting(shop, scripts):
    from datetime import time

    shop.quiet_hours_start, shop.quiet_hours_end = time(12, 0), time(14, 0)
    shop.save()
    unpaid_order(shop, ordered_at=at(2026, 11, 23, 11, 0))
    assert remind(shop, at(2026, 11, 23, 12, 30))["skipped"] == {"quiet_hours": 1}
    assert remind(shop, at(2026, 11, 23, 23, 30))["sent"] == 1


@pytest.mark.parametrize("flag", ["is_malicious", "opted_out"])
def test_malicious_or_opted_out_buyers_are_never_reminded(shop, scripts, now, flag):
    buyer = make_buyer(shop, **{flag: True})
    unpaid_order(shop, buyer=buyer, ordered_at=now - timedelta(hours=1))
    report = remind(shop, now)
    reason = "malicious" if flag == "is_malicious" else "opted_out"
    assert report["sent"] == 0 and report["skipped"] == {reason: 1}
    assert not OutboxMessage.objects.exists()


def test_unpaid_duplicate_of_an_order_paid_since_is_skipped(shop, scripts, now):
    buyer = make_buyer(shop)
    unpaid_order(shop, buyer=buyer, ordered_at=now - timedelta(hours=3))
    make_order(
        shop,
        buyer=buyer,
        item_title="法式碎花连衣裙 米白 M",
        ordered_at=now - timedelta(hours=2),
        paid_at=now - timedelta(hours=2),
    )
    other_items = unpaid_order(
        shop, buyer=buyer, ordered_at=now - timedelta(hours=3), item_title="羊绒大衣"
    )
    report = remind(shop, now)
    assert report["sent"] == 1 and report["skipped"] == {"duplicate": 1}
    assert Reminder.objects.get().order_id == other_items.pk


def test_an_order_paid_before_this_one_was_placed_is_not_a_duplicate(shop, scripts, now):
    buyer = make_buyer(shop)
    make_order(
        shop,
        buyer=buyer,
        item_title="法式碎花连衣裙 米白 M",
        ordered_at=now - timedelta(days=9),
        paid_at=now - timedelta(days=9),
    )
    unpaid_order(shop, buyer=buyer, ordered_at=now - timedelta(hours=1))
    assert remind(shop, now)["sent"] == 1


def test_before_the_cutoff_the_reminder_says_the_parcel_leaves_today(shop, scripts, now):
    unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    remind(shop, now)
    assert "今天 17:00 前付款，包裹当天就能发出" in OutboxMessage.objects.get().text


def test_after_the_cutoff_the_reminder_promises_tomorrow(shop, scripts):
    unpaid_order(shop, ordered_at=at(2026, 11, 23, 17, 0))
    remind(shop, at(2026, 11, 23, 18, 0))
    text = OutboxMessage.objects.get().text
    assert "明天 17:00 前为您发出" in text and "今天" not in text


def test_a_script_speaking_of_the_cutoff_is_used_before_it_and_another_after(shop, now):
    make_script(
        shop.team,
        shop,
        code="cf",
        category="payment_reminder",
        body="{buyer_nick}您好，{cutoff_time}前付款当天就能发出。",
        position=0,
    )
    make_script(
        shop.team,
        shop,
        code="cfwt",
        category="payment_reminder",
        body="{buyer_nick}您好，付款遇到问题可以随时找我。",
        position=1,
    )
    morning = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    evening = unpaid_order(shop, ordered_at=at(2026, 11, 23, 17, 30))
    remind(shop, now)
    assert OutboxMessage.objects.get(order=morning).text.endswith("17:00前付款当天就能发出。")
    remind(shop, at(2026, 11, 23, 18, 30))
    text = OutboxMessage.objects.get(order=evening).text
    assert "付款遇到问题" in text and text.endswith("现在付款，包裹明天 17:00 前为您发出。")


def test_after_the_cutoff_a_shop_with_only_cutoff_scripts_waits_for_the_morning(shop):
    make_script(
        shop.team,
        shop,
        code="cf",
        category="payment_reminder",
        body="{cutoff_time}前付款当天发出。",
    )
    unpaid_order(shop, ordered_at=at(2026, 11, 23, 17, 30))
    assert remind(shop, at(2026, 11, 23, 18, 30))["skipped"] == {"after_cutoff": 1}
    assert remind(shop, at(2026, 11, 24, 9, 0))["sent"] == 1


def test_shop_without_a_reminder_script_sends_nothing_and_says_why(shop, now):
    unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    report = remind(shop, now)
    assert report["sent"] == 0 and report["skipped"] == {"no_script": 1}
    assert not OutboxMessage.objects.exists() and not Reminder.objects.exists()


def test_reminder_succeeds_when_paid_within_24_hours(shop, scripts, now):
    paid_soon = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    paid_late = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    never_paid = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    remind(shop, now)
    paid_soon.state, paid_soon.paid_at = OrderState.PAID, now + timedelta(hours=23)
    paid_soon.save()
    paid_late.state, paid_late.paid_at = OrderState.PAID, now + timedelta(hours=25)
    paid_late.save()
    report = remind(shop, now + timedelta(hours=30))
    assert report["succeeded"] == 1
    succeeded = Reminder.objects.get(succeeded=True)
    assert succeeded.order_id == paid_soon.pk and succeeded.paid_at == paid_soon.paid_at
    assert Reminder.objects.get(order=never_paid).succeeded is False
    assert remind(shop, now + timedelta(hours=31))["succeeded"] == 0


def test_reminder_is_credited_to_the_agent_who_served_the_buyer(shop, scripts, now):
    agent = make_user(shop, Role.PRE_SALE)
    buyer = make_buyer(shop)
    channel = Channel.objects.create(shop=shop, name="网页", kind="webchat")
    Conversation.objects.create(
        shop=shop,
        channel=channel,
        buyer=buyer,
        assignee=agent,
        created_at=now - timedelta(hours=2),
        last_message_at=now - timedelta(hours=1, minutes=30),
    )
    served = unpaid_order(shop, buyer=buyer, ordered_at=now - timedelta(hours=1))
    unserved = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    remind(shop, now)
    assert Reminder.objects.get(order=served).agent == agent
    assert Reminder.objects.get(order=unserved).agent is None
    served.paid_at = now + timedelta(hours=1)
    served.save()
    remind(shop, now + timedelta(hours=2))
    rows = list(
        reminder_stats(shop_ids=[shop.pk], start=date(2026, 11, 23), end=date(2026, 11, 23))
    )
    assert rows == [
        {
            "shop_id": shop.pk,
            "agent_id": agent.pk,
            "day": date(2026, 11, 23),
            "sent": 1,
            "succeeded": 1,
        },
        {
            "shop_id": shop.pk,
            "agent_id": None,
            "day": date(2026, 11, 23),
            "sent": 1,
            "succeeded": 0,
        },
    ]


def test_run_job_json_reports_sent_and_skipped(shop, scripts, now, capsys):
    unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    unpaid_order(
        shop, buyer=make_buyer(shop, is_malicious=True), ordered_at=now - timedelta(hours=1)
    )
    call_command(
        "run_job", "payment_reminders", "--shop", shop.code, "--at", now.isoformat(), "--json"
    )
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last == {
        "job": "payment_reminders",
        "sent": 1,
        "skipped": {"malicious": 1},
        "candidates": 2,
        "succeeded": 0,
    }


def test_deleting_a_reminded_buyer_or_order_keeps_working(shop, scripts, now):
    first = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    second = unpaid_order(shop, ordered_at=now - timedelta(hours=1))
    remind(shop, now)
    first.buyer.delete()
    assert Reminder.objects.get(order=first).outbox is None
    second.delete()
    assert Reminder.objects.count() == 1
