"""Import of the platform's refund export (退款报表, CSV or XLSX) into tickets.

- Read by helpdesk.spreadsheets.reading.Source, as every import is: CSV or XLSX by content,
  encoding detected (UTF-8 with or without BOM, else GB18030), XLSX size guards.
- Header names are trimmed; values lose Excel's ="…" wrapping and stray spaces.
- One ticket per 退款单编号 and shop: a second import of the same file changes nothing
  (``unchanged``); a later export updates the platform fields, the refund amount and the
  state (the platform's refund status is authoritative for these tickets, except that a
  ticket waiting for a supervisor's decision keeps waiting).
- A row that cannot be used is reported with its line number (the header is line 1) and
  skipped; the other rows import. A fatal problem (unreadable file, missing columns, no
  rows) writes nothing. ``dry_run`` runs everything and rolls it back; ``strict`` (the
  upload page's "all or nothing") rolls back and refuses the file when any row fails.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from helpdesk.spreadsheets.errors import refusals_as
from helpdesk.spreadsheets.reading import small_export, unwrap_cell
from orders.importing.uploads import upload_bytes
from orders.models import Buyer, Order
from teamwork.events import ticket_event

from .errors import ImportFatal, TicketError
from .models import ReturnReason, Ticket, TicketEvent
from .services import ticket_create
from .states import TicketState, TicketType

REQUIRED = ["订单编号", "退款单编号", "退款状态", "买家退款金额", "退款申请时间"]
TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]
STATUS = {
    "买家已经申请退款，等待卖家同意": TicketState.REQUESTED,
    "卖家已经同意退款，等待买家退货": TicketState.APPROVED,
    "买家已经退货，等待卖家确认收货": TicketState.AWAITING_RETURN,
    "卖家拒绝退款": TicketState.REFUSED,
    "退款关闭": TicketState.CLOSED,
    "退款成功": TicketState.REFUNDED,
}
REASONS = [
    (("七天无理由", "不想要", "拍错"), ReturnReason.NO_REASON),
    (("尺码", "大小", "颜色", "不合适"), ReturnReason.SIZE),
    (("质量",), ReturnReason.QUALITY),
    (("破损", "损坏", "压坏"), ReturnReason.DAMAGED),
    (("发错", "错发"), ReturnReason.WRONG),
    (("少件", "漏发", "少发"), ReturnReason.MISSING),
    (("描述不符", "不符"), ReturnReason.NOT_AS_DESCRIBED),
]
TRACKED = [
    "state",
    "refund_amount",
    "platform_status",
    "platform_intervention",
    "return_tracking_number",
    "return_courier",
]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


class RowError(Exception):
    pass


def clean(value: str | None) -> str:
    return unwrap_cell(value or "").lstrip("'").strip()


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """The file's rows as (line, {column: text}); CSV or XLSX, read like every import."""
    with refusals_as(ImportFatal), small_export(data) as (cells, records):
        header = [clean(name).lstrip("\ufeff") for name in cells]
        missing = [name for name in REQUIRED if name not in header]
        if not ({"退款类型", "是否需要退货"} & set(header)):
            missing.append("退款类型")
        if missing:
            raise ImportFatal(_("缺少必需的列：%(cols)s。") % {"cols": "、".join(missing)})
        rows = [
            (line, {name: clean(v) for name, v in zip(header, values, strict=False)})
            for line, values in records
        ]
    if not rows:
        raise ImportFatal(_("文件中没有数据行。"))
    return rows


def parse_amount(text: str) -> Decimal:
    try:
        value = Decimal(text.replace("元", "").replace("¥", "").replace(",", "").strip() or "0")
    except InvalidOperation:
        raise RowError(_("买家退款金额「%(v)s」不是金额。") % {"v": text}) from None
    if value < 0:
        raise RowError(_("买家退款金额不能为负数。"))
    return value.quantize(Decimal("0.01"))


def parse_time(text: str) -> datetime:
    for fmt in TIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise RowError(_("退款申请时间「%(v)s」无法识别。") % {"v": text})


def ticket_type(row: dict) -> TicketType:
    kind = row.get("退款类型", "")
    if "换货" in kind:
        return TicketType.EXCHANGE
    if "退货" in kind:
        return TicketType.RETURN_REFUND
    if "退款" in kind:
        return TicketType.REFUND_ONLY
    if row.get("是否需要退货") in ("是", "否"):
        return TicketType.RETURN_REFUND if row["是否需要退货"] == "是" else TicketType.REFUND_ONLY
    raise RowError(_("退款类型「%(v)s」无法识别。") % {"v": kind})


def return_reason(text: str) -> ReturnReason:
    for words, reason in REASONS:
        if any(word in text for word in words):
            return reason
    return ReturnReason.OTHER


def platform_state(row: dict, ttype: TicketType) -> TicketState:
    status = row["退款状态"]
    if status not in STATUS:
        raise RowError(_("退款状态「%(v)s」无法识别。") % {"v": status})
    state = STATUS[status]
    if state == TicketState.APPROVED and row.get("退货物流单号"):
        state = TicketState.AWAITING_RETURN
    if state == TicketState.AWAITING_RETURN and ttype == TicketType.REFUND_ONLY:
        state = TicketState.APPROVED
    return state


def _facts(row: dict) -> dict:
    ttype = ticket_type(row)
    if not row["退款单编号"]:
        raise RowError(_("退款单编号为空。"))
    return {
        "type": ttype,
        "state": platform_state(row, ttype),
        "refund_amount": parse_amount(row["买家退款金额"]),
        "created_at": parse_time(row["退款申请时间"]),
        "reason_text": row.get("买家退款原因", ""),
        "platform_status": row["退款状态"][:60],
        "platform_intervention": row.get("客服介入状态", "")[:60],
        "return_tracking_number": row.get("退货物流单号", "")[:40],
        "return_courier": row.get("退货物流公司", "")[:40],
    }


