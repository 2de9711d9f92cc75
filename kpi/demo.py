"""Demo KPIs: the last 30 days of every demo shop.

A day with real demo activity (conversations, paid orders, problem orders) is rolled up
from it, like the nightly job would. A day without any gets plausible generated rows so the
charts have a history to show; those rows carry ``generated=True`` and the dashboard says
so. Also: last week's quality-review sample, one scored review and two handover notes."""

from datetime import timedelta
from decimal import Decimal

from accounts.roles import Role
from helpdesk.demo import DemoContext

from .compute import compute_day, rollup_day
from .days import local_day
from .models import AgentDay, HandoverNote, QaReview, Shift, ShopDay
from .qa import qa_sample_week
from .services import qa_score

HISTORY_DAYS = 30


def _has_activity(counts) -> bool:
    shop = counts.shop
    return bool(
        counts.agents or shop["orders"] or shop["inquiry_count"] or shop["problems_by_category"]
    )


def _generated_rows(ctx: DemoContext, shop, day, agents) -> tuple[ShopDay, list[AgentDay]]:
    rng = ctx.rng
    agent_rows = []
    for agent in agents:
        inquiries = rng.randint(12, 40)
        paying = rng.randint(inquiries // 5, inquiries // 2)
        responses = rng.randint(inquiries * 3, inquiries * 6)
        agent_rows.append(
            AgentDay(
                shop=shop,
                agent=agent,
                day=day,
                computed_at=ctx.now,
                generated=True,
                reception_count=inquiries + rng.randint(0, 8),
                inquiry_count=inquiries,
                paying_count=paying,
                inquiry_orders=paying,
                inquiry_sales=Decimal(paying * rng.randint(90, 320)),
                first_response_total=inquiries * rng.randint(6, 30),
                first_response_n=inquiries,
                response_seconds_total=responses * rng.randint(15, 70),
                response_count=responses,
                responses_within_3min=int(responses * rng.uniform(0.82, 0.99)),
                buyer_message_count=responses + rng.randint(0, inquiries),
                agent_message_count=responses,
                csat_total=inquiries // 3 * rng.randint(4, 5),
                csat_n=inquiries // 3,
                reminders_sent=rng.randint(2, 10),
                reminders_paid=rng.randint(0, 2),
            )
        )
    summed = {
        field: sum(getattr(row, field) for row in agent_rows)
        for field in (
            "reception_count",
            "inquiry_count",
            "paying_count",
            "inquiry_orders",
            "inquiry_sales",
            "first_response_total",
            "first_response_n",
            "response_seconds_total",
            "response_count",
            "responses_within_3min",
            "buyer_message_count",
            "agent_message_count",
            "csat_total",
            "csat_n",
            "reminders_sent",
            "reminders_paid",
        )
    }
    orders = summed["inquiry_orders"] + rng.randint(5, 25)
    shop_row = ShopDay(
        shop=shop,
        day=day,
        computed_at=ctx.now,
        generated=True,
        orders=orders,
        sales=summed["inquiry_sales"] + Decimal(rng.randint(800, 4000)),
        followups_sent=rng.randint(5, 20),
        problems_by_category={
            "address_change": rng.randint(0, 4),
            "out_of_stock": rng.randint(0, 3),
            "logistics_delay": rng.randint(0, 3),
            "address_unclear": rng.randint(0, 2),
        },
        **summed,
    )
    return shop_row, agent_rows


def seed(ctx: DemoContext) -> None:
    agents = ctx.staff.get(Role.PRE_SALE, []) + ctx.staff.get(Role.IN_SALE, [])
    today = local_day(ctx.now)
    generated_shops, generated_agents = [], []
    for shop in ctx.shops.values():
        for n in range(HISTORY_DAYS, 0, -1):
            day = today - timedelta(days=n)
            if _has_activity(compute_day(shop, day)):
                rollup_day(shop, day, now=ctx.now)
            else:
                shop_row, agent_rows = _generated_rows(ctx, shop, day, agents)
                generated_shops.append(shop_row)
                generated_agents += agent_rows
    ShopDay.objects.bulk_create(generated_shops)
    AgentDay.objects.bulk_create(generated_agents)
    _quality_and_handover(ctx, agents)


def _quality_and_handover(ctx: DemoContext, agents) -> None:
    supervisor = ctx.staff[Role.SUPERVISOR][0]
    for shop in ctx.shops.values():
        qa_sample_week(shop=shop, now=ctx.now)
    first = QaReview.objects.filter(shop__in=ctx.shops.values()).order_by("pk").first()
    if first is not None:
        qa_score(
            actor=supervisor,
            review=first,
            scores={
                "greeting": 15,
                "etiquette": 16,
                "product_knowledge": 18,
                "resolution": 17,
                "related_selling": 6,
                "closing": 12,
            },
            comment="问候及时；推荐搭配时可以主动提到同系列开衫。",
            now=ctx.now,
        )
    if not agents:
        return
    shop = next(iter(ctx.shops.values()))
    notes = [
        (
            "小鹿乱撞的猫",
            "旺旺",
            "米白 L 码连衣裙缺货",
            "愿意等补货，不想退款",
            "到货后先联系她确认尺码再发",
        ),
        (
            "北方的狼1987",
            "电话转旺旺",
            "包裹显示签收但本人没收到",
            "尽快查清楚",
            "联系快递站点核实签收人，下午四点前回复买家",
        ),
    ]
    for nick, channel, cause, wish, todo in notes:
        HandoverNote.objects.create(
            shop=shop,
            shift_date=local_day(ctx.now),
            shift=Shift.MORNING,
            buyer_nick=nick,
            channel=channel,
            cause=cause,
            wish=wish,
            todo=todo,
            author=agents[0],
            created_at=ctx.now,
        )
