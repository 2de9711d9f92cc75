"""The dashboard's reads are scoped to the user who reads: no caller has a check to
remember (kpi/sql.py, kpi.dashboard, kpi.selectors)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role
from kpi import selectors, sql
from kpi.dashboard import dashboard, overview
from kpi.days import local_day
from tests.factories import at, make_user

from .factories import make_history

pytestmark = pytest.mark.django_db


def _today():
    return local_day(timezone.now())


def test_rollup_reads_return_rows_only_for_users_who_may_see_the_dashboard(staff, shop):
    make_history(shop, [staff[Role.PRE_SALE]], days=3)
    today = _today()
    first = today - timedelta(days=5)

    def reads(user):
        return (
            sql.daily_rows(
                user=user, shop_id=shop.pk, first=first, rollups_from=first, today=today
            ),
            sql.shops_daily_rows(user=user, shop_ids=[shop.pk], first=first, today=today),
            sql.agent_sums(user=user, shop_id=shop.pk, first=first, last=today),
        )

    assert all(len(rows) > 0 for rows in reads(staff[Role.SUPERVISOR]))
    assert reads(staff[Role.AFTER_SALE]) == ([], [], [])


def test_new_reviews_need_reviews_view(staff, shop):
    from tests.reviews.factories import make_review

    make_review(shop, reviewed_at=at(2026, 11, 22, 9, 0))
    window = {"shop_id": shop.pk, "start": at(2026, 11, 22), "end": at(2026, 11, 23), "limit": 5}
    assert len(sql.new_reviews(user=staff[Role.MANAGER], **window)) == 1
    assert sql.new_reviews(user=staff[Role.PRE_SALE], **window) == []


def test_a_users_dashboard_and_overview_hold_only_their_shops(staff, shop, other_shop):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        dashboard(staff[Role.AFTER_SALE], shop, now=now)
    with pytest.raises(PermissionDenied):
        dashboard(staff[Role.MANAGER], other_shop, now=now)
    shown = overview(staff[Role.MANAGER], [shop, other_shop], now=now)
    assert [entry.shop for entry in shown.shops] == [shop]


def test_team_selectors_refuse_agents(staff, shop):
    agent = staff[Role.PRE_SALE]
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        selectors.agent_table(agent, shop, period="7", now=now)
    with pytest.raises(PermissionDenied):
        selectors.day_report_for(agent, shop, date(2026, 11, 22), now=now)
    assert not selectors.agent_conversations(agent, shop, agent, _today(), _today()).exists()
    assert selectors.agent_days(agent, shop, agent, _today(), _today()) == []
    colleague = make_user(shop, Role.PRE_SALE)
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.access_team_member(agent, shop, colleague.pk)
    assert selectors.access_team_member(staff[Role.SUPERVISOR], shop, colleague.pk) == colleague
