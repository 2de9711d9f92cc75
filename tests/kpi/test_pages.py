import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from kpi.days import local_day
from kpi.models import AgentDay
from tests.factories import make_user

from .factories import make_history

pytestmark = pytest.mark.django_db


def test_dashboard_shows_periods_with_definitions_and_chart_data(login, staff, shop):
    agents = [make_user(shop, Role.PRE_SALE) for _ in range(4)]
    make_history(shop, agents)
    response = login(staff[Role.MANAGER]).get(reverse("kpi:dashboard"), {"days": 7})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="kpi-chart-data" type="application/json"' in html
    assert 'title="付款人数 ÷ 询单人数（同一批当天询单的买家）；没有询单时无数据。"' in html
    chart = response.context["chart"]
    assert len(chart["days"]) == 7 and chart["inquiry_conversion"][0] == 0.4
    rows = {row["key"]: row["values"] for row in response.context["rows"]}
    assert rows["inquiry_conversion"][1:] == ["40.0%", "40.0%", "40.0%"]
    assert rows["refund_amount"] == ["¥0.00", "无数据", "无数据", "无数据"]  # rows made by hand
    assert [a["agent"] for a in response.context["best"]] == agents[::-1][:3]
    assert [a["agent"] for a in response.context["weakest"]] == [agents[0]]


