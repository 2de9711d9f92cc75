"""Routing rules (分流): which agent group takes a new conversation.

On a buyer's first message the shop's rules are tried in order; the first whose conditions
all hold routes the conversation to its group with its priority (a ConversationRoute), and
automatic assignment then offers it only to that group's online members. No match: the
shop's ordinary auto-assignment, unchanged (chats/services/assignment.py).

Conditions (each optional; an empty one always holds): a keyword of the first message; a
product term found in the first message or in the title of the buyer's latest order (the
product asked about); a tag on the buyer; the local time of day and the day of the week
(Asia/Shanghai); the channel the message came through.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit

from .errors import RoutingRefused
from .models import AgentGroup, ConversationRoute, RoutingRule, TagLink, TagTarget

LOCAL = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Inquiry:
    """What the rules look at: the first message and its circumstances."""

    text: str
    at: datetime
    channel_id: int | None = None
    buyer_tag_ids: frozenset[int] = frozenset()
    product_title: str = ""


def _in_hours(rule: RoutingRule, moment: time) -> bool:
    start, end = rule.start_time, rule.end_time
    if start is None or end is None:
        return True
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # a night window such as 22:00–02:00


def rule_matches(rule: RoutingRule, inquiry: Inquiry) -> bool:
    local = inquiry.at.astimezone(LOCAL)
    text = inquiry.text
    if rule.keywords and not any(word in text for word in rule.keywords):
        return False
    if rule.product_terms and not any(
        term in text or term in inquiry.product_title for term in rule.product_terms
    ):
        return False
    if rule.buyer_tag_id and rule.buyer_tag_id not in inquiry.buyer_tag_ids:
        return False
    if rule.channel_id and rule.channel_id != inquiry.channel_id:
        return False
    if rule.weekdays and local.weekday() not in rule.weekdays:
        return False
    return _in_hours(rule, local.time())


def first_match(rules: list[RoutingRule], inquiry: Inquiry) -> RoutingRule | None:
    return next((rule for rule in rules if rule_matches(rule, inquiry)), None)


def rules_of(shop_id: int) -> list[RoutingRule]:
    return list(RoutingRule.objects.filter(shop_id=shop_id).order_by("position", "pk"))


def conversation_route(
    *, conversation, text: str, now: datetime, product_title: Callable[[], str]
) -> ConversationRoute | None:
    """Route a conversation just opened by ``text`` (called inside the intake transaction);
    one query when the shop has no rules. ``product_title`` gives the title of the buyer's
    latest order; it is asked only when there are rules (orders sit above teamwork)."""
    rules = rules_of(conversation.shop_id)
    if not rules:
        return None
    inquiry = Inquiry(
        text=text,
        at=now,
        channel_id=conversation.channel_id,
        buyer_tag_ids=frozenset(
            TagLink.objects.filter(
                target_type=TagTarget.BUYER, target_id=conversation.buyer_id
            ).values_list("tag_id", flat=True)
        ),
        product_title=product_title(),
    )
    rule = first_match(rules, inquiry)
    if rule is None:
        return None
    route = ConversationRoute.objects.create(
        conversation=conversation,
        rule=rule,
        group_id=rule.group_id,
        priority=rule.priority,
        routed_at=now,
    )
    audit(
        None,
        "conversation.routed",
        conversation,
        changes={"group": [None, rule.group.name], "rule": [None, rule.name]},
        now=now,
    )
    return route


def routed_member_ids(conversation) -> list[int] | None:
    """The members of the group the conversation was routed to, or None (not routed)."""
    route = ConversationRoute.objects.filter(conversation_id=conversation.pk).first()
    if route is None:
        return None
    return list(route.group.members.values_list("pk", flat=True))


# --- managing groups and rules -------------------------------------------------------------


def _words(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("\n", ",").split(",")
    return [word.strip() for word in value if word and word.strip()][:50]


@transaction.atomic
def agent_group_save(
    *, actor: User, shop: Shop, name: str, members: list[User], now: datetime, group=None
) -> AgentGroup:
    require(actor, "routing.manage", shop)
    name = (name or "").strip()
    if not name:
        raise RoutingRefused(_("请填写分组名称。"))
    strangers = [m.label for m in members if not m.memberships.filter(shop=shop).exists()]
    if strangers:
        raise RoutingRefused(_("%(names)s 不是本店成员。") % {"names": "、".join(strangers)})
    if (
        AgentGroup.objects.filter(shop=shop, name=name)
        .exclude(pk=getattr(group, "pk", None))
        .exists()
    ):
        raise RoutingRefused(_("分组「%(name)s」已存在。") % {"name": name})
    if group is None:
        before_name, before_members = None, None
        group = AgentGroup.objects.create(shop=shop, name=name, created_at=now)
        verb = "agent_group.created"
    else:
        before_name, before_members = group.name, [m.label for m in group.members.all()]
        group.name = name
        group.save(update_fields=["name"])
        verb = "agent_group.updated"
    group.members.set(members)
    after_members = [m.label for m in members]
    changes = {"name": [before_name, name], "members": [before_members, after_members]}
    audit(
        actor,
        verb,
        group,
        changes={key: pair for key, pair in changes.items() if pair[0] != pair[1]},
        now=now,
    )
    return group


def _examples(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


RULE_FIELDS = (
    "name",
    "keywords",
    "product_terms",
    "buyer_tag_id",
    "channel_id",
    "weekdays",
    "start_time",
    "end_time",
    "group_id",
    "priority",
    "examples",
)


def _fill_rule(rule: RoutingRule, shop: Shop, data: dict) -> None:
    """Set the rule's conditions and action from form data, refusing foreign choices."""
    group = data["group"]
    if group.shop_id != shop.pk:
        raise RoutingRefused(_("请选择本店的客服分组。"))
    tag, channel = data.get("buyer_tag"), data.get("channel")
    if (tag is not None and tag.team_id != shop.team_id) or (
        channel is not None and channel.shop_id != shop.pk
    ):
        raise RoutingRefused(_("条件中的标签或渠道不属于本店。"))
    rule.name = (data.get("name") or "").strip()[:60] or _("未命名规则")
    rule.keywords = _words(data.get("keywords", ""))
    rule.product_terms = _words(data.get("product_terms", ""))
    rule.buyer_tag = tag
    rule.channel = channel
    rule.weekdays = sorted({int(d) for d in data.get("weekdays") or []})
    rule.start_time = data.get("start_time")
    rule.end_time = data.get("end_time")
    rule.group = group
    rule.priority = data.get("priority") or 2
    rule.examples = data.get("examples", "")


