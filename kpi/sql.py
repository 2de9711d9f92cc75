"""The dashboard's reads of the rollup and DSR tables as plain SQL.

The owner's dashboard must cost at most twice the time of reading its rollup rows
(bench/dashboard.py). Building and compiling these querysets took longer than PostgreSQL
took to run them, so the reads the page makes on every request are written out
here, with the list of new reviews (the reviews selector's queryset with its joins cost
three times the query). Identifiers come from the models (table names, the counter lists), never from input;
values travel as query parameters."""

from collections import namedtuple
from datetime import date, datetime

from django.db import connection

from accounts.models import User
from orders.models import Buyer
from reviews.models import Review

from .figures import SHOP_COUNTERS
from .models import AgentDay, ShopDay, ShopDsr

_DAILY = (
    f"SELECT d.day, s.generated, {', '.join(f's.{name}' for name in SHOP_COUNTERS)}, "
    "r.description, r.service, r.logistics "
    "FROM (SELECT generate_series(%(first)s::date, %(today)s::date, interval '1 day')::date"
    " AS day) d "
    f"LEFT JOIN {ShopDay._meta.db_table} s ON s.shop_id = %(shop)s AND s.day = d.day "
    "AND s.day >= %(rollups_from)s AND s.day < %(today)s "
    f"LEFT JOIN {ShopDsr._meta.db_table} r ON r.shop_id = %(shop)s AND r.day = d.day "
    "WHERE s.id IS NOT NULL OR r.id IS NOT NULL ORDER BY d.day DESC"
)
AgentSums = namedtuple(
    "AgentSums",
    "agent_id username display_name work_number inquiries paying sold "
    "first_response_total first_response_n",
)
_AGENT_SUMS = (
    "SELECT a.agent_id, u.username, u.display_name, u.work_number, SUM(a.inquiry_count), "
    "SUM(a.paying_count), SUM(a.inquiry_sales), SUM(a.first_response_total), "
    f"SUM(a.first_response_n) FROM {AgentDay._meta.db_table} a "
    f"JOIN {User._meta.db_table} u ON u.id = a.agent_id "
    "WHERE a.shop_id = %s AND a.day >= %s AND a.day <= %s "
    "GROUP BY a.agent_id, u.username, u.display_name, u.work_number ORDER BY a.agent_id"
)
_NEW_REVIEWS = (
    f"SELECT r.id, r.reviewed_at, r.rating, r.text, b.nick FROM {Review._meta.db_table} r "
    f"JOIN {Buyer._meta.db_table} b ON b.id = r.buyer_id "
    "WHERE r.shop_id = %s AND r.reviewed_at >= %s AND r.reviewed_at < %s "
    "ORDER BY r.reviewed_at DESC, r.id DESC LIMIT %s"
)


def _fetch(sql: str, params: list | dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def daily_rows(shop_id: int, *, first: date, rollups_from: date, today: date) -> list[tuple]:
    """One row per day of [first, today] that has a rollup row (from ``rollups_from``, before
    today) or a DSR record, newest first: (day, generated, *SHOP_COUNTERS, description,
    service, logistics), with None where the day has no such row; problems_by_category
    comes as JSON text. The rollups and the DSR records in one statement, so the DSR costs
    the page no query of its own."""
    return _fetch(
        _DAILY, {"shop": shop_id, "first": first, "rollups_from": rollups_from, "today": today}
    )


def agent_sums(shop_id: int, first: date, last: date) -> list[AgentSums]:
    """Each agent's summed inquiry, paying, sales and first-response counters over
    [first, last], with the names the pages show, ordered by agent id."""
    return [AgentSums(*row) for row in _fetch(_AGENT_SUMS, [shop_id, first, last])]


def new_reviews(shop_id: int, start: datetime, end: datetime, limit: int) -> list[Review]:
    """The shop's neutral/negative reviews received in [start, end), newest first, as
    Review objects holding what the dashboard lists (id, time, rating, text) and the
    buyer's nick as ``buyer_nick``. The caller checks ``reviews.view`` on the shop."""
    reviews = []
    for pk, reviewed_at, rating, text, nick in _fetch(_NEW_REVIEWS, [shop_id, start, end, limit]):
        review = Review(pk=pk, shop_id=shop_id, reviewed_at=reviewed_at, rating=rating, text=text)
        review.buyer_nick = nick
        reviews.append(review)
    return reviews
