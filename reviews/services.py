"""Changes to reviews: the workflow, assignment, reply drafts, extortion and evidence.

Each service checks permission, locks the review, validates, changes, and audits. There is
no service that pays, refunds or rebates for a rating: the answer to extortion is evidence
for a platform appeal."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, require, roles_by_shop
from audit.services import audit
from chats.models import ChannelKind

from . import states
from .errors import ReviewError, TransitionRefused
from .etiquette import findings_for_draft
from .evidence_pack import build_pack, pack_name
from .models import DraftKind, EvidenceMessage, ReplyDraft, Review, ReviewState, ReviewTransition
from .selectors import buyer_messages_for_evidence

MAX_EVIDENCE_PER_CALL = 200


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("shop", "buyer").get(pk=review.pk)


@transaction.atomic
def review_transition(
    *, actor: User, review: Review, action: str, now: datetime, note: str = ""
) -> Review:
    """Move the review along the workflow table (reviews/states.py)."""
    require(actor, "reviews.work", review)
    review = _locked(review)
    role = roles_by_shop(actor).get(review.shop_id)
    reason = states.refusal(review.state, action, role, is_extortion=review.is_extortion)
    if reason:
        raise TransitionRefused(reason)
    before = review.state
    review.state = states.step_for(before, action).to
    review.state_changed_at = now
    if before == ReviewState.NEW:
        review.due_at = None  # the first step meets the due time (reviews/deadlines.py)
    if review.assignee_id is None:
        review.assignee = actor
    review.save(update_fields=["state", "state_changed_at", "assignee", "due_at"])
    ReviewTransition.objects.create(
        review=review,
        action=action,
        from_state=before,
        to_state=review.state,
        actor=actor,
        note=note[:500],
        created_at=now,
    )
    audit(actor, f"review.{action}", review, changes={"state": [before, review.state]}, now=now)
    return review


@transaction.atomic
def review_assign(*, actor: User, review: Review, assignee_id: int, now: datetime) -> Review:
    """Give the review to a specialist of its shop. Specialists may take a review for
    themselves; handing it to someone else is a supervisor's decision.

    The assignee comes as an id from the caller, and an id nobody holds gets the very
    answer a user of another shop gets, so the answer never tells which ids exist."""
    require(actor, "reviews.work", review)
    review = _locked(review)
    if assignee_id != actor.pk and not can(actor, "approvals.decide", review):
        raise ReviewError(_("只有主管可以把评价分配给他人。"))
    assignee = User.objects.filter(pk=assignee_id).first()
    if assignee is None or not assignee.is_active or not can(assignee, "reviews.work", review):
        # Name only this shop's members: any other user id gets no name or work number back.
        known = assignee is not None and review.shop_id in roles_by_shop(assignee)
        who = assignee.label if known else _("该用户")
        raise ReviewError(_("%(who)s 不处理这个店铺的中差评。") % {"who": who})
    before = review.assignee_id
    review.assignee = assignee
    review.save(update_fields=["assignee"])
    audit(actor, "review.assigned", review, changes={"assignee": [before, assignee.pk]}, now=now)
    return review


@transaction.atomic
def draft_save(*, actor: User, review: Review, kind: str, text: str, now: datetime) -> ReplyDraft:
    """Keep a reply draft with the etiquette findings it has now. Findings do not block
    saving: the specialist decides, and the findings stay on the draft for supervisors."""
    require(actor, "reviews.work", review)
    review = _locked(review)
    text = text.strip()
    if kind not in DraftKind.values:
        raise ReviewError(_("未知的回复类型。"))
    if not text:
        raise ReviewError(_("回复内容不能为空。"))
    if len(text) > 500:
        raise ReviewError(_("回复最多 500 字。"))
    draft = ReplyDraft.objects.create(
        review=review,
        shop_id=review.shop_id,
        kind=kind,
        text=text,
        findings=findings_for_draft(review, kind=kind, text=text, now=now),
        author=actor,
        created_at=now,
    )
    audit(
        actor,
        "review.draft_saved",
        review,
        changes={"draft": [None, draft.pk], "findings": [None, len(draft.findings)]},
        now=now,
    )
    return draft


@transaction.atomic
def review_mark_extortion(*, actor: User, review: Review, note: str, now: datetime) -> Review:
    """Mark the buyer's demand ("refund me or I leave a bad review") as extortion; from
    then on the case shows in the supervisors' inbox until it is closed."""
    require(actor, "reviews.work", review)
    review = _locked(review)
    if review.is_extortion:
        return review
    if not review.is_open:
        raise ReviewError(_("已结束的评价不能再标记为差评要挟。"))
    note = note.strip()
    if not note:
        raise ReviewError(_("请写明买家提出的要求，例如“要求退款否则给差评”。"))
    review.is_extortion = True
    review.extortion_note = note[:500]
    review.extortion_marked_at = now
    review.extortion_marked_by = actor
    review.save(
        update_fields=[
            "is_extortion",
            "extortion_note",
            "extortion_marked_at",
            "extortion_marked_by",
        ]
    )
    audit(actor, "review.extortion_marked", review, changes={"note": [None, note]}, now=now)
    return review


