import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.roles import Role
from orders.models import ProblemCategory
from orders.services.problems import problem_open, transition
from teamwork import delivery as delivery_module
from teamwork import urlcheck
from teamwork.delivery import MAX_ATTEMPTS
from teamwork.errors import WebhookUrlRefused
from teamwork.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from teamwork.urlcheck import check_webhook_url
from teamwork.webhooks import webhook_endpoint_create
from tests.factories import make_order
from tests.tickets.factories import make_ticket
from tickets.models import TicketType
from tickets.services import ticket_act

from .receiver import receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow_private(monkeypatch):
    monkeypatch.setenv("HELPDESK_WEBHOOK_ALLOW_PRIVATE", "1")


@pytest.fixture
def refuse_private(monkeypatch):
    monkeypatch.delenv("HELPDESK_WEBHOOK_ALLOW_PRIVATE", raising=False)


def endpoint_for(shop, url, events, now):
    return webhook_endpoint_create(actor=None, shop=shop, url=url, events=events, now=now)


def run_deliveries(capsys, *, at, shop="shop-a"):
    call_command("run_job", "webhook_deliveries", "--shop", shop, "--at", at.isoformat(), "--json")
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    return (
        "sha256="
        + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://user:pw@example.com/hook",
        "javascript:alert(1)",
    ],
)
def test_non_public_or_non_http_urls_are_refused(url, refuse_private):
    with pytest.raises(WebhookUrlRefused):
        check_webhook_url(url)


def test_a_public_address_is_accepted(refuse_private):
    assert check_webhook_url(" http://93.184.216.34/hook ") == "http://93.184.216.34/hook"


def test_loopback_is_accepted_when_the_environment_allows_private(allow_private):
    assert check_webhook_url("http://127.0.0.1:9/hook") == "http://127.0.0.1:9/hook"


def test_add_webhook_prints_id_and_secret(shop, capsys, allow_private):
    call_command(
        "add_webhook",
        "--shop",
        shop.code,
        "--url",
        "http://127.0.0.1:9/h",
        "--events",
        "ticket.created,problem.opened",
        "--json",
    )
    printed = json.loads(capsys.readouterr().out)
    endpoint = WebhookEndpoint.objects.get(pk=printed["id"])
    assert printed == {"id": endpoint.pk, "secret": endpoint.secret}
    assert endpoint.events == ["problem.opened", "ticket.created"]


def test_add_webhook_refuses_private_url_and_unknown_event(shop, refuse_private):
    with pytest.raises(CommandError, match="内网"):
        call_command(
            "add_webhook",
            "--shop",
            shop.code,
            "--url",
            "http://127.0.0.1/h",
            "--events",
            "ticket.created",
        )
    with pytest.raises(CommandError, match="未知事件"):
        call_command(
            "add_webhook",
            "--shop",
            shop.code,
            "--url",
            "http://93.184.216.34/h",
            "--events",
            "ticket.deleted",
        )
    assert not WebhookEndpoint.objects.exists()


def test_event_is_written_with_the_change_and_not_without_it(shop, now, allow_private):
    endpoint_for(shop, "http://127.0.0.1:9/h", ["problem.opened"], now)
    order = make_order(shop)
    with pytest.raises(RuntimeError), transaction.atomic():
        problem_open(actor=None, order=order, category=ProblemCategory.OUT_OF_STOCK, now=now)
        raise RuntimeError("the change fails after the event was written")
    assert not WebhookDelivery.objects.exists()
    problem_open(actor=None, order=order, category=ProblemCategory.OUT_OF_STOCK, now=now)
    delivery = WebhookDelivery.objects.get()
    body = json.loads(delivery.body)
    assert body["event"] == "problem.opened" and body["shop"] == "shop-a"
    assert body["data"]["order_id"] == order.order_id


def test_only_subscribed_events_of_active_endpoints_of_the_shop(
    shop, other_shop, now, allow_private
):
    endpoint_for(shop, "http://127.0.0.1:9/a", ["ticket.created"], now)
    endpoint_for(other_shop, "http://127.0.0.1:9/b", ["problem.opened", "ticket.created"], now)
    off = endpoint_for(shop, "http://127.0.0.1:9/c", ["problem.opened"], now)
    off.is_active = False
    off.save()
    problem_open(actor=None, order=make_order(shop), category=ProblemCategory.OUT_OF_STOCK, now=now)
    assert not WebhookDelivery.objects.exists()


