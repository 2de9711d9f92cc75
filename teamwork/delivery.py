"""Sending webhook deliveries: sign, POST, record the answer, retry with backoff.

A delivery is attempted while its row is locked (``SKIP LOCKED``), so two workers or a
worker and the ``webhook_deliveries`` job never send it at the same moment. Timeouts are
short and redirects are not followed (a redirect could lead to an internal address). The
connection goes to the address the URL check approved, never to a second lookup of the
name. Of the response only the status and a short excerpt are kept.
"""

import http.client
import logging
import socket
import ssl
from datetime import datetime, timedelta

from django.db import transaction

from helpdesk.signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

from .errors import WebhookUrlRefused
from .models import DeliveryStatus, WebhookDelivery
from .urlcheck import WebhookTarget, resolve_webhook_target

logger = logging.getLogger("helpdesk.webhooks")

EVENT_HEADER = "X-Helpdesk-Event"
TIMEOUT_SECONDS = 5
EXCERPT_BYTES = 200
# Waits after the 1st, 2nd, ... failed attempt; after the last one the delivery fails.
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
MAX_ATTEMPTS = len(BACKOFF) + 1


def signed_headers(*, secret: str, event: str, body: bytes, now: datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "helpdesk-webhooks/1",
        EVENT_HEADER: event,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def _connection(target: WebhookTarget) -> http.client.HTTPConnection:
    """A connection to ``target.address`` that still names ``target.host`` (Host header,
    TLS server name and certificate check)."""
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=TIMEOUT_SECONDS)

    def pinned(address, timeout, source_address=None):
        return socket.create_connection((target.address, address[1]), timeout, source_address)

    connection._create_connection = pinned
    return connection


def _post(
    target: WebhookTarget, body: bytes, headers: dict[str, str]
) -> tuple[int | None, str, str]:
    """(status code or None, short response excerpt, error text). Redirects are answers,
    not followed."""
    connection = _connection(target)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException, ValueError) as error:
        return None, "", str(error)[:200] or type(error).__name__
    finally:
        connection.close()
    error = "" if 200 <= response.status < 300 else f"HTTP {response.status}"
    return response.status, excerpt, error


def webhook_deliver(*, delivery_id: int, now: datetime) -> str | None:
    """Attempt one due delivery; returns its new status, or None when it was not due,
    already settled, or being sent by someone else."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        body = delivery.body.encode()
        code, excerpt, error = None, "", ""
        if not endpoint.is_active:
            error = "endpoint disabled"
        else:
            try:
                target = resolve_webhook_target(endpoint.url)
            except WebhookUrlRefused as refused:
                error = str(refused)[:200]
            else:
                headers = signed_headers(
                    secret=endpoint.secret, event=delivery.event, body=body, now=now
                )
                code, excerpt, error = _post(target, body, headers)
        delivery.attempts += 1
        delivery.last_status_code = code
        delivery.response_excerpt = excerpt[:EXCERPT_BYTES]
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
            delivery.last_error = ""
        else:
            delivery.last_error = (error or f"HTTP {code}")[:200]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
            logger.info("webhook %s attempt %s: %s", delivery.pk, delivery.attempts, error)
        delivery.save()
        return delivery.status


def webhook_deliver_due(*, shop=None, now: datetime, limit: int = 500) -> dict[str, int]:
    """Attempt every pending delivery due at ``now`` (one shop or all)."""
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    if shop is not None:
        due = due.filter(shop=shop)
    report = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    for delivery_id in ids:
        status = webhook_deliver(delivery_id=delivery_id, now=now)
        key = {
            DeliveryStatus.SENT: "sent",
            DeliveryStatus.PENDING: "retrying",
            DeliveryStatus.FAILED: "failed",
        }.get(status, "skipped")
        report[key] += 1
    return report
