"""Outbound webhooks: endpoints a manager registers, and the events written for them.

``webhook_emit`` is called by other apps' services inside the transaction that makes the
change: it writes one WebhookDelivery (the outbox row) per subscribed endpoint, so an event
exists exactly when its change was committed, and queues the sending after commit.
Sending, retries and the signature live in teamwork/delivery.py.
"""

import json
import uuid
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit

from .errors import WebhookUrlRefused
from .models import TEST_EVENT, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .urlcheck import check_webhook_url


def parse_events(events) -> list[str]:
    """A list (or comma-separated text) of known event names, in a stable order."""
    if isinstance(events, str):
        events = events.split(",")
    names = [name.strip() for name in events if name and name.strip()]
    unknown = sorted(set(names) - set(WebhookEvent.values))
    if unknown:
        raise WebhookUrlRefused(
            _("未知事件：%(names)s。可选：%(known)s")
            % {"names": ", ".join(unknown), "known": ", ".join(WebhookEvent.values)}
        )
    if not names:
        raise WebhookUrlRefused(_("请至少选择一个事件。"))
    return [value for value in WebhookEvent.values if value in names]


@transaction.atomic
def webhook_endpoint_create(
    *, actor: User | None, shop: Shop, url: str, events, now: datetime
) -> WebhookEndpoint:
    """Register an endpoint. ``actor`` None is the operator at the command line."""
    if actor is not None:
        require(actor, "webhooks.manage", shop)
    endpoint = WebhookEndpoint.objects.create(
        shop=shop,
        url=check_webhook_url(url),
        events=parse_events(events),
        created_by=actor,
        created_at=now,
    )
    audit(
        actor,
        "webhook.created",
        endpoint,
        changes={"url": [None, endpoint.url], "events": [None, endpoint.events]},
        now=now,
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_set_active(
    *, actor: User, endpoint: WebhookEndpoint, active: bool, now: datetime
) -> WebhookEndpoint:
    require(actor, "webhooks.manage", endpoint)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.is_active != active:
        audit(
            actor,
            "webhook.enabled" if active else "webhook.disabled",
            endpoint,
            changes={"is_active": [endpoint.is_active, active]},
            now=now,
        )
        endpoint.is_active = active
        endpoint.save(update_fields=["is_active"])
    return endpoint


def _body(*, event_id: str, event: str, shop: Shop, data: dict, now: datetime) -> str:
    return json.dumps(
        {
            "id": event_id,
            "event": event,
            "shop": shop.code,
            "occurred_at": now.isoformat(),
            "data": data,
        },
        ensure_ascii=False,
        default=str,
    )


def _write(endpoints, *, event: str, shop: Shop, data: dict, now: datetime) -> list:
    from .tasks import deliver_webhook

    if not endpoints:
        return []
    event_id = str(uuid.uuid4())
    body = _body(event_id=event_id, event=event, shop=shop, data=data, now=now)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            shop=shop,
            event_id=event_id,
            event=event,
            body=body,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    )
    for delivery in deliveries:
        deliver_webhook.delay_on_commit(delivery.pk)
    return deliveries


def _listening(shop_id: int, event: str) -> list[WebhookEndpoint]:
    WebhookEvent(event)
    return [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            shop_id=shop_id, is_active=True
        ).select_related("shop")
        if event in endpoint.events
    ]


def webhook_emit(
    *, shop_id: int, event: str, data: dict | Callable[[], dict], now: datetime
) -> list[WebhookDelivery]:
    """Write the event for every active endpoint of the shop that subscribed to it. Call
    it inside the transaction of the change. ``data`` may be a function: it is only built
    when someone listens, so a shop without endpoints pays one query."""
    endpoints = _listening(shop_id, event)
    if not endpoints:
        return []
    payload = data() if callable(data) else data
    return _write(endpoints, event=event, shop=endpoints[0].shop, data=payload, now=now)


def webhook_emit_each(
    *, shop_id: int, event: str, payloads: Callable[[], list[dict]], now: datetime
) -> list[WebhookDelivery]:
    """One event per payload, for changes made in bulk (an import): one endpoint query."""
    endpoints = _listening(shop_id, event)
    if not endpoints:
        return []
    shop = endpoints[0].shop
    return [
        delivery
        for payload in payloads()
        for delivery in _write(endpoints, event=event, shop=shop, data=payload, now=now)
    ]


@transaction.atomic
def webhook_send_test(*, actor: User, endpoint: WebhookEndpoint, now: datetime) -> WebhookDelivery:
    """A ``webhook.test`` event for this endpoint only, sent like any other."""
    require(actor, "webhooks.manage", endpoint)
    (delivery,) = _write(
        [endpoint],
        event=TEST_EVENT,
        shop=endpoint.shop,
        data={"message": "test", "endpoint_id": endpoint.pk},
        now=now,
    )
    audit(actor, "webhook.test_sent", endpoint, now=now)
    return delivery