def test_ticket_created_and_state_changed_and_problem_resolved(shop, staff, now, allow_private):
    endpoint_for(
        shop,
        "http://127.0.0.1:9/h",
        ["ticket.created", "ticket.state_changed", "problem.resolved"],
        now,
    )
    agent = staff[Role.AFTER_SALE]
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    ticket_act(actor=agent, ticket=ticket, action="approve", now=now)
    problem, _ = problem_open(
        actor=None, order=make_order(shop), category=ProblemCategory.OUT_OF_STOCK, now=now
    )
    transition(
        actor=staff[Role.IN_SALE], problem=problem, action="resolve", reason="已换同款", now=now
    )
    bodies = [json.loads(d.body) for d in WebhookDelivery.objects.order_by("pk")]
    assert [b["event"] for b in bodies] == [
        "ticket.created",
        "ticket.state_changed",
        "problem.resolved",
    ]
    assert bodies[1]["data"] | {} == {
        "ticket_id": ticket.pk,
        "type": "refund_only",
        "state": "approved",
        "order_id": ticket.order.order_id,
        "previous_state": "requested",
    }
    assert bodies[2]["data"]["resolution"] == "已换同款"


def test_signed_delivery_reaches_a_local_receiver(shop, staff, now, capsys, allow_private):
    with receiver() as hook:
        endpoint = endpoint_for(shop, hook.url, ["ticket.created"], now)
        ticket = make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
        assert run_deliveries(capsys, at=now) == {
            "job": "webhook_deliveries",
            "sent": 1,
            "retrying": 0,
            "failed": 0,
            "skipped": 0,
        }
    (request,) = hook.requests
    headers, body = request["headers"], request["body"]
    assert headers["X-Helpdesk-Event"] == "ticket.created"
    assert headers["X-Helpdesk-Timestamp"] == str(int(now.timestamp()))
    assert headers["X-Helpdesk-Signature"] == expected_signature(
        endpoint.secret, headers["X-Helpdesk-Timestamp"], body
    )
    payload = json.loads(body)
    assert set(payload) == {"id", "event", "shop", "occurred_at", "data"}
    assert payload["event"] == "ticket.created" and payload["shop"] == "shop-a"
    assert payload["occurred_at"] == now.isoformat()
    assert payload["data"]["ticket_id"] == ticket.pk
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 1, 200)
    assert run_deliveries(capsys, at=now + timedelta(hours=1))["sent"] == 0  # never twice


def test_non_2xx_is_retried_with_backoff_and_the_same_id(shop, staff, now, capsys, allow_private):
    with receiver(statuses=[500, 503]) as hook:
        endpoint_for(shop, hook.url, ["ticket.created"], now)
        make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
        assert run_deliveries(capsys, at=now)["retrying"] == 1
        delivery = WebhookDelivery.objects.get()
        assert delivery.last_status_code == 500 and delivery.response_excerpt == "try again later"
        assert run_deliveries(capsys, at=now + timedelta(seconds=30))["skipped"] == 0  # not due
        assert len(hook.requests) == 1
        assert run_deliveries(capsys, at=now + timedelta(minutes=1))["retrying"] == 1
        assert run_deliveries(capsys, at=now + timedelta(minutes=6))["sent"] == 1
    ids = {json.loads(r["body"])["id"] for r in hook.requests}
    assert len(hook.requests) == 3 and len(ids) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 3)


