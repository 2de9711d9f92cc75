"""Changes made by people: scoring quality reviews, recording mystery-shopper checks,
writing and acknowledging shift handover notes. Each checks permission, locks, validates,
changes and audits, in that order."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.services import audit
from chats.models import Conversation
from orders.models import Buyer

from .days import local_day
from .errors import AlreadyDone, HandoverError, QaError
from .models import HandoverNote, QaKind, QaReview, QaState, Shift
from .qa import MAX_POINTS, RUBRIC_KEYS, iso_week, measured_prefill


def _checked_scores(scores: dict) -> dict[str, int]:
    checked = {}
    for key in RUBRIC_KEYS:
        value = scores.get(key)
        if value is None or value == "":
            raise QaError(_("每一项都需要评分。"))
        try:
            points = int(value)
        except (TypeError, ValueError):
            raise QaError(_("评分必须是整数。")) from None
        if not 0 <= points <= MAX_POINTS[key]:
            raise QaError(
                _("“%(item)s”的分数应在 0 到 %(max)s 之间。")
                % {"item": key, "max": MAX_POINTS[key]}
            )
        checked[key] = points
    return checked


@transaction.atomic
def qa_score(*, actor, review: QaReview, scores: dict, comment: str, now: datetime) -> QaReview:
    """Score (or re-score) a queued review; the agent then sees it on their page."""
    require(actor, "qa.review", review)
    review = QaReview.objects.select_for_update().get(pk=review.pk)
    if review.agent_id == actor.pk:
        raise QaError(_("不能给自己的会话质检评分。"))
    checked = _checked_scores(scores)
    before = {"state": review.state, "total": review.total}
    review.scores = checked
    review.total = Decimal(sum(checked.values()))
    review.comment = comment.strip()
    review.state = QaState.SCORED
    review.reviewer = actor
    review.scored_at = now
    review.save()
    audit(
        actor,
        "qa.scored",
        review,
        changes={
            "state": [before["state"], review.state],
            "total": [before["total"], review.total],
        },
        now=now,
    )
    return review


@transaction.atomic
def qa_mystery_record(
    *, actor, conversation: Conversation, scores: dict, comment: str, now: datetime
) -> QaReview:
    """Record a mystery-shopper check (神秘客户) of a conversation, scored on the same rubric."""
    require(actor, "qa.review", conversation)
    if conversation.assignee_id is None:
        raise QaError(_("这个会话没有接待客服，无法记录神秘客户检查。"))
    if QaReview.objects.filter(conversation=conversation, kind=QaKind.MYSTERY).exists():
        raise AlreadyDone(_("这个会话已经记录过神秘客户检查。"))
    texts = list(conversation.messages.filter(sender="agent").values_list("text", flat=True))
    review = QaReview.objects.create(
        shop_id=conversation.shop_id,
        agent_id=conversation.assignee_id,
        conversation=conversation,
        kind=QaKind.MYSTERY,
        week=iso_week(local_day(conversation.created_at)),
        prefill=measured_prefill(conversation, texts),
        created_at=now,
    )
    audit(actor, "qa.mystery_recorded", review, now=now)
    return qa_score(actor=actor, review=review, scores=scores, comment=comment, now=now)


@transaction.atomic
def handover_write(
    *,
    actor,
    shop,
    shift_date: date,
    shift: str,
    buyer_nick: str,
    channel: str,
    cause: str,
    wish: str,
    todo: str,
    now: datetime,
) -> HandoverNote:
    """A note for the next shift: buyer X, on channel Y, because of Z, wants W; please do V."""
    require(actor, "handover.use", shop)
    if shift not in Shift.values:
        raise HandoverError(_("请选择班次。"))
    fields = {"buyer_nick": buyer_nick, "channel": channel, "cause": cause, "wish": wish}
    fields = {name: value.strip() for name, value in fields.items()}
    todo = todo.strip()
    if not all(fields.values()) or not todo:
        raise HandoverError(_("买家、渠道、原因、诉求和待办都要填写。"))
    note = HandoverNote.objects.create(
        shop=shop,
        shift_date=shift_date,
        shift=shift,
        buyer=Buyer.objects.filter(shop=shop, nick=fields["buyer_nick"]).first(),
        todo=todo,
        author=actor,
        created_at=now,
        **fields,
    )
    audit(actor, "handover.written", note, now=now)
    return note


@transaction.atomic
def handover_acknowledge(*, actor, note: HandoverNote, now: datetime) -> HandoverNote:
    """The next shift takes the note over; the author cannot acknowledge their own note."""
    require(actor, "handover.use", note)
    note = HandoverNote.objects.select_for_update().get(pk=note.pk)
    if note.acknowledged_at is not None:
        raise AlreadyDone(_("%(name)s 已经确认过这条交接。") % {"name": note.acknowledged_by.label})
    if note.author_id == actor.pk:
        raise HandoverError(_("交接需要由下一班的同事确认，不能确认自己写的交接。"))
    note.acknowledged_by = actor
    note.acknowledged_at = now
    note.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit(actor, "handover.acknowledged", note, changes={"acknowledged_at": [None, now]}, now=now)
    return note