def _buyer_of(order: Order) -> Buyer:
    if order.buyer_id:
        return order.buyer
    if not order.buyer_nick:
        raise RowError(_("订单 %(id)s 没有买家信息。") % {"id": order.order_id})
    buyer, _created = Buyer.objects.get_or_create(shop_id=order.shop_id, nick=order.buyer_nick)
    return buyer


def _create(shop: Shop, order: Order, facts: dict, refund_id: str, now: datetime) -> Ticket:
    ticket = ticket_create(
        actor=None,
        shop=shop,
        type=facts["type"],
        buyer=_buyer_of(order),
        order=order,
        reason=return_reason(facts["reason_text"]),
        description=facts["reason_text"],
        now=facts["created_at"],
        platform_fields={
            "platform_refund_id": refund_id,
            "platform_status": facts["platform_status"],
            "platform_intervention": facts["platform_intervention"],
            "return_tracking_number": facts["return_tracking_number"],
            "return_courier": facts["return_courier"],
            "refund_amount": facts["refund_amount"],
        },
    )
    _mirror_state(ticket, facts["state"], now)
    return ticket


def _mirror_state(ticket: Ticket, state: TicketState, now: datetime) -> None:
    if ticket.state == state or ticket.state == TicketState.AWAITING_APPROVAL:
        return
    before = ticket.state
    ticket.state = state
    if state in (TicketState.CLOSED, TicketState.REFUSED):
        ticket.closed_at = ticket.closed_at or now
    if state != TicketState.REQUESTED:
        ticket.sla_due_at = None  # the seller already answered on the platform
    ticket.updated_at = now
    ticket.save()
    ticket_event("ticket.state_changed", ticket, now=now, previous_state=before)
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.TRANSITION,
        from_state=before,
        to_state=state,
        text=_("平台退款状态：%(s)s") % {"s": ticket.platform_status},
        created_at=now,
    )


def _update(ticket: Ticket, facts: dict, now: datetime) -> bool:
    before = {name: getattr(ticket, name) for name in TRACKED}
    for name in TRACKED[1:]:
        setattr(ticket, name, facts[name])
    changed = {
        n: [before[n], getattr(ticket, n)] for n in TRACKED[1:] if before[n] != getattr(ticket, n)
    }
    if changed:
        ticket.updated_at = now
        ticket.save()
    _mirror_state(ticket, facts["state"], now)
    if ticket.state != before["state"]:
        changed["state"] = [before["state"], ticket.state]
    if changed:
        audit(None, "ticket.refund_imported", ticket, changes=changed, now=now)
    return bool(changed)


def import_refunds(
    *, shop: Shop, data: bytes, now: datetime, dry_run: bool = False, strict: bool = False
) -> ImportReport:
    """Import one refund export into ``shop``'s tickets; see the module docstring."""
    rows = read_rows(data)
    report = ImportReport()
    order_ids = {row["订单编号"] for _line, row in rows}
    orders = {
        o.order_id: o
        for o in Order.objects.filter(shop=shop, order_id__in=order_ids).select_related("buyer")
    }
    refund_ids = {row["退款单编号"] for _line, row in rows}
    existing = {
        t.platform_refund_id: t
        for t in Ticket.objects.filter(shop=shop, platform_refund_id__in=refund_ids)
    }
    seen: set[str] = set()
    with transaction.atomic():
        for line, row in rows:
            refund_id = row["退款单编号"]
            try:
                facts = _facts(row)
                if refund_id in seen:
                    raise RowError(_("退款单编号 %(id)s 在文件中重复。") % {"id": refund_id})
                order = orders.get(row["订单编号"])
                if order is None:
                    raise RowError(
                        _("订单 %(id)s 不存在，请先导入订单报表。") % {"id": row["订单编号"]}
                    )
                with transaction.atomic():
                    if refund_id in existing:
                        if _update(existing[refund_id], facts, now):
                            report.updated += 1
                        else:
                            report.unchanged += 1
                    else:
                        existing[refund_id] = _create(shop, order, facts, refund_id, now)
                        report.created += 1
                seen.add(refund_id)
            except (RowError, TicketError) as error:
                report.errors.append({"line": line, "message": str(error)})
        if strict and report.errors:
            raise ImportFatal(
                _("%(n)d 行有错误，整个文件未导入（全部无误才导入）。") % {"n": len(report.errors)},
                report=report,
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_refunds_file(
    *, shop: Shop, path: Path, now: datetime, dry_run: bool = False
) -> ImportReport:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFatal(_("无法读取文件：%(e)s") % {"e": error.strerror or error}) from None
    return import_refunds(shop=shop, data=data, now=now, dry_run=dry_run)


@transaction.atomic
def import_refunds_upload(
    *,
    actor: User,
    shop: Shop,
    upload: UploadedFile,
    now: datetime,
    dry_run: bool = False,
    strict: bool = False,
) -> ImportReport:
    """The upload page's import: the same ``import_refunds`` as the command, for a file an
    after-sale agent uploaded (CSV or XLSX, size and content checked first). The tickets
    are written as the platform's (actor None, like the command); one audit event records
    who imported the file."""
    require(actor, "tickets.work", shop)
    data = upload_bytes(upload)
    report = import_refunds(shop=shop, data=data, now=now, dry_run=dry_run, strict=strict)
    if not dry_run and (report.created or report.updated):
        audit(
            actor,
            "tickets.refunds_imported",
            shop,
            changes={"created": [None, report.created], "updated": [None, report.updated]},
            now=now,
        )
    return report
