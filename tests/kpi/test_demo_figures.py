"""The demo's dashboard must not show a rate above 100 % (it once read 售后率 140.0 %)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from helpdesk.jobs import run_job
from kpi.definitions import BY_KEY
from kpi.figures import derive
from kpi.models import ShopDay

pytestmark = pytest.mark.django_db
PERCENT = re.compile(r"(\d[\d,]*(?:\.\d+)?)%")
RATES = [key for key, figure in BY_KEY.items() if figure.kind == "rate"]


def _percentages(html: str) -> list[float]:
    return [float(value.replace(",", "")) for value in PERCENT.findall(html)]


def _assert_no_rate_above_100_percent(client):
    manager = User.objects.get(username="wangfang")
    client.force_login(manager)
    pages = [client.get(reverse("kpi:dashboard"))]
    pages += [
        client.get(reverse("kpi:dashboard"), {"shop": entry["shop"].code})
        for entry in pages[0].context.get("each", [])
    ]
    assert len(pages) > 1  # the demo manager has several shops: overview, then each
    for response in pages:
        assert response.status_code == 200
        found = _percentages(response.content.decode())
        assert found and max(found) <= 100, max(found)
    for row in ShopDay.objects.values():
        figures = derive(row, shop=True)
        for key in RATES:
            assert figures[key] is None or 0 <= figures[key] <= 1, (row["day"], key)


def test_the_demo_dashboard_shows_no_rate_above_100_percent(client):
    call_command("seed_demo")
    _assert_no_rate_above_100_percent(client)
    run_job("kpi_rollup", shop=None, now=timezone.now())  # real figures replace the made-up
    _assert_no_rate_above_100_percent(client)
