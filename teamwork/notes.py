"""Internal notes on conversations, problems, tickets and reviews, with @mentions.

A note is seen by the staff who may see its object (the object's view action) and by
nobody else: it is never shown on a buyer's page and never goes through the outbox.
``@工号``, ``@username`` or ``@显示名`` mentions a colleague of the object's shop; a
mention of someone who may not see the object is refused (the note is not saved), since
the notification would point them at a case they cannot open.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, require, restrict
from approvals.services import notify
from audit.services import audit

from .errors import NoteRefused
from .models import Note, NoteTarget

MENTION = re.compile(r"@([\w.\-]+)")
MAX_NOTE_LENGTH = 2000


@dataclass(frozen=True)
class Target:
    model: str
    view_action: str
    url_name: str


TARGETS: dict[str, Target] = {
    NoteTarget.CONVERSATION: Target("chats.Conversation", "chats.work", "chats:conversation"),
    NoteTarget.PROBLEM: Target("orders.Problem", "problems.view", "orders:problem"),
    NoteTarget.TICKET: Target("tickets.Ticket", "tickets.view", "tickets:detail"),
    NoteTarget.REVIEW: Target("reviews.Review", "reviews.view", "reviews:detail"),
}


def target_kind(obj: Model) -> str:
    label = obj._meta.label
    for kind, target in TARGETS.items():
        if target.model == label:
            return kind
    raise ValueError(f"notes are not kept on {label}")


def access_note_target(user: User, kind: str, pk: int) -> Model:
    """The object a note is about, if ``user`` may see it; a 404 otherwise (an unknown
    kind, a foreign or missing object alike)."""
    target = TARGETS.get(kind)
    if target is None:
        raise Http404
    model = apps.get_model(target.model)
    found = restrict(model.objects.all(), user, target.view_action).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def target_url(kind: str, pk: int) -> str:
    return reverse(TARGETS[kind].url_name, args=[pk])


def notes_of(user: User, obj: Model) -> QuerySet[Note]:
    """The notes on ``obj`` in order, or none when ``user`` may not see it."""
    kind = target_kind(obj)
    if not can(user, TARGETS[kind].view_action, obj):
        return Note.objects.none()
    return Note.objects.filter(target_type=kind, target_id=obj.pk).select_related("author")


def _mentioned(body: str, obj: Model, action: str) -> list[User]:
    tokens = set(MENTION.findall(body))
    if not tokens:
        return []
    candidates = User.objects.filter(
        Q(work_number__in=tokens) | Q(username__in=tokens) | Q(display_name__in=tokens),
        is_active=True,
        memberships__shop_id=obj.shop_id,
    ).distinct()
    people = []
    for person in candidates:
        if not can(person, action, obj):
            raise NoteRefused(_("%(name)s 无权查看此内容，不能被提及。") % {"name": person.label})
        people.append(person)
    return sorted(people, key=lambda p: p.pk)


@transaction.atomic
def note_add(*, actor: User, target: Model, body: str, now: datetime) -> Note:
    """Write an internal note and notify everyone it mentions (except its author)."""
    kind = target_kind(target)
    action = TARGETS[kind].view_action
    require(actor, action, target)
    body = (body or "").strip()
    if not body:
        raise NoteRefused(_("备注内容不能为空。"))
    if len(body) > MAX_NOTE_LENGTH:
        raise NoteRefused(_("备注不能超过 %(n)s 字。") % {"n": MAX_NOTE_LENGTH})
    mentioned = _mentioned(body, target, action)
    note = Note.objects.create(
        shop_id=target.shop_id,
        target_type=kind,
        target_id=target.pk,
        author=actor,
        body=body,
        created_at=now,
    )
    note.mentioned.set(mentioned)
    link = f"{target_url(kind, target.pk)}#note-{note.pk}"
    text = _("%(author)s 在%(kind)s #%(pk)s 的内部备注中提到了你：%(body)s") % {
        "author": actor.label,
        "kind": NoteTarget(kind).label,
        "pk": target.pk,
        "body": body[:80],
    }
    for person in mentioned:
        if person.pk != actor.pk:
            notify(user=person, shop=target.shop, text=text[:300], link=link, now=now)
    audit(
        actor,
        "note.added",
        note,
        changes={
            "target": [None, f"{kind}:{target.pk}"],
            "mentioned": [None, [p.label for p in mentioned]],
        },
        now=now,
    )
    return note
