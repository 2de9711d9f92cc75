"""After-sale tickets, their photos and registers, the supervisors' inbox, and the API."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .base import Route, pk_of

ticket_pk = pk_of("ticket")
# A ticket write an allowed role may see answered 400/409 once an earlier role acted.
SETTLED = frozenset({400, 409})


def ticket_post(data=None, action: str = "tickets.work", kind: str = "ticket") -> Route:
    return Route(
        action, pk_of(kind), method="post", shop_scoped=True, data=data or {}, also_ok=SETTLED
    )


def photo_pk(ctx, shop):
    return {"pk": ctx.obj("photo", shop).pk}


def refund_export_preview(ctx, shop):
    text = (
        "订单编号,退款单编号,退款类型,退款状态,买家退款金额,退款申请时间\n"
        "1,R1,仅退款,退款成功,1,2026-11-22 10:00\n"
    )
    return {"shop": shop.code, "dry_run": "1", "file": SimpleUploadedFile("r.csv", text.encode())}


ROUTES: dict[str, Route] = {
    "tickets:queue": Route("tickets.view"),
    "tickets:new": Route("tickets.work"),
    "tickets:new#open": Route("tickets.work", method="post"),
    "tickets:detail": Route("tickets.view", ticket_pk, shop_scoped=True),
    "tickets:act": ticket_post({"action": "approve"}),
    "tickets:reply": ticket_post({"text": "您好，已为您登记", "internal": "on"}),
    "tickets:tick_step": ticket_post({"step": "soothe", "done": "1"}),
    "tickets:costs": ticket_post({"reshipping_postage": "12.00", "return_postage": "0"}),
    "tickets:escalate": ticket_post({"reason": "买家威胁投诉到平台"}),
    "tickets:take": ticket_post(),
    "tickets:signed_intact": ticket_post({"signed_intact": "yes"}),
    "tickets:upload_photo": ticket_post(),
    "tickets:photo": Route("tickets.view", photo_pk, shop_scoped=True),
    "tickets:register": Route("tickets.view", lambda ctx, shop: {"slug": "damage"}),
    "tickets:inbox": Route("approvals.decide"),
    "tickets:import": Route(
        "tickets.work", method="post", data=refund_export_preview, shop_scoped=True
    ),
    "tickets:import#form": Route("tickets.work"),
    "tickets:import_sample": Route("tickets.work"),
    "tickets:decide": ticket_post(
        {"decision": "approve"}, action="approvals.decide", kind="approval"
    ),
    "tickets:handle_breach": ticket_post(action="approvals.decide", kind="breach"),
    "tickets:handle_escalation": ticket_post(
        {"note": "已联系买家"}, action="approvals.decide", kind="escalated_ticket"
    ),
    "tickets:notifications": Route(any_member=True),
    "tickets:notifications#read": Route(any_member=True, method="post"),
    "tickets:notifications_badge": Route(any_member=True),
    "api-tickets": Route("tickets.view"),
    # Opening needs tickets.work in the named shop (a foreign shop: 403, as for pre-sale).
    "api-tickets#create": Route(
        "tickets.work",
        method="post",
        data=lambda ctx, shop: {"shop": shop.code, "type": "invoice", "buyer_nick": "夏天的风"},
        also_ok=frozenset({400}),
        shop_scoped=True,
        foreign_status=frozenset({403}),
    ),
    "api-ticket-detail": Route("tickets.view", ticket_pk, shop_scoped=True),
    "api-ticket-action": ticket_post({"action": "approve"}),
}
