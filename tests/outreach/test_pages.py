from datetime import timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from accounts.roles import Role
from audit.models import AuditEvent
from chats.models import OutboxMessage, OutboxStatus
from chats.outbox import outbox_enqueue
from outreach.schedules import ensure_schedules
from tests.factories import make_buyer, make_order

pytestmark = pytest.mark.django_db


def outbox_row(shop, now, *, status=OutboxStatus.SENT, n=0):
    order = make_order(shop)
    message, _ = outbox_enqueue(
        shop=shop,
        kind="payment_reminder",
        key=f"payment_reminder:{order.pk}",
        buyer=order.buyer,
        order=order,
        text=f"您好，第{n}条",
        now=now,
    )
    message.status = status
    message.attempts = 8 if status == OutboxStatus.FAILED else 1
    message.last_error = "网关超时" if status != OutboxStatus.SENT else ""
    message.sent_at = now if status == OutboxStatus.SENT else None
    message.save()
    return message


@pytest.mark.parametrize(
    "role", [Role.PRE_SALE, Role.IN_SALE, Role.AFTER_SALE, Role.REVIEW_SPECIALIST]
)
def test_agents_may_not_open_the_outbox_page(login, staff, role):
    assert login(staff[role]).get("/outreach/").status_code == 403


def test_supervisor_sees_failures_recent_sends_and_the_missing_script_warning(
    login, staff, shop, now
):
    outbox_row(shop, now, status=OutboxStatus.FAILED)
    outbox_row(shop, now)
    response = login(staff[Role.SUPERVISOR]).get("/outreach/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "网关超时" in page and "第0条" in page
    assert "A店 没有催付、回访、签收回访、好评感谢话术" in page


def test_foreign_shop_is_a_404(login, staff, other_shop):
    assert login(staff[Role.MANAGER]).get("/outreach/?shop=shop-b").status_code == 404
    assert login(staff[Role.MANAGER]).get("/outreach/?shop=nowhere").status_code == 404


def test_retry_of_a_foreign_message_is_a_404(login, staff, other_shop, now):
    foreign = outbox_row(other_shop, now, status=OutboxStatus.FAILED)
    response = login(staff[Role.SUPERVISOR]).post(f"/outreach/outbox/{foreign.pk}/retry/")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == OutboxStatus.FAILED


def test_retry_is_refused_to_agents(login, staff, shop, now):
    failed = outbox_row(shop, now, status=OutboxStatus.FAILED)
    assert (
        login(staff[Role.AFTER_SALE]).post(f"/outreach/outbox/{failed.pk}/retry/").status_code
        == 404
    )


def test_supervisor_retries_a_failed_message_audited(
    login, staff, shop, now, django_capture_on_commit_callbacks
):
    failed = outbox_row(shop, now, status=OutboxStatus.FAILED)
    client = login(staff[Role.SUPERVISOR])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/outreach/outbox/{failed.pk}/retry/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.PENDING
    assert len(callbacks) == 1
    event = AuditEvent.objects.get(verb="outbox.retried")
    assert event.actor == staff[Role.SUPERVISOR] and event.changes == {
        "status": ["failed", "pending"]
    }


@pytest.mark.parametrize("rows", [2, 12])
def test_outbox_page_query_count_does_not_grow_with_rows(
    login, staff, shop, now, rows, django_assert_num_queries
):
    for n in range(rows):
        outbox_row(shop, now, n=n)
        outbox_row(shop, now, status=OutboxStatus.FAILED, n=n)
    client = login(staff[Role.SUPERVISOR])
    with django_assert_num_queries(9):
        assert client.get("/outreach/").status_code == 200


def test_jobs_page_is_for_managers_only(login, staff):
    ensure_schedules()
    assert login(staff[Role.SUPERVISOR]).get("/outreach/jobs/").status_code == 403
    response = login(staff[Role.MANAGER]).get("/outreach/jobs/")
    assert response.status_code == 200 and "payment_reminders" in response.content.decode()


def test_manager_changes_a_schedule_audited(login, staff):
    ensure_schedules()
    client = login(staff[Role.MANAGER])
    response = client.post(
        "/outreach/jobs/payment_reminders/schedule/",
        {"payment_reminders-every_minutes": "10"},
    )
    assert response.status_code == 302
    task = PeriodicTask.objects.get(name="outreach:payment_reminders")
    assert (task.interval.every, task.enabled) == (10, False)
    event = AuditEvent.objects.get(verb="job.schedule_changed")
    assert event.changes == {"every_minutes": [5, 10], "enabled": [True, False]}


def test_schedule_change_is_refused_to_supervisors(login, staff):
    ensure_schedules()
    response = login(staff[Role.SUPERVISOR]).post(
        "/outreach/jobs/payment_reminders/schedule/", {"payment_reminders-every_minutes": "1"}
    )
    assert response.status_code == 403
    assert PeriodicTask.objects.get(name="outreach:payment_reminders").interval.every == 5


def test_run_now_queues_the_job_for_the_managers_shops_only(
    login, staff, shop, other_shop, django_capture_on_commit_callbacks
):
    ensure_schedules()
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(staff[Role.MANAGER]).post("/outreach/jobs/delivery_followups/run/")
    assert response.status_code == 302
    assert len(callbacks) == 1
    event = AuditEvent.objects.get(verb="job.run_requested")
    assert event.shop_id == shop.pk and event.changes == {"job": [None, "delivery_followups"]}


def test_ensure_schedules_is_idempotent_and_keeps_edits():
    tasks = ensure_schedules()
    assert {t.name for t in tasks} == {
        "outreach:payment_reminders",
        "outreach:shipping_notices",
        "outreach:delivery_followups",
        "outreach:outbox_retry",
        "outreach:problem_digest",
    }
    reminders = PeriodicTask.objects.get(name="outreach:payment_reminders")
    reminders.enabled = False
    reminders.save()
    ensure_schedules()
    assert PeriodicTask.objects.filter(name__startswith="outreach:").count() == 5
    assert PeriodicTask.objects.get(name="outreach:payment_reminders").enabled is False


def test_outbox_retry_job_requeues_due_pending_rows(shop, now, django_capture_on_commit_callbacks):
    from helpdesk.jobs import run_job

    backing_off = outbox_row(shop, now - timedelta(minutes=5), status=OutboxStatus.PENDING)
    backing_off.next_attempt_at = now - timedelta(seconds=1)
    backing_off.save()
    later = outbox_row(shop, now, status=OutboxStatus.PENDING)
    later.next_attempt_at = now + timedelta(minutes=5)
    later.save()
    outbox_row(shop, now, status=OutboxStatus.SENT)
    fresh, _ = outbox_enqueue(
        shop=shop, kind="reply", key="reply:x", buyer=make_buyer(shop), text="您好", now=now
    )
    from unittest import mock

    with mock.patch("outreach.tasks.redeliver_outbox_message.delay") as delay:
        report = run_job("outbox_retry", shop=None, now=now)
    assert report == {"job": "outbox_retry", "sent": 0, "skipped": {}, "requeued": 1}
    delay.assert_called_once_with(backing_off.pk)
    assert OutboxMessage.objects.get(pk=fresh.pk).status == OutboxStatus.PENDING


def test_home_page_warns_a_supervisor_of_missing_scheduled_scripts_but_not_an_agent(
    login, staff, shop
):
    warning = "A店 没有催付、回访、签收回访、好评感谢话术"
    assert warning in login(staff[Role.SUPERVISOR]).get("/").content.decode()
    assert warning not in login(staff[Role.PRE_SALE]).get("/").content.decode()