def _check_examples(rule: RoutingRule, rules_in_order: list[RoutingRule], now: datetime) -> None:
    """Each example message must be taken by ``rule`` in its place in the list; otherwise
    the message names the rule that would take it."""
    for example in _examples(rule.examples):
        inquiry = Inquiry(
            text=example,
            at=now,
            channel_id=rule.channel_id,
            buyer_tag_ids=frozenset({rule.buyer_tag_id} - {None}),
        )
        taken_by = first_match(rules_in_order, inquiry)
        if taken_by is not rule:
            raise RoutingRefused(
                _("示例「%(example)s」会被「%(rule)s」处理，而不是这条规则。")
                % {"example": example, "rule": taken_by.name if taken_by else _("默认自动分配")}
            )


@transaction.atomic
def routing_rule_create(*, actor: User, shop: Shop, data: dict, now: datetime) -> RoutingRule:
    """Add a rule at the end of the shop's list. Its example messages are tried against
    the whole list first: if an earlier rule would take one, or the new rule would not,
    nothing is saved and the message says which rule took it."""
    require(actor, "routing.manage", shop)
    existing = rules_of(shop.pk)
    rule = RoutingRule(
        shop=shop,
        position=(existing[-1].position + 1) if existing else 1,
        created_at=now,
    )
    _fill_rule(rule, shop, data)
    _check_examples(rule, [*existing, rule], now)
    rule.save()
    audit(
        actor,
        "routing_rule.created",
        rule,
        changes={
            "name": [None, rule.name],
            "group": [None, rule.group.name],
            "keywords": [None, rule.keywords],
            "product_terms": [None, rule.product_terms],
        },
        now=now,
    )
    return rule


@transaction.atomic
def routing_rule_update(
    *, actor: User, rule: RoutingRule, data: dict, now: datetime
) -> RoutingRule:
    """Change a rule's conditions and action in place (its position stays). Its example
    messages are tried against the list with the changed rule where it stands."""
    require(actor, "routing.manage", rule)
    rule = RoutingRule.objects.select_for_update().select_related("group").get(pk=rule.pk)
    before = {field: getattr(rule, field) for field in RULE_FIELDS}
    before_group = rule.group.name
    _fill_rule(rule, rule.shop, data)
    rules = [rule if each.pk == rule.pk else each for each in rules_of(rule.shop_id)]
    _check_examples(rule, rules, now)
    rule.save()
    changes = {
        field.removesuffix("_id"): [before[field], getattr(rule, field)]
        for field in RULE_FIELDS
        if before[field] != getattr(rule, field)
    }
    if "group" in changes:
        changes["group"] = [before_group, rule.group.name]
    for moment in ("start_time", "end_time"):
        if moment in changes:
            changes[moment] = [str(v) if v else None for v in changes[moment]]
    audit(actor, "routing_rule.updated", rule, changes=changes, now=now)
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: User, rule: RoutingRule, now: datetime) -> None:
    require(actor, "routing.manage", rule)
    audit(actor, "routing_rule.deleted", rule, changes={"name": [rule.name, None]}, now=now)
    rule.delete()


@transaction.atomic
def routing_rule_move(*, actor: User, rule: RoutingRule, up: bool, now: datetime) -> None:
    """Swap the rule with its neighbour above (up) or below."""
    require(actor, "routing.manage", rule)
    rules = rules_of(rule.shop_id)
    index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rules):
        return
    rules[index], rules[other] = rules[other], rules[index]
    for position, each in enumerate(rules, start=1):
        if each.position != position:
            RoutingRule.objects.filter(pk=each.pk).update(position=position)
    audit(
        actor,
        "routing_rule.moved",
        rule,
        changes={"position": [index + 1, other + 1]},
        now=now,
    )


def which_rule(*, shop: Shop, text: str, at: datetime, channel_id=None, buyer_tag_ids=()):
    """For the page's tester: the rule that would take this message, or None."""
    inquiry = Inquiry(
        text=text, at=at, channel_id=channel_id, buyer_tag_ids=frozenset(buyer_tag_ids)
    )
    return first_match(rules_of(shop.pk), inquiry)
