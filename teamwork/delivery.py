"""Sending webhook deliveries: sign, POST, record the answer, retry with backoff.

A delivery is attempted while its row is locked (``SKIP LOCKED``), so two workers or a
worker and the ``webhook_deliveries`` job never send it at the same moment. Timeouts are
short and redirects are not followed (a redirect could lead to an internal address). Of
the response only the status and a short excerpt are kept.
"""

import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db import transaction

from chats.signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

from .errors import WebhookUrlRefused
from .models import DeliveryStatus, WebhookDelivery
from .urlcheck import check_webhook_url

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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def signed_headers(*, secret: str, event: str, body: bytes, now: datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "helpdesk-webhooks/1",
        EVENT_HEADER: event,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, str]:
    """(status code or None, short response excerpt, error text)."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
            return response.status, excerpt, ""
    except urllib.error.HTTPError as error:
        excerpt = error.read(EXCERPT_BYTES).decode("utf-8", "replace") if error.fp else ""
        return error.code, excerpt, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, "", str(getattr(error, "reason", error))[:200]


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
                url = check_webhook_url(endpoint.url)
            except WebhookUrlRefused as refused:
                error = str(refused)[:200]
            else:
                headers = signed_headers(
                    secret=endpoint.secret, event=delivery.event, body=body, now=now
                )
                code, excerpt, error = _post(url, body, headers)
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
