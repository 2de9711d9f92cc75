"""Demo tickets: several types in several states, approvals waiting for the supervisor,
an escalation and one SLA breach, in the first demo shop."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.roles import Role
from helpdesk.demo import DemoContext
from orders.states import OrderState

from .breaches import sla_breaches_record
from .models import ReturnReason
from .photos import photo_add
from .services import ticket_act, ticket_create, ticket_escalate, ticket_reply, ticket_tick_step
from .states import Action, TicketType


def _damage_photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (214, 196, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 100, 520, 380), outline=(120, 90, 60), width=8)
    draw.line((140, 120, 500, 360), fill=(90, 60, 40), width=6)
    draw.line((300, 110, 260, 370), fill=(90, 60, 40), width=4)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile("damage.jpg", out.getvalue(), content_type="image/jpeg")


def seed(ctx: DemoContext) -> None:
    shop = next(iter(ctx.shops.values()))
    agent = ctx.staff[Role.AFTER_SALE][0]
    now = ctx.now
    orders = [o for o in ctx.data["orders"] if o.shop_id == shop.pk]
    received = [o for o in orders if o.state == OrderState.FINISHED]
    shipped = [o for o in orders if o.state == OrderState.SHIPPED]
    for index, order in enumerate(received):
        order.received_at = now - timedelta(days=3 + index % 4)
        order.save(update_fields=["received_at"])

    def open_(kind, order, hours_ago, **fields):
        return ticket_create(
            actor=agent,
            shop=shop,
            type=kind,
            buyer=order.buyer if order else ctx.data["buyers"][3],
            order=order,
            now=now - timedelta(hours=hours_ago),
            **fields,
        )

    def act(ticket, action, hours_ago, **extra):
        return ticket_act(
            actor=agent, ticket=ticket, action=action, now=now - timedelta(hours=hours_ago), **extra
        )

    ticket = open_(
        TicketType.RETURN_REFUND,
        received[0],
        30,
        reason=ReturnReason.NO_REASON,
        description="连衣裙版型偏大，想退货。",
    )
    act(ticket, Action.APPROVE, 29)
    act(ticket, Action.AWAIT_RETURN, 20, tracking_number="YT4471029385", courier="圆通速递")

    ticket = open_(
        TicketType.EXCHANGE,
        received[1],
        50,
        reason=ReturnReason.SIZE,
        description="M码偏小，想换L码。",
    )
    act(ticket, Action.APPROVE, 49)
    act(ticket, Action.AWAIT_RETURN, 40, tracking_number="SF1302948811", courier="顺丰速运")
    act(ticket, Action.RECEIVE, 2)

    damaged = open_(
        TicketType.DAMAGED,
        received[2],
        5,
        reason=ReturnReason.DAMAGED,
        description="外箱压坏，包装袋破开，裙摆蹭脏了一大块。",
    )
    photo_add(actor=agent, ticket=damaged, upload=_damage_photo(), now=now - timedelta(hours=4))
    for step in ("soothe", "find_cause"):
        ticket_tick_step(actor=agent, ticket=damaged, step=step, done=True, now=now)
    act(damaged, Action.APPROVE, 3)

    open_(
        TicketType.MISSING_ITEM,
        received[3],
        2,
        reason=ReturnReason.MISSING,
        description="买了两件只收到一件。",
    )

    ticket = open_(TicketType.REFUND_ONLY, shipped[0], 6, description="不想要了，申请仅退款。")
    act(ticket, Action.APPROVE, 5)
    act(ticket, Action.REFUND, 4, amount=Decimal("168.00"), reason="老顾客，按原价退")

    ticket = open_(
        TicketType.QUALITY,
        received[4],
        26,
        reason=ReturnReason.QUALITY,
        description="大衣洗后起球严重。",
    )
    ticket_reply(
        actor=agent, ticket=ticket, text="已请仓库核对同批次商品。", now=now - timedelta(hours=20)
    )
    act(ticket, Action.APPROVE, 3)
    act(ticket, Action.COMPENSATE, 1, amount=Decimal("300.00"), reason="买家同意补偿后保留商品")

    ticket = open_(
        TicketType.PRICE_DIFFERENCE, received[5], 70, description="下单后第二天降价20元。"
    )
    act(ticket, Action.APPROVE, 69)
    act(ticket, Action.REFUND, 68, amount=Decimal("20.00"))
    act(ticket, Action.CLOSE, 67)

    open_(TicketType.INVOICE, None, 1, description="需要开具公司抬头的电子发票。")

    ticket = open_(
        TicketType.LOGISTICS_DISPUTE, shipped[1], 8, description="物流4天没有更新，买家着急。"
    )
    act(ticket, Action.INVESTIGATE, 7)
    ticket_escalate(
        actor=agent,
        ticket=ticket,
        reason="快递公司不承认丢件，买家要求赔偿",
        now=now - timedelta(hours=6),
    )

    ticket = open_(
        TicketType.RETURN_REFUND,
        received[6],
        10,
        reason=ReturnReason.NO_REASON,
        worn_or_washed=True,
        description="买家已下水洗过。",
    )
    act(ticket, Action.REFUSE, 9, reason="商品已洗涤，影响二次销售")

    # Opened four days ago and never answered: the SLA job escalates it.
    open_(TicketType.PLATFORM_DISPUTE, None, 96, description="买家在平台发起投诉：发货慢。")
    sla_breaches_record(shop=shop, now=now)
