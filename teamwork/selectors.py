"""Reads for the teamwork pages, already restricted to what the user may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Shop, User
from accounts.permissions import restrict
from chats.models import Conversation, ConversationState

from .models import AgentGroup, RoutingRule, WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 50


def webhook_endpoints_for(user: User, shop: Shop) -> QuerySet[WebhookEndpoint]:
    return restrict(WebhookEndpoint.objects.filter(shop=shop), user, "webhooks.manage")


def access_webhook_endpoint(user: User, pk: int) -> WebhookEndpoint:
    """An endpoint of a shop whose webhooks the user manages; else a 404."""
    return get_object_or_404(
        restrict(WebhookEndpoint.objects.select_related("shop"), user, "webhooks.manage"), pk=pk
    )


def webhook_deliveries_for(user: User, shop: Shop) -> list[WebhookDelivery]:
    """The latest deliveries of the shop's endpoints (bodies are not loaded)."""
    return list(
        restrict(WebhookDelivery.objects.filter(shop=shop), user, "webhooks.manage")
        .select_related("endpoint")
        .defer("body")[:DELIVERY_LOG_SIZE]
    )


def routing_rules_of(shop: Shop) -> QuerySet[RoutingRule]:
    """The shop's routing rules in order (the caller reached ``shop`` through
    ``access_shop`` with ``routing.manage``)."""
    return RoutingRule.objects.filter(shop=shop).select_related("group", "buyer_tag", "channel")


def agent_groups_of(shop: Shop) -> QuerySet[AgentGroup]:
    return AgentGroup.objects.filter(shop=shop).prefetch_related("members")


def access_routing_rule(user: User, pk: int) -> RoutingRule:
    """A rule of a shop whose routing the user manages; else a 404."""
    return get_object_or_404(
        restrict(RoutingRule.objects.select_related("shop"), user, "routing.manage"), pk=pk
    )


def access_agent_group(user: User, pk: int) -> AgentGroup:
    """A group of a shop whose chats the user works; else a 404."""
    return get_object_or_404(
        restrict(AgentGroup.objects.select_related("shop"), user, "chats.work"), pk=pk
    )


def group_waiting(group: AgentGroup, limit: int) -> QuerySet[Conversation]:
    """A group's waiting chats, highest priority and longest waiting first."""
    return (
        Conversation.objects.filter(
            route__group=group, state=ConversationState.QUEUED, assignee__isnull=True
        )
        .select_related("buyer", "channel", "route__rule")
        .order_by("route__priority", "created_at")[:limit]
    )
