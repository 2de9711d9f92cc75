"""Reads for the teamwork pages, already restricted to what the user may see."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Shop, User
from accounts.permissions import restrict

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


def routing_rules_of_shop(user: User, shop: Shop) -> QuerySet[RoutingRule]:
    """The shop's rules in the order they are tried."""
    return (
        restrict(RoutingRule.objects.filter(shop=shop), user, "routing.manage")
        .select_related("group", "buyer_tag", "channel")
        .order_by("position", "pk")
    )


def agent_groups_of_shop(user: User, shop: Shop) -> QuerySet[AgentGroup]:
    return (
        restrict(AgentGroup.objects.filter(shop=shop), user, "routing.manage")
        .prefetch_related("members")
        .order_by("name")
    )


def access_routing_rule(user: User, pk: int) -> RoutingRule:
    """The rule, if the user manages its shop's routing; 404 alike for a foreign or
    unknown one."""
    rules = restrict(RoutingRule.objects.select_related("shop", "group"), user, "routing.manage")
    rule = rules.filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def access_agent_group(user: User, pk: int, action: str = "routing.manage") -> AgentGroup:
    """The group, if the user may ``action`` in its shop (``chats.work`` to see its queue)."""
    group = restrict(AgentGroup.objects.select_related("shop"), user, action).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group
