"""Two workers running the same job at the same moment, as real threads on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from chats.models import OutboxMessage
from chats.tasks import deliver_outbox_message
from helpdesk.jobs import run_job
from outreach.models import Reminder

from .factories import unpaid_order
from .scripts import install_scripts

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_runs_remind_each_order_once(shop, now, monkeypatch):
    """Each order gets one reminder, and each reminder is queued for delivery once, after
    its transaction committed (what delay_on_commit does; recorded instead of sent)."""
    queued = []

    def record(message_id):
        transaction.on_commit(lambda: queued.append(message_id))

    monkeypatch.setattr(deliver_outbox_message, "delay_on_commit", record)
    install_scripts(shop, ["payment_reminder"])
    orders = [unpaid_order(shop, ordered_at=now - timedelta(hours=1)) for _ in range(20)]
    reports, start = [], threading.Barrier(2)

    def run():
        start.wait()
        try:
            reports.append(run_job("payment_reminders", shop=shop, now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(report["sent"] for report in reports) == len(orders)
    assert OutboxMessage.objects.count() == Reminder.objects.count() == len(orders)
    assert sorted(queued) == sorted(OutboxMessage.objects.values_list("pk", flat=True))