@transaction.atomic
def evidence_select(
    *, actor: User, review: Review, message_ids: list[int], now: datetime
) -> list[EvidenceMessage]:
    """Copy the chosen buyer messages, with their times, into the case's evidence.

    Only the buyer's own messages of that buyer's conversations with the review's shop
    qualify; anything else is refused whole. A message already copied is not copied
    again. Copies are never changed afterwards (EvidenceMessage is append-only)."""
    require(actor, "reviews.work", review)
    review = _locked(review)
    if not review.is_extortion:
        raise ReviewError(_("请先把评价标记为差评要挟，再选择证据。"))
    wanted = set(message_ids)
    if not wanted:
        raise ReviewError(_("请至少选择一条买家消息。"))
    if len(wanted) > MAX_EVIDENCE_PER_CALL:
        raise ReviewError(_("一次最多选择 %(n)d 条消息。") % {"n": MAX_EVIDENCE_PER_CALL})
    messages = list(buyer_messages_for_evidence(review).filter(pk__in=wanted))
    if len(messages) != len(wanted):
        raise ReviewError(_("只能选择这位买家在本店会话中自己发送的消息。"))
    already = set(
        review.evidence.filter(source_message_id__in=wanted).values_list(
            "source_message_id", flat=True
        )
    )
    copies = EvidenceMessage.objects.bulk_create(
        [
            EvidenceMessage(
                review=review,
                source_message=message,
                conversation_id_copy=message.conversation_id,
                buyer_nick=review.buyer.nick,
                text=message.text,
                sent_at=message.sent_at,
                channel_name=message.channel.name,
                identity_verified=ChannelKind(message.channel.kind).proves_identity,
                selected_by=actor,
                selected_at=now,
            )
            for message in messages
            if message.pk not in already
        ]
    )
    if copies:
        audit(
            actor,
            "review.evidence_selected",
            review,
            changes={"evidence": [None, [copy.source_message_id for copy in copies]]},
            now=now,
        )
    return copies


def evidence_pack(*, actor: User, review: Review, now: datetime) -> tuple[str, bytes]:
    """(file name, ZIP bytes) of the case's evidence for a platform appeal."""
    require(actor, "reviews.work", review)
    if not review.is_extortion:
        raise ReviewError(_("只有差评要挟的评价才有证据包。"))
    evidence = list(review.evidence.order_by("sent_at", "id"))
    if not evidence:
        raise ReviewError(_("还没有选择证据消息。"))
    data = build_pack(review, evidence, now=now)
    audit(
        actor,
        "review.evidence_pack_downloaded",
        review,
        changes={"messages": [None, len(evidence)]},
        now=now,
    )
    return pack_name(review), data
