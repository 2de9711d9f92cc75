"""Every figure of the rollup against a plain recomputation from the raw rows, over a
generated week in three shops (tests/kpi/week.py), for each shop and each agent."""

from datetime import timedelta

import pytest

from helpdesk.jobs import run_job
from kpi.days import day_bounds
from kpi.definitions import BY_KEY
from kpi.figures import COMMON_COUNTERS, SHOP_COUNTERS, derive
from kpi.models import AgentDay, ShopDay

from .recompute import Raw, agent_figures, agents_with_figures, day_of, shop_figures
from .week import AFTER, WEEK, generate_week

pytestmark = pytest.mark.django_db


def _same(key: str, got, want) -> bool:
    if want is None or got is None:
        return got is want
    if BY_KEY[key].kind in ("rate", "seconds", "ratio", "score"):
        return got == pytest.approx(float(want))
    return got == want


def _differences(got: dict, want: dict) -> dict:
    assert set(got) == set(want), set(got) ^ set(want)
    return {key: (got[key], want[key]) for key in want if not _same(key, got[key], want[key])}


@pytest.fixture
def week(team, shop):
    """The week, rolled up by the nightly job at 02:00 after each of its days."""
    generated = generate_week(team, shop)
    for day in WEEK:
        run_job("kpi_rollup", shop=None, now=day_bounds(day)[1] + timedelta(hours=2))
    return generated


def test_every_shop_figure_of_the_week_matches_the_raw_rows(week):
    raw = Raw()
    checked = 0
    for shop in week.shops.values():
        for day in WEEK:
            row = ShopDay.objects.filter(shop=shop, day=day).values(*SHOP_COUNTERS).first()
            assert row is not None, (shop.code, day)
            differences = _differences(derive(row, shop=True), shop_figures(raw, shop, day))
            assert not differences, (shop.code, day, differences)
            checked += 1
    assert checked == 21


def test_every_agent_figure_of_the_week_matches_the_raw_rows(week):
    raw = Raw()
    checked = 0
    for shop in week.shops.values():
        for day in WEEK:
            rows = {
                row.pop("agent_id"): row
                for row in AgentDay.objects.filter(shop=shop, day=day).values(
                    "agent_id", *COMMON_COUNTERS
                )
            }
            assert set(rows) == agents_with_figures(raw, shop, day), (shop.code, day)
            for agent_id, row in rows.items():
                want = agent_figures(raw, shop, agent_id, day)
                differences = _differences(derive(row, shop=False), want)
                assert not differences, (shop.code, day, agent_id, differences)
                checked += 1
    assert checked > 30


def test_the_edge_cases_are_in_the_week(week):
    """The generated week holds what it promises, so the comparisons above cover them."""
    a, b, c = (week.shops[k] for k in "abc")
    x = week.agents["x"]
    wednesday, sunday = WEEK[2], WEEK[6]
    b_wednesday = derive(ShopDay.objects.filter(shop=b, day=wednesday).values().first(), shop=True)
    assert b_wednesday["orders"] == 0 and b_wednesday["average_order_value"] is None
    c_rows = {row["day"]: derive(row, shop=True) for row in ShopDay.objects.filter(shop=c).values()}
    assert c_rows[WEEK[0]]["refund_rate"] is None  # no order paid in its 30 days yet
    assert c_rows[sunday]["refund_rate"] == 1.0 and c_rows[sunday]["after_sale_rate"] == 1.0
    assert set(AgentDay.objects.filter(agent=x, day=sunday).values_list("shop_id", flat=True)) == {
        a.pk,
        b.pk,
    }
    # the reminder at 23:55 on Sunday, paid at 00:20 on Monday, is a success of Sunday's
    order = week.notes["midnight_order"]
    assert (day_of(order.payment_reminder.sent_at), day_of(order.paid_at)) == (sunday, AFTER.date())
    x_sunday = AgentDay.objects.get(shop=a, agent=x, day=sunday)
    assert x_sunday.reminders_paid >= 1 and x_sunday.inquiry_orders >= 1


def test_no_rate_of_the_week_passes_100_percent(week):
    rates = [key for key, figure in BY_KEY.items() if figure.kind == "rate"]
    for row in ShopDay.objects.values():
        figures = derive(row, shop=True)
        for key in rates:
            assert figures[key] is None or 0 <= figures[key] <= 1, (row["day"], key, figures[key])
