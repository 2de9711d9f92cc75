"""Team collaboration: webhook settings, internal notes, tags, routing rules."""

from .base import Route, builder, now, pk_of, shop_query


@builder("webhook")
def _webhook(ctx, shop):
    from teamwork.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        shop=shop, url="http://93.184.216.34/hook", events=["ticket.created"], created_at=now()
    )


def webhook_form(ctx, shop):
    return {"shop": shop.code, "url": "http://93.184.216.34/hook", "events": ["ticket.created"]}


@builder("tag")
def _tag(ctx, shop):
    from teamwork.models import Tag

    return Tag.objects.create(team=shop.team, name="VIP", colour="#7a3cff", created_at=now())


def tag_of(kind: str):
    def kwargs(ctx, shop):
        return {"kind": kind, "pk": ctx.obj(kind, shop).pk}

    return kwargs


def tag_choice(ctx, shop):
    return {"tag": ctx.obj("tag", shop).pk, "op": "add"}


def tag_edit_form(ctx, shop):
    return {"shop": shop.code, "name": "VIP", "colour": "#d92d20", "description": "老客户"}


@builder("agent_group")
def _agent_group(ctx, shop):
    from teamwork.models import AgentGroup

    group = AgentGroup.objects.create(shop=shop, name="大码专席", created_at=now())
    group.members.set([ctx.member_of[shop.pk]])
    return group


@builder("routing_rule")
def _routing_rule(ctx, shop):
    from teamwork.models import RoutingRule

    return RoutingRule.objects.create(
        shop=shop,
        name="大码",
        keywords=["大码"],
        group=ctx.obj("agent_group", shop),
        created_at=now(),
    )


def rule_form(ctx, shop):
    return {
        "shop": shop.code,
        "name": "退货",
        "keywords": "退货",
        "group": ctx.obj("agent_group", shop).pk,
        "priority": 2,
    }


def group_form(ctx, shop):
    return {"shop": shop.code, "name": "售前A组", "members": [ctx.member_of[shop.pk].pk]}


def note_of(kind: str):
    def kwargs(ctx, shop):
        return {"kind": kind, "pk": ctx.obj(kind, shop).pk}

    return kwargs


ROUTES: dict[str, Route] = {
    "teamwork:notes": Route("tickets.view", note_of("ticket"), shop_scoped=True),
    "teamwork:notes#problem": Route("problems.view", note_of("problem"), shop_scoped=True),
    "teamwork:notes#review": Route("reviews.view", note_of("review"), shop_scoped=True),
    "teamwork:notes#conversation": Route("chats.work", note_of("conversation"), shop_scoped=True),
    "teamwork:notes#post": Route(
        "tickets.view",
        note_of("ticket"),
        method="post",
        data={"body": "内部：已电话联系买家"},
        shop_scoped=True,
    ),
    "api-notes": Route("reviews.view", note_of("review"), shop_scoped=True),
    "api-notes#post": Route(
        "problems.view",
        note_of("problem"),
        method="post",
        data={"body": "内部：等仓库回复"},
        shop_scoped=True,
    ),
    "api-tags": Route("tags.use", data=shop_query, shop_scoped=True),
    "api-tags#post": Route(
        "tags.manage",
        method="post",
        data=lambda ctx, shop: {"shop": shop.code, "name": "双11", "colour": "#1664ff"},
        shop_scoped=True,
        also_ok=frozenset({400}),
    ),
    "api-tags-on": Route("tickets.view", tag_of("ticket"), shop_scoped=True),
    "api-tags-on#post": Route(
        "chats.work", tag_of("conversation"), method="post", data=tag_choice, shop_scoped=True
    ),
    "api-tag-off": Route(
        "problems.work",
        lambda ctx, shop: {**tag_of("problem")(ctx, shop), "tag_id": ctx.obj("tag", shop).pk},
        method="delete",
        shop_scoped=True,
    ),
    "api-routing-rules": Route("routing.manage", data=shop_query, shop_scoped=True),
    "api-routing-test": Route(
        "routing.manage",
        method="post",
        data=lambda ctx, shop: {"shop": shop.code, "text": "有大码吗"},
        shop_scoped=True,
    ),
    "api-webhooks": Route("webhooks.manage", data=shop_query, shop_scoped=True),
    "api-webhooks#post": Route(
        "webhooks.manage", method="post", data=webhook_form, shop_scoped=True
    ),
    "api-webhook-deliveries": Route("webhooks.manage", data=shop_query, shop_scoped=True),
    "teamwork:tags": Route("tags.use", data=shop_query, shop_scoped=True),
    "teamwork:tags#create": Route(
        "tags.manage",
        method="post",
        data=lambda ctx, shop: {"shop": shop.code, "name": "大码", "colour": "#1664ff"},
        shop_scoped=True,
        also_ok=frozenset({400}),
    ),
    "teamwork:tag_edit": Route(
        "tags.manage", pk_of("tag"), method="post", data=tag_edit_form, shop_scoped=True
    ),
    "teamwork:tag_panel": Route("tickets.view", tag_of("ticket"), shop_scoped=True),
    "teamwork:tag_panel#buyer": Route("buyers.view", tag_of("buyer"), shop_scoped=True),
    "teamwork:tag_panel#post": Route(
        "problems.work", tag_of("problem"), method="post", data=tag_choice, shop_scoped=True
    ),
    "teamwork:tag_panel#conversation": Route(
        "chats.work", tag_of("conversation"), method="post", data=tag_choice, shop_scoped=True
    ),
    "teamwork:routing": Route("routing.manage", data=shop_query, shop_scoped=True),
    "teamwork:rule_new": Route("routing.manage", method="post", data=rule_form, shop_scoped=True),
    "teamwork:rule_change": Route(
        "routing.manage",
        pk_of("routing_rule"),
        method="post",
        data={"op": "down"},
        shop_scoped=True,
    ),
    "teamwork:rule_edit": Route("routing.manage", pk_of("routing_rule"), shop_scoped=True),
    "teamwork:rule_edit#post": Route(
        "routing.manage",
        pk_of("routing_rule"),
        method="post",
        data=rule_form,
        shop_scoped=True,
    ),
    "teamwork:group_edit": Route("routing.manage", pk_of("agent_group"), shop_scoped=True),
    "teamwork:group_edit#post": Route(
        "routing.manage",
        pk_of("agent_group"),
        method="post",
        data=group_form,
        shop_scoped=True,
    ),
    "teamwork:group_new": Route(
        "routing.manage",
        method="post",
        data=group_form,
        shop_scoped=True,
        also_ok=frozenset({400}),
    ),
    "teamwork:group_queue": Route("chats.work", pk_of("agent_group"), shop_scoped=True),
    "teamwork:webhooks": Route("webhooks.manage", data=shop_query, shop_scoped=True),
    "teamwork:webhooks#create": Route(
        "webhooks.manage",
        method="post",
        data=webhook_form,
        shop_scoped=True,
    ),
    "teamwork:webhook_test": Route(
        "webhooks.manage", pk_of("webhook"), method="post", shop_scoped=True
    ),
    "teamwork:webhook_active": Route(
        "webhooks.manage", pk_of("webhook"), method="post", data={"active": "0"}, shop_scoped=True
    ),
}
