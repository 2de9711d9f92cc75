"""Reads for the teamwork pages, already restricted to what the user may see."""

from django.db.models import QuerySet

from accounts.models import Shop, User
from accounts.permissions import restrict

from .models import WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 50


def webhook_endpoints_for(user: User, shop: Shop) -> QuerySet[WebhookEndpoint]:
    return restrict(WebhookEndpoint.objects.filter(shop=shop), user, "webhooks.manage")


def webhook_endpoint_for(user: User, pk: int) -> WebhookEndpoint:
    """WebhookEndpoint.DoesNotExist for a foreign or unknown endpoint alike."""
    return restrict(WebhookEndpoint.objects.select_related("shop"), user, "webhooks.manage").get(
        pk=pk
    )


def webhook_deliveries_for(user: User, shop: Shop) -> list[WebhookDelivery]:
    """The latest deliveries of the shop's endpoints (bodies are not loaded)."""
    return list(
        restrict(WebhookDelivery.objects.filter(shop=shop), user, "webhooks.manage")
        .select_related("endpoint")
        .defer("body")[:DELIVERY_LOG_SIZE]
    )