def test_dashboard_query_count_does_not_grow_with_the_range(
    login, staff, shop, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_history(shop, [make_user(shop, Role.PRE_SALE) for _ in range(5)], days=370)
    client = login(staff[Role.MANAGER])
    counts = []
    for days in (7, 30, 365):
        cache.clear()
        with django_assert_max_num_queries(19), CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("kpi:dashboard"), {"days": days}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_agents_cannot_open_the_dashboard_or_the_agent_table(login, staff):
    client = login(staff[Role.AFTER_SALE])
    assert client.get(reverse("kpi:dashboard")).status_code == 403
    assert client.get(reverse("kpi:agents")).status_code == 403
    assert client.get(reverse("kpi:export")).status_code == 403


def test_supervisor_of_shop_a_cannot_see_shop_b(login, staff, other_shop):
    client = login(staff[Role.SUPERVISOR])
    foreign_agent = make_user(other_shop, Role.PRE_SALE)
    assert client.get(reverse("kpi:dashboard"), {"shop": "shop-b"}).status_code == 404
    assert client.get(reverse("kpi:agents"), {"shop": "shop-b"}).status_code == 404
    assert client.get(reverse("kpi:export"), {"shop": "shop-b"}).status_code == 404
    assert client.get(reverse("kpi:agent", args=[foreign_agent.pk])).status_code == 404


def test_agent_table_sorts_and_drills_down(login, staff, shop, day, now):
    """X received 4 buyers on the 22nd, Y one: the order follows the column and the
    direction, agents without figures last; the drill-down shows the chosen agent's day."""
    from kpi.compute import rollup_day

    rollup_day(shop, local_day(now) - timedelta(days=1), now=now)
    client = login(staff[Role.SUPERVISOR])

    def order(direction):
        response = client.get(
            reverse("kpi:agents"),
            {"period": "30", "sort": "reception_count", "dir": direction},
        )
        assert response.status_code == 200 and response.context["sort"] == "reception_count"
        return [row["agent"] for row in response.context["rows"]][:2]

    assert order("asc") == [day.y, day.x]
    assert order("desc") == [day.x, day.y]
    response = client.get(reverse("kpi:agent", args=[day.x.pk]), {"period": "30"})
    assert response.status_code == 200 and response.context["member"] == day.x
    assert [d["day"].isoformat() for d in response.context["days"]] == ["2026-11-22"]


def test_agent_table_today_and_drill_down_lists_the_conversations(login, staff, shop):
    from tests.factories import at

    from .factories import make_conversation

    agent = make_user(shop, Role.PRE_SALE)
    now = timezone.now()
    make_conversation(shop, created_at=now - timedelta(minutes=5), assignee=agent)
    make_conversation(shop, created_at=at(2020, 1, 1, 9, 0), assignee=agent)
    client = login(staff[Role.SUPERVISOR])
    response = client.get(reverse("kpi:agents"), {"period": "today"})
    assert [row["agent"] for row in response.context["rows"]] == [agent]
    response = client.get(reverse("kpi:agent", args=[agent.pk]), {"period": "today"})
    assert len(response.context["page"].object_list) == 1


def test_agent_sees_only_their_own_figures(login, staff, shop):
    me, colleague = staff[Role.PRE_SALE], make_user(shop, Role.PRE_SALE)
    make_history(shop, [me, colleague], days=3)
    AgentDay.objects.filter(agent=colleague).update(inquiry_count=999)
    client = login(me)
    response = client.get(reverse("kpi:mine"))
    assert response.status_code == 200
    assert "999" not in response.content.decode()
    assert client.get(reverse("kpi:agent", args=[colleague.pk])).status_code == 403
    assert client.get(reverse("kpi:agents")).status_code == 403


def test_export_is_an_xlsx_of_the_day(login, staff, shop, day):
    client = login(staff[Role.MANAGER])
    response = client.get(reverse("kpi:export"), {"date": "2026-11-22"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kpi-shop-a-2026-11-22.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    values = {row[0]: row[1] for row in book["店铺"].iter_rows(min_row=3, values_only=True)}
    assert values["销售额"] == Decimal("350.00") or values["销售额"] == 350
    assert values["退款金额"] == 0 and values["时效达标率"] == "无数据"
    agents = list(book["客服"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in agents] == ["9001", "9002"]


def test_api_report_has_the_kpi_report_shape_and_refuses_strangers(login, staff, day, other_shop):
    from kpi.definitions import AGENT_KEYS, SHOP_KEYS

    client = login(staff[Role.SUPERVISOR])
    response = client.get("/api/v1/kpi/report/", {"shop": "shop-a", "date": "2026-11-22"})
    assert response.status_code == 200
    body = response.json()
    assert list(body["shop"]) == [*SHOP_KEYS, "dsr"] and list(body["agents"]["9001"]) == AGENT_KEYS
    assert body["shop"]["sales"] == "350.00"
    assert client.get("/api/v1/kpi/report/", {"shop": "shop-b"}).status_code == 404
    assert client.get("/api/v1/kpi/report/", {"date": "yesterday"}).status_code == 400
    assert login(staff[Role.PRE_SALE]).get("/api/v1/kpi/report/").status_code == 403


def test_dashboard_lists_new_negative_reviews_with_links(login, staff, shop, other_shop):
    from tests.reviews.factories import make_review

    now = timezone.now()
    review = make_review(shop, reviewed_at=now - timedelta(hours=1), text="发货太慢了")
    make_review(other_shop, reviewed_at=now - timedelta(hours=1), text="别家的差评")
    response = login(staff[Role.MANAGER]).get(reverse("kpi:dashboard"))
    assert response.context["new_reviews"] == [review]
    assert reverse("reviews:detail", args=[review.pk]) in response.content.decode()


def test_dashboard_figure_table_escapes_every_text():
    from django.template.loader import render_to_string

    html = render_to_string(
        "kpi/_figure_table.html",
        {
            "periods": ["<u>"],
            "rows": [
                {"definition": '"><script>', "label": "<b>", "values": ["<i>", "&", "'", "1"]}
            ],
        },
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "<u>" not in html
    assert 'title="&quot;&gt;&lt;script&gt;"' in html
    assert '<td class="num">&amp;</td><td class="num">&#x27;</td>' in html


def test_agent_page_opens_on_today_when_the_finished_days_are_empty_and_says_why_when_empty(
    login, staff, shop, now
):
    from .factories import make_conversation

    agent = make_user(shop, Role.PRE_SALE)
    client = login(staff[Role.SUPERVISOR])
    url = reverse("kpi:agent", args=[agent.pk])
    page = client.get(url).content.decode()
    assert "没有分配给该客服的会话" in page and "近7天" in page
    make_conversation(
        shop, created_at=now - timedelta(minutes=5), assignee=agent, agent_message_count=0
    )
    response = client.get(url)
    assert response.context["period"] == "today"
    assert len(response.context["page"].object_list) == 1
    assert "未回复" in response.content.decode()
    assert client.get(url, {"period": "7"}).context["period"] == "7"


def test_dashboard_chart_is_each_days_figures_with_gaps_as_none(login, staff, shop, now):
    """Each series holds the figures ``derive`` gives for that day's rollup row, None on a
    day without one; the problem counts add up the charted days only (the 40 days read
    for the periods include older ones)."""
    from kpi.figures import derive
    from kpi.models import ShopDay

    make_history(shop, [make_user(shop, Role.PRE_SALE)], days=40)
    today = local_day(now)
    ShopDay.objects.filter(shop=shop, day=today - timedelta(days=3)).delete()
    ShopDay.objects.filter(shop=shop, day=today - timedelta(days=5)).update(
        problems_by_category={"wrong_item": 2}, refund_amount=Decimal("12.50")
    )
    response = login(staff[Role.MANAGER]).get(reverse("kpi:dashboard"), {"days": 7})
    chart = response.context["chart"]
    days = [today - timedelta(days=n) for n in range(7, 0, -1)]
    assert chart["days"] == [day.isoformat() for day in days]
    by_day = {row.day: row for row in ShopDay.objects.filter(shop=shop, day__in=days)}
    money = {"sales", "refund_amount", "after_sale_cost"}
    for key in (
        "sales",
        "inquiry_conversion",
        "first_response_seconds",
        "average_response_seconds",
        "refund_amount",
        "after_sale_cost",
    ):
        expected = []
        for day in days:
            value = derive(vars(by_day[day]), shop=True)[key] if day in by_day else None
            expected.append(str(value) if key in money and value is not None else value)
        assert chart[key] == expected, key
    assert chart["problems_by_category"] == {
        "address_change": 5,
        "out_of_stock": 2,
        "wrong_item": 2,
    }
