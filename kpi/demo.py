"""Demo KPIs: the last 30 days of every demo shop.

The demo's own records (conversations, paid orders, problem orders, tickets) are far too
few to make a shop's day, so every day gets plausible generated background figures and the
day's real demo activity, computed as the nightly job would, is added on top: the charts
have a history, and what an agent does in the demo shows up in it. The rows carry
``generated=True`` and the dashboard says so; the nightly rollup replaces a day with its
real figures alone. Also: last week's quality-review sample, one scored review, two
handover notes and two months of DSR records."""

from datetime import timedelta
from decimal import Decimal

from accounts.roles import Role
from helpdesk.demo import DemoContext

from .compute import compute_day
from .days import local_day
from .dsr import DSR_KEYS
from .figures import COMMON_COUNTERS, add_into, total
from .models import AgentDay, DsrSource, HandoverNote, QaReview, Shift, ShopDay, ShopDsr
from .qa import iso_week, qa_sample_week
from .services import qa_score
from .sources.after_sale import ROLLING_DAYS

HISTORY_DAYS = 30
DSR_HISTORY_DAYS = 60


def _add_activity(row, counters: dict) -> None:
    """Add real counters onto a generated row, field by field."""
    fields = {name: getattr(row, name) for name in counters if hasattr(row, name)}
    for name, value in add_into(fields, counters).items():
        setattr(row, name, value)


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
    summed = total({name: getattr(row, name) for name in COMMON_COUNTERS} for row in agent_rows)
    orders = summed["inquiry_orders"] + rng.randint(5, 25)
    refunded = rng.randint(0, max(1, orders // 12))
    shop_row = ShopDay(
        shop=shop,
        day=day,
        computed_at=ctx.now,
        generated=True,
        orders=orders,
        sales=summed["inquiry_sales"] + Decimal(rng.randint(800, 4000)),
        followups_sent=rng.randint(5, 20),
        after_sale_tickets=(after_sale := rng.randint(0, 5)),
        refund_amount=Decimal(refunded * rng.randint(40, 160)),
        # this day's orders later refunded / given an after-sale ticket; turned into the
        # rolling 30-day counters by _rolling (a part of the orders, as in real rows)
        refunded_30d=refunded,
        after_sale_30d=min(orders, refunded + rng.randint(0, 3)),
        after_sale_cost=Decimal(after_sale * rng.randint(8, 25)),
        new_negative_reviews=rng.choice((0, 0, 0, 1, 1, 2)),
        problems_by_category={
            "address_change": rng.randint(0, 4),
            "out_of_stock": rng.randint(0, 3),
            "logistics_delay": rng.randint(0, 3),
            "address_unclear": rng.randint(0, 2),
        },
        **summed,
    )
    return shop_row, agent_rows


def _rolling(rows: list[ShopDay]) -> None:
    """Turn each generated row's own later-refunded and after-sale orders into the rolling
    30-day counters of the history so far (oldest row first), as the real rollup counts
    them: orders paid in the window, and those of them refunded / with a ticket."""
    cohorts = [(row.orders, row.refunded_30d, row.after_sale_30d) for row in rows]
    for index, row in enumerate(rows):
        window = cohorts[max(0, index - ROLLING_DAYS + 1) : index + 1]
        row.orders_30d, row.refunded_30d, row.after_sale_30d = (
            sum(cohort[n] for cohort in window) for n in range(3)
        )


def seed(ctx: DemoContext) -> None:
    agents = ctx.staff.get(Role.PRE_SALE, []) + ctx.staff.get(Role.IN_SALE, [])
    today = local_day(ctx.now)
    generated_shops, generated_agents = [], []
    for shop in ctx.shops.values():
        shop_rows, real = [], {}
        for n in range(HISTORY_DAYS, 0, -1):
            day = today - timedelta(days=n)
            shop_row, agent_rows = _generated_rows(ctx, shop, day, agents)
            shop_rows.append(shop_row)
            counts = compute_day(shop, day)
            real[day] = counts.shop
            by_agent = {row.agent_id: row for row in agent_rows}
            for agent_id, counters in counts.agents.items():
                if agent_id not in by_agent:
                    by_agent[agent_id] = AgentDay(
                        shop=shop, agent_id=agent_id, day=day, computed_at=ctx.now, generated=True
                    )
                _add_activity(by_agent[agent_id], counters)
            generated_agents += by_agent.values()
        _rolling(shop_rows)
        for shop_row in shop_rows:
            _add_activity(shop_row, real[shop_row.day])
        generated_shops += shop_rows
    ShopDay.objects.bulk_create(generated_shops)
    AgentDay.objects.bulk_create(generated_agents)
    _quality_and_handover(ctx, agents)
    _dsr_history(ctx)


def _dsr_history(ctx: DemoContext) -> None:
    """Every demo shop's DSR as a manager would have recorded it: every few days over the
    last 60 days, drifting by a hundredth or two around a plausible level (the platform's
    180-day averages move slowly). Marked as demo data (source "demo")."""
    rng, today = ctx.rng, local_day(ctx.now)
    records = []
    for shop in ctx.shops.values():
        scores = {key: Decimal(rng.randint(470, 490)) / 100 for key in DSR_KEYS}
        for n in range(DSR_HISTORY_DAYS, -1, -1):
            for key in DSR_KEYS:
                step = Decimal(rng.choice([-2, -1, 0, 0, 1, 2])) / 100
                scores[key] = min(max(scores[key] + step, Decimal("4.50")), Decimal("4.98"))
            if n % 3 and n:
                continue
            records.append(
                ShopDsr(
                    shop=shop,
                    day=today - timedelta(days=n),
                    source=DsrSource.DEMO,
                    recorded_at=ctx.now,
                    **scores,
                )
            )
    ShopDsr.objects.bulk_create(records)


def _quality_and_handover(ctx: DemoContext, agents) -> None:
    supervisor = ctx.staff[Role.SUPERVISOR][0]
    today = local_day(ctx.now)
    for shop in ctx.shops.values():
        # Last week's sample as the Monday job would draw it, and this week's too: the demo's
        # conversations are mostly from the last few days, so on most weekdays last week
        # alone would leave the quality-review queue empty.
        for day in (today - timedelta(days=7), today):
            qa_sample_week(shop=shop, now=ctx.now, week=iso_week(day))
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
