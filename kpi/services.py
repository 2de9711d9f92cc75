"""Changes made by people: scoring quality reviews, recording mystery-shopper checks,
writing and acknowledging shift handover notes, recording and importing the shop's DSR.
Each checks permission, locks, validates, changes and audits, in that order."""

import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.services import audit
from chats.models import Conversation
from orders.importing.uploads import SMALL_UPLOAD_BYTES, check_upload
from orders.models import Buyer

from .days import local_day
from .dsr import DSR_KEYS, DSR_LABELS, ScoreError, parse_score
from .dsr_import import DsrImportFatal, DsrImportReport, read_dsr_file
from .errors import AlreadyDone, DsrError, HandoverError, QaError
from .models import DsrSource, HandoverNote, QaKind, QaReview, QaState, Shift, ShopDsr
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


def _dsr_write(
    *, actor, shop, day: date, scores: dict[str, Decimal], source: str, now: datetime
) -> str:
    """Upsert one day's DSR under a row lock; "created", "updated" or "unchanged". Audited
    when it writes."""
    existing = ShopDsr.objects.select_for_update().filter(shop=shop, day=day).first()
    if existing is None:
        record = ShopDsr.objects.create(
            shop=shop,
            day=day,
            source=source,
            recorded_by=actor,
            recorded_at=now,
            **scores,
        )
        changes = {key: [None, f"{value:.2f}"] for key, value in scores.items()}
        audit(actor, "kpi.dsr_recorded", record, shop=shop, changes=changes, now=now)
        return "created"
    changes = {
        key: [f"{getattr(existing, key):.2f}", f"{value:.2f}"]
        for key, value in scores.items()
        if getattr(existing, key) != value
    }
    if not changes:
        return "unchanged"
    for key, value in scores.items():
        setattr(existing, key, value)
    existing.source, existing.recorded_by, existing.recorded_at = source, actor, now
    existing.save()
    audit(actor, "kpi.dsr_recorded", existing, shop=shop, changes=changes, now=now)
    return "updated"


@transaction.atomic
def dsr_record(*, actor, shop, day: date, scores: dict, now: datetime) -> tuple[ShopDsr, str]:
    """Record the DSR the seller centre shows for ``day`` (the form's "today's DSR").
    ``scores``: {"description": "4.83", "service": …, "logistics": …}; recording a day
    again replaces its scores. Returns the record and "created"/"updated"/"unchanged"."""
    require(actor, "kpi.dsr", shop)
    if day > local_day(now):
        raise DsrError(_("不能录入今天之后的评分。"))
    checked = {}
    for key in DSR_KEYS:
        try:
            checked[key] = parse_score(scores.get(key) or "")
        except ScoreError as error:
            raise DsrError(f"{DSR_LABELS[key]}：{error}") from None
    outcome = _dsr_write(
        actor=actor, shop=shop, day=day, scores=checked, source=DsrSource.FORM, now=now
    )
    return ShopDsr.objects.get(shop=shop, day=day), outcome


class _DryRun(Exception):
    """Raised inside the import transaction to roll a dry run back."""


def dsr_import(
    *, actor, shop, path: str | Path, now: datetime, dry_run: bool = False
) -> DsrImportReport:
    """Import a DSR file (CSV/XLSX: 日期, 描述相符, 服务态度, 物流服务) all or nothing: a file
    with any bad row raises DsrImportFatal listing every bad line, and nothing is
    written. Re-importing the same file changes nothing. ``actor`` None is the command
    (run by whoever administers the server)."""
    if actor is not None:
        require(actor, "kpi.dsr", shop)
    rows, report = read_dsr_file(path, today=local_day(now))
    if report.errors:
        first = report.errors[0]
        raise DsrImportFatal(
            _("%(count)d 行有错（第一处：第 %(line)d 行：%(message)s），整个文件未导入。")
            % {"count": len(report.errors), **first},
            report=report,
        )
    report.dry_run = dry_run
    try:
        with transaction.atomic():
            for row in rows:
                outcome = _dsr_write(
                    actor=actor,
                    shop=shop,
                    day=row.day,
                    scores=row.scores(),
                    source=DsrSource.IMPORT,
                    now=now,
                )
                setattr(report, outcome, getattr(report, outcome) + 1)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def dsr_import_upload(
    *,
    actor,
    shop,
    upload: UploadedFile,
    now: datetime,
    dry_run: bool = False,
    strict: bool = True,
) -> DsrImportReport:
    """The upload page's import (helpdesk.export_uploads): the file is checked like the
    other exports' uploads, then read by the same ``dsr_import`` as the command. Always
    all or nothing, so ``strict`` changes nothing."""
    require(actor, "kpi.dsr", shop)
    suffix = check_upload(upload, max_bytes=SMALL_UPLOAD_BYTES)
    with tempfile.NamedTemporaryFile(suffix=suffix) as stored:
        for part in upload.chunks():
            stored.write(part)
        stored.flush()
        return dsr_import(actor=actor, shop=shop, path=stored.name, now=now, dry_run=dry_run)
