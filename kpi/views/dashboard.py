"""The owner's dashboard (all shops together, then each; or one shop in detail) and the
day's XLSX export."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from helpdesk import clock

from .. import pages, selectors
from ..dashboard import CHART_RANGES
from ..days import local_day
from ..dsr import dsr_as_of
from ..export import day_workbook
from .common import shop_choice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _days(request) -> int:
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        return 30
    return days if days in CHART_RANGES else 30


@login_required
def dashboard(request):
    """With several shops and none chosen: all of them together, then each one; with
    ?shop=CODE (or a single shop): that shop in detail."""
    shops, shop = shop_choice(request, "kpi.dashboard")
    now = clock.now()
    if len(shops) > 1 and not request.GET.get("shop"):
        context = pages.overview_page(request.user, shops, now=now)
        return render(request, "kpi/overview.html", {"shops": shops, **context})
    context = pages.shop_page(request.user, shop, now=now, days=_days(request))
    return render(request, "kpi/dashboard.html", {"shops": shops, "shop": shop, **context})


@login_required
def export_day(request):
    _shops, shop = shop_choice(request, "kpi.dashboard")
    now = clock.now()
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = local_day(now) - timedelta(days=1)
    shop_figures, agents = selectors.day_report_for(request.user, shop, day, now=now)
    response = HttpResponse(
        day_workbook(shop, day, shop_figures, agents, dsr_as_of(shop, day)), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="kpi-{shop.code}-{day}.xlsx"'
    return response
