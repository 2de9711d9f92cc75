"""Tags: a team's labels on buyers, conversations, problems and tickets.

A supervisor keeps the team's list (name, colour, description); anyone who may work an
object tags it. Queues filter by a tag with ``tag_filter``: a case matches when it carries
the tag itself or when its buyer does (a VIP buyer's tickets are VIP work).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import can, require, restrict, shop_ids_for
from audit.services import audit

from .errors import TagRefused
from .models import Tag, TagColour, TagLink, TagTarget


@dataclass(frozen=True)
class Taggable:
    model: str
    work_action: str
    view_action: str
    url_name: str


TAGGABLE: dict[str, Taggable] = {
    TagTarget.BUYER: Taggable("orders.Buyer", "buyers.edit", "buyers.view", "orders:buyer"),
    TagTarget.CONVERSATION: Taggable(
        "chats.Conversation", "chats.work", "chats.work", "chats:conversation"
    ),
    TagTarget.PROBLEM: Taggable(
        "orders.Problem", "problems.work", "problems.view", "orders:problem"
    ),
    TagTarget.TICKET: Taggable("tickets.Ticket", "tickets.work", "tickets.view", "tickets:detail"),
}


def taggable_kind(obj: Model) -> str:
    label = obj._meta.label
    for kind, taggable in TAGGABLE.items():
        if taggable.model == label:
            return kind
    raise ValueError(f"tags are not kept on {label}")


def access_tag_target(user: User, kind: str, pk: int) -> Model:
    """The object, if ``user`` may see it; a 404 otherwise (unknown kind, foreign or missing)."""
    taggable = TAGGABLE.get(kind)
    if taggable is None:
        raise Http404
    model = apps.get_model(taggable.model)
    found = restrict(model.objects.all(), user, taggable.view_action).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- the team's list ---------------------------------------------------------------------


def tags_of_shop(shop: Shop) -> QuerySet[Tag]:
    return Tag.objects.filter(team_id=shop.team_id)


def tags_for(user: User) -> QuerySet[Tag]:
    """The tags of every team the user works in (through any shop)."""
    return (
        Tag.objects.filter(team__shop__in=shop_ids_for(user, "tags.use"))
        .distinct()
        .order_by("name")
    )


def _clean(name: str, colour: str, description: str) -> tuple[str, str, str]:
    name = (name or "").strip().lstrip("#")
    if not name or len(name) > 20:
        raise TagRefused(_("标签名称不能为空，最多 20 个字。"))
    if colour not in TagColour.values:
        raise TagRefused(_("请选择标签颜色。"))
    return name, colour, (description or "").strip()[:200]


@transaction.atomic
def tag_create(
    *, actor: User, shop: Shop, name: str, colour: str, description: str = "", now: datetime
) -> Tag:
    require(actor, "tags.manage", shop)
    name, colour, description = _clean(name, colour, description)
    if Tag.objects.filter(team_id=shop.team_id, name=name).exists():
        raise TagRefused(_("标签「%(name)s」已存在。") % {"name": name})
    tag = Tag.objects.create(
        team_id=shop.team_id, name=name, colour=colour, description=description, created_at=now
    )
    audit(actor, "tag.created", tag, shop=shop, changes={"name": [None, name]}, now=now)
    return tag


@transaction.atomic
def tag_update(
    *, actor: User, shop: Shop, tag: Tag, name: str, colour: str, description: str, now: datetime
) -> Tag:
    require(actor, "tags.manage", shop)
    if tag.team_id != shop.team_id:
        raise TagRefused(_("该标签不属于本团队。"))
    name, colour, description = _clean(name, colour, description)
    if Tag.objects.filter(team_id=tag.team_id, name=name).exclude(pk=tag.pk).exists():
        raise TagRefused(_("标签「%(name)s」已存在。") % {"name": name})
    before = {"name": tag.name, "colour": tag.colour, "description": tag.description}
    tag.name, tag.colour, tag.description = name, colour, description
    tag.save(update_fields=["name", "colour", "description"])
    changes = {k: [v, getattr(tag, k)] for k, v in before.items() if v != getattr(tag, k)}
    audit(actor, "tag.updated", tag, shop=shop, changes=changes, now=now)
    return tag


@transaction.atomic
def tag_delete(*, actor: User, shop: Shop, tag: Tag, now: datetime) -> None:
    require(actor, "tags.manage", shop)
    if tag.team_id != shop.team_id:
        raise TagRefused(_("该标签不属于本团队。"))
    audit(actor, "tag.deleted", tag, shop=shop, changes={"name": [tag.name, None]}, now=now)
    tag.delete()


# --- tagging objects ---------------------------------------------------------------------


def _check_tagging(actor: User, target: Model, tag: Tag) -> str:
    kind = taggable_kind(target)
    require(actor, TAGGABLE[kind].work_action, target)
    if tag.team_id != target.shop.team_id:
        raise TagRefused(_("该标签不属于本团队。"))
    return kind


@transaction.atomic
def tag_add(*, actor: User, target: Model, tag: Tag, now: datetime) -> TagLink | None:
    """Put ``tag`` on ``target``; a tag already there is left as it is (None)."""
    kind = _check_tagging(actor, target, tag)
    try:
        with transaction.atomic():
            link = TagLink.objects.create(
                tag=tag,
                shop_id=target.shop_id,
                target_type=kind,
                target_id=target.pk,
                created_by=actor,
                created_at=now,
            )
    except IntegrityError:
        return None
    audit(actor, "tag.added", target, changes={"tags": [None, tag.name]}, now=now)
    return link


@transaction.atomic
def tag_remove(*, actor: User, target: Model, tag: Tag, now: datetime) -> bool:
    kind = _check_tagging(actor, target, tag)
    deleted, _rows = TagLink.objects.filter(tag=tag, target_type=kind, target_id=target.pk).delete()
    if deleted:
        audit(actor, "tag.removed", target, changes={"tags": [tag.name, None]}, now=now)
    return bool(deleted)


def tagged_url(kind: str, pk: int) -> str:
    return reverse(TAGGABLE[kind].url_name, args=[pk])


def tags_on(obj: Model) -> list[Tag]:
    return list(
        Tag.objects.filter(links__target_type=taggable_kind(obj), links__target_id=obj.pk).order_by(
            "name"
        )
    )


def may_tag(user: User, obj: Model) -> bool:
    return can(user, TAGGABLE[taggable_kind(obj)].work_action, obj)


def tag_filter(queryset: QuerySet, kind: str, tag_id, *, buyer_field: str | None = "buyer_id"):
    """Rows carrying the tag, or whose buyer carries it. An unknown or empty tag id
    leaves the queryset as it is."""
    try:
        tag_id = int(tag_id)
    except (TypeError, ValueError):
        return queryset
    links = TagLink.objects.filter(tag_id=tag_id)
    matches = Q(pk__in=links.filter(target_type=kind).values("target_id"))
    if buyer_field:
        buyer_ids = links.filter(target_type=TagTarget.BUYER).values("target_id")
        matches |= Q(**{f"{buyer_field}__in": buyer_ids})
    return queryset.filter(matches)


def tag_counts_for(user: User, *, limit: int = 8) -> list[tuple[Tag, int]]:
    """The workbench figures: per tag of the user's teams, how many buyers and cases the
    user may see carry it (one query)."""
    from django.db.models import Count

    visible = Q()
    for kind, taggable in TAGGABLE.items():
        visible |= Q(
            links__target_type=kind, links__shop_id__in=shop_ids_for(user, taggable.view_action)
        )
    rows = tags_for(user).annotate(uses=Count("links", filter=visible)).order_by("-uses", "name")
    return [(tag, tag.uses) for tag in rows[:limit]]
