import json
from datetime import date

import pytest
from django.core.management import call_command

from helpdesk.jobs import run_job
from kpi.compute import rollup_day, today_counts
from kpi.definitions import AGENT_KEYS, SHOP_KEYS
from kpi.jobs import rollup_days
from kpi.models import AgentDay, ShopDay
from tests.factories import at

from .factories import make_conversation

pytestmark = pytest.mark.django_db
SUNDAY = date(2026, 11, 22)


def _rows():
    shop_rows = list(ShopDay.objects.order_by("day").values())
    agent_rows = list(AgentDay.objects.order_by("day", "agent_id").values())
    for row in shop_rows + agent_rows:
        row.pop("computed_at")
    return shop_rows, agent_rows


def test_rollup_job_computes_yesterday_and_the_open_window_day(day, now):
    report = run_job("kpi_rollup", shop=None, now=now)
    assert report["days"] == ["2026-11-21", "2026-11-22"]
    assert ShopDay.objects.get(shop=day.shop, day=SUNDAY).orders == 2
    assert set(AgentDay.objects.filter(day=SUNDAY).values_list("agent_id", flat=True)) == {
        day.x.pk,
        day.y.pk,
    }


def test_rollup_is_idempotent(day, now):
    run_job("kpi_rollup", shop=day.shop, now=now)
    first = _rows()
    run_job("kpi_rollup", shop=day.shop, now=now)
    assert _rows() == first


def test_recomputing_a_day_drops_an_agent_who_no_longer_has_figures(day, now):
    rollup_day(day.shop, SUNDAY, now=now)
    day.conversations[6].delete()
    rollup_day(day.shop, SUNDAY, now=now)
    assert list(AgentDay.objects.filter(day=SUNDAY).values_list("agent_id", flat=True)) == [
        day.x.pk
    ]


def test_a_two_day_window_re_rolls_three_days(shop, now):
    shop.conversion_window_hours = 48
    assert rollup_days(shop, now) == [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)]


def test_today_is_cached_briefly(shop, staff, now, django_assert_num_queries):
    today_counts(shop, now=now)
    with django_assert_num_queries(0):
        today_counts(shop, now=now)


def test_kpi_report_json_shape_and_values(day, capsys):
    call_command("kpi_report", "--shop", "shop-a", "--date", "2026-11-22", "--json")
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(report) == {"shop", "agents"}
    assert list(report["shop"]) == [*SHOP_KEYS, "dsr"]
    assert set(report["agents"]) == {"9001", "9002"}
    assert all(list(agent) == AGENT_KEYS for agent in report["agents"].values())
    x = report["agents"]["9001"]
    assert x["sales"] == "400.00" and x["average_order_value"] == "200.00"
    assert x["inquiry_conversion"] == 0.6667 and x["tickets_resolved"] == 0
    assert x["sla_kept_rate"] is None
    assert report["shop"]["sales"] == "350.00" and report["shop"]["orders"] == 2
    assert report["shop"]["problems_by_category"] == {"address_change": 2, "out_of_stock": 1}
    assert report["shop"]["refund_amount"] == "0.00"
    assert report["agents"]["9002"]["inquiry_conversion"] is None
    assert ShopDay.objects.filter(day=SUNDAY).exists()  # the dashboard reads the same row


def test_kpi_report_text_says_no_data(day, capsys):
    call_command("kpi_report", "--shop", "shop-a", "--date", "2026-11-22")
    out = capsys.readouterr().out
    assert "询单转化率: 66.7%" in out and "时效达标率: 无数据" in out


def test_kpi_report_rejects_a_bad_date_and_an_unknown_shop(shop):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("kpi_report", "--shop", "shop-a", "--date", "22/11/2026")
    with pytest.raises(CommandError, match="Unknown shop"):
        call_command("kpi_report", "--shop", "nope", "--date", "2026-11-22")


def test_unassigned_conversations_count_for_the_shop_only(shop):
    make_conversation(shop, created_at=at(2026, 11, 22, 9, 0), agent_message_count=0)
    counts = rollup_day(shop, SUNDAY, now=at(2026, 11, 23, 1, 0))
    assert counts.agents == {}
    assert counts.shop["inquiry_count"] == 1


def test_beat_runs_the_rollup_nightly_and_the_sample_on_mondays(shop, settings):
    from kpi.tasks import kpi_rollup, qa_sample

    assert settings.CELERY_BEAT_SCHEDULE["kpi.rollup"]["task"] == "kpi.tasks.kpi_rollup"
    assert settings.CELERY_BEAT_SCHEDULE["kpi.qa_sample"]["task"] == "kpi.tasks.qa_sample"
    assert kpi_rollup()["shop_rows"] == 2
    assert qa_sample()["queued"] == 0


def _order_report(path, rows: list[tuple[str, str]]):
    """A small order report: (order id, payment time) per row, 199.00 each."""
    header = (
        "订单编号,买家会员名,买家应付货款,买家应付邮费,总金额,买家实际支付金额,订单状态,"
        "收货人姓名,收货地址,订单创建时间,订单付款时间,宝贝标题,宝贝总数量"
    )
    lines = [header] + [
        f"{order_id},买家{order_id[-3:]},199.00,0.00,199.00,199.00,买家已付款，等待卖家发货,"
        f"张伟,浙江省 杭州市 西湖区 文三路 478号,{paid},{paid},连衣裙,1"
        for order_id, paid in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_an_order_report_imported_late_changes_that_days_figures_on_the_next_rollup(shop, tmp_path):
    from decimal import Decimal

    from orders.importing.run import import_file
    from tests.factories import make_order

    friday = date(2026, 11, 20)
    make_order(shop, paid_at=at(2026, 11, 20, 9, 0), total_amount=Decimal("100.00"))
    for night in (21, 22):
        run_job("kpi_rollup", shop=shop, now=at(2026, 11, night, 1, 0))
    row = ShopDay.objects.get(shop=shop, day=friday)
    assert (row.orders, row.sales) == (1, Decimal("100.00"))
    report_file = _order_report(
        tmp_path / "ExportOrderList202611231030.csv",
        [
            ("3900000000000000901", "2026-11-20 10:05:00"),
            ("3900000000000000902", "2026-11-20 23:59:00"),
        ],
    )
    import_file(report_file, shop=shop, now=at(2026, 11, 23, 9, 0))

    report = run_job("kpi_rollup", shop=shop, now=at(2026, 11, 24, 1, 0))
    assert "2026-11-20" in report["days"]
    row.refresh_from_db()
    assert (row.orders, row.sales) == (3, Decimal("498.00"))
    assert row.orders_30d == 3
    assert row.computed_at == at(2026, 11, 24, 1, 0)  # the figures say when
    assert ShopDay.objects.get(shop=shop, day=date(2026, 11, 22)).orders_30d == 3

    again = run_job("kpi_rollup", shop=shop, now=at(2026, 11, 25, 1, 0))
    assert "2026-11-20" not in again["days"]  # nothing changed since: left alone


def test_rates_of_a_day_never_rolled_up_with_orders_are_filled_by_the_next_rollup(shop):
    """Days with data but no row (a first import of history) are rolled up too."""
    from tests.factories import make_order

    make_order(shop, paid_at=at(2026, 11, 2, 9, 0))
    report = run_job("kpi_rollup", shop=shop, now=at(2026, 11, 23, 1, 0))
    assert "2026-11-02" in report["days"] and "2026-11-22" in report["days"]
    assert ShopDay.objects.get(shop=shop, day=date(2026, 11, 2)).orders == 1
