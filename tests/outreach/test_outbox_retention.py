from datetime import timedelta

import pytest
import time_machine

from chats.models import OutboxMessage, OutboxStatus
from helpdesk import clock
from helpdesk.jobs import run_job
from outreach.models import Reminder
from tests.factories import make_buyer

from .factories import unpaid_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_400_days(settings):
    settings.HELPDESK_OUTBOX_KEEP_DAYS = 400


def _message(shop, *, status, at, key):
    return OutboxMessage.objects.create(
        shop=shop,
        kind="reply",
        key=key,
        buyer=make_buyer(shop),
        text="您好",
        status=status,
        created_at=at,
        next_attempt_at=at,
        sent_at=at if status == OutboxStatus.SENT else None,
    )


def _purge_later(days):
    with time_machine.travel(clock.now() + timedelta(days=days), tick=False):
        return run_job("outbox_retention", now=clock.now())


def test_sent_and_failed_rows_past_the_kept_days_are_deleted(shop, now):
    _message(shop, status=OutboxStatus.SENT, at=now, key="old-sent")
    _message(shop, status=OutboxStatus.FAILED, at=now, key="old-failed")
    _message(shop, status=OutboxStatus.SENT, at=now + timedelta(days=20), key="recent")

    report = _purge_later(401)

    assert report["deleted"] == 2 and report["more"] is False
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["recent"]
    assert _purge_later(401)["deleted"] == 0


def test_a_pending_row_is_never_deleted(shop, now):
    _message(shop, status=OutboxStatus.PENDING, at=now, key="old-pending")
    assert _purge_later(2000)["deleted"] == 0
    assert OutboxMessage.objects.filter(key="old-pending").exists()


def test_rows_inside_the_kept_days_stay_and_zero_keeps_all(shop, now, settings):
    _message(shop, status=OutboxStatus.SENT, at=now, key="sent")
    assert _purge_later(399)["deleted"] == 0
    settings.HELPDESK_OUTBOX_KEEP_DAYS = 0
    assert _purge_later(4000)["deleted"] == 0
    assert OutboxMessage.objects.count() == 1


def test_a_purged_reminder_is_kept_and_never_sent_again(shop, scripts, now):
    order = unpaid_order(shop, ordered_at=now - timedelta(minutes=40))
    assert run_job("payment_reminders", shop=shop, now=now)["sent"] == 1
    OutboxMessage.objects.update(status=OutboxStatus.SENT, sent_at=now)

    assert _purge_later(401)["deleted"] == 1

    reminder = Reminder.objects.get(order=order)
    assert reminder.outbox_id is None and reminder.sent_at == now
    with time_machine.travel(now + timedelta(days=401), tick=False):
        again = run_job("payment_reminders", shop=shop, now=clock.now())
    assert again["sent"] == 0 and not OutboxMessage.objects.exists()