def test_delivery_fails_after_the_last_attempt(shop, staff, now, capsys, allow_private):
    endpoint_for(shop, "http://127.0.0.1:1/closed-port", ["ticket.created"], now)
    make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
    moment = now
    for _attempt in range(MAX_ATTEMPTS):
        run_deliveries(capsys, at=moment)
        moment += timedelta(days=1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert delivery.last_status_code is None and delivery.last_error
    assert run_deliveries(capsys, at=moment)["failed"] == 0


def test_a_url_turned_private_is_not_called_at_delivery(shop, staff, now, capsys, monkeypatch):
    monkeypatch.setenv("HELPDESK_WEBHOOK_ALLOW_PRIVATE", "1")
    with receiver() as hook:
        endpoint_for(shop, hook.url, ["ticket.created"], now)
        make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
        monkeypatch.delenv("HELPDESK_WEBHOOK_ALLOW_PRIVATE")
        assert run_deliveries(capsys, at=now)["retrying"] == 1
    assert hook.requests == []
    assert "内网" in WebhookDelivery.objects.get().last_error


def test_delivery_connects_to_the_address_it_checked_not_a_second_lookup(
    shop, staff, now, capsys, monkeypatch
):
    """DNS rebinding: a name answers a public address to the check and loopback after it.
    The delivery connects to the checked address and names the host in its Host header."""
    monkeypatch.delenv("HELPDESK_WEBHOOK_ALLOW_PRIVATE", raising=False)
    answers = iter(["93.184.216.34", "93.184.216.34", "127.0.0.1"])
    monkeypatch.setattr(urlcheck, "_resolve", lambda host, port: [next(answers)])
    endpoint_for(shop, "http://hooks.example:8080/in", ["ticket.created"], now)
    make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
    connected = []

    def refuse(address, timeout, source_address=None):
        connected.append(address)
        raise ConnectionRefusedError("recorded")

    monkeypatch.setattr(delivery_module.socket, "create_connection", refuse)
    assert run_deliveries(capsys, at=now)["retrying"] == 1
    assert connected == [("93.184.216.34", 8080)]


def test_the_host_header_names_the_url_host_while_connecting_to_its_address(
    shop, staff, now, capsys, monkeypatch, allow_private
):
    with receiver() as hook:
        port = hook.server.server_address[1]
        monkeypatch.setattr(urlcheck, "_resolve", lambda host, port: ["127.0.0.1"])
        endpoint_for(shop, f"http://hooks.example:{port}/in?x=1", ["ticket.created"], now)
        make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
        assert run_deliveries(capsys, at=now)["sent"] == 1
    (request,) = hook.requests
    assert request["headers"]["Host"] == f"hooks.example:{port}"
    assert request["path"] == "/in?x=1"


def test_task_on_commit_sends_the_delivery(
    shop, staff, now, allow_private, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from helpdesk.celery import app

    app.conf.task_always_eager = True
    try:
        with receiver() as hook:
            endpoint_for(shop, hook.url, ["ticket.created"], now)
            with django_capture_on_commit_callbacks(execute=True):
                make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
        assert len(hook.requests) == 1
    finally:
        app.conf.task_always_eager = False
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SENT


def test_settings_page_for_managers_only(shop, staff, now, login, allow_private):
    endpoint_for(shop, "http://127.0.0.1:9/h", ["ticket.created"], now)
    assert login(staff[Role.SUPERVISOR]).get("/teamwork/webhooks/").status_code == 403
    page = login(staff[Role.MANAGER]).get("/teamwork/webhooks/").content.decode()
    assert "http://127.0.0.1:9/h" in page and "发送记录" in page


def test_manager_adds_endpoint_and_sends_test_in_the_browser_form(
    shop, staff, login, refuse_private
):
    client = login(staff[Role.MANAGER])
    refused = client.post(
        "/teamwork/webhooks/?shop=shop-a",
        {"url": "http://10.0.0.5/h", "events": ["ticket.created"]},
    )
    assert refused.status_code == 400 and "内网" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()
    client.post(
        "/teamwork/webhooks/?shop=shop-a",
        {"url": "http://93.184.216.34/h", "events": ["ticket.created", "review.created"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["ticket.created", "review.created"]
    client.post(f"/teamwork/webhooks/{endpoint.pk}/test/")
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "webhook.test"
    assert "webhook.test" in client.get("/teamwork/webhooks/").content.decode()


def test_delivery_log_query_count_does_not_grow(
    shop, staff, now, login, allow_private, django_assert_num_queries
):
    from teamwork.webhooks import webhook_emit

    endpoint_for(shop, "http://127.0.0.1:9/h", ["ticket.created"], now)
    client = login(staff[Role.MANAGER])
    client.get("/teamwork/webhooks/")
    for count in (1, 10):
        for _n in range(count):
            webhook_emit(shop_id=shop.pk, event="ticket.created", data={}, now=now)
        with django_assert_num_queries(6):
            client.get("/teamwork/webhooks/")
