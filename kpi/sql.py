"""The dashboard's reads of the rollup and DSR tables as plain SQL.

The owner's dashboard must cost at most twice the time of reading its rollup rows
(bench/dashboard.py). Building and compiling these querysets took longer than PostgreSQL
took to run them, so the reads the page makes on every request are written out
here, with the list of new reviews (the reviews selector's queryset with its joins cost
three times the query). Portable SQL: the embedded mode runs the same statements on
SQLite, with dates and times adapted by the backend as the ORM would. Identifiers come from the models (table names, the counter lists), never from input;
values travel as query parameters.

Every function takes the user it reads for and reads only the shops where that user may
do the action the read serves (``kpi.dashboard``; ``reviews.view`` for the reviews): no
caller has a check to remember, and a shop the user may not see reads as empty."""

from collections import namedtuple
from datetime import date, datetime

from django.db import connection
from django.db.models import Field

from accounts.models import User
from accounts.permissions import shop_ids_for
from orders.models import Buyer
from reviews.models import Review

from .figures import SHOP_COUNTERS
from .models import AgentDay, ShopDay, ShopDsr

_DAILY = (
    f"SELECT d.day, s.generated, s.computed_at, {', '.join(f's.{name}' for name in SHOP_COUNTERS)}, "
    "r.description, r.service, r.logistics "
    f"FROM (SELECT day FROM {ShopDay._meta.db_table} WHERE shop_id = %(shop)s "
    "AND day >= %(rollups_from)s AND day >= %(first)s AND day < %(today)s "
    f"UNION SELECT day FROM {ShopDsr._meta.db_table} WHERE shop_id = %(shop)s "
    "AND day >= %(first)s AND day <= %(today)s) d "
    f"LEFT JOIN {ShopDay._meta.db_table} s ON s.shop_id = %(shop)s AND s.day = d.day "
    f"LEFT JOIN {ShopDsr._meta.db_table} r ON r.shop_id = %(shop)s AND r.day = d.day "
    "ORDER BY d.day DESC"
)
_DAILY_FIELDS = [
    ShopDay._meta.get_field("day"),
    ShopDay._meta.get_field("generated"),
    ShopDay._meta.get_field("computed_at"),
    # problems_by_category stays JSON text, as psycopg2 returns it for Django to decode
    *(
        None if name == "problems_by_category" else ShopDay._meta.get_field(name)
        for name in SHOP_COUNTERS
    ),
    *(ShopDsr._meta.get_field(name) for name in ("description", "service", "logistics")),
]
_SHOPS_DAILY = (
    f"SELECT shop_id, day, generated, computed_at, {', '.join(SHOP_COUNTERS)} "
    f"FROM {ShopDay._meta.db_table} WHERE shop_id IN ({{shops}}) "
    "AND day >= %s AND day < %s ORDER BY shop_id, day DESC"
)
_SHOPS_DAILY_FIELDS = [None, *_DAILY_FIELDS[:-3]]
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
_AGENT_SUM_FIELDS = [
    None,
    None,
    None,
    None,
    None,
    None,
    AgentDay._meta.get_field("inquiry_sales"),
    None,
    None,
]
_NEW_REVIEWS = (
    f"SELECT r.id, r.reviewed_at, r.rating, r.text, b.nick FROM {Review._meta.db_table} r "
    f"JOIN {Buyer._meta.db_table} b ON b.id = r.buyer_id "
    "WHERE r.shop_id = %s AND r.reviewed_at >= %s AND r.reviewed_at < %s "
    "ORDER BY r.reviewed_at DESC, r.id DESC LIMIT %s"
)


_REVIEW_FIELDS = [None, Review._meta.get_field("reviewed_at"), None, None, None]


def _fetch(sql: str, params: list | dict, fields: list[Field | None]) -> list[tuple]:
    """Run ``sql``; each column is converted as the ORM converts ``fields`` (None: as the
    driver returns it). psycopg2 returns dates, decimals and times typed already;
    SQLite's driver returns text and floats, which the ORM's converters turn back."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return rows
    converters = [_converters(field) for field in fields]
    return [
        tuple(_convert(value, column) for value, column in zip(row, converters, strict=True))
        for row in rows
    ]


def _converters(field: Field | None) -> list:
    if field is None:
        return []
    column = field.get_col(field.model._meta.db_table)
    found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    return [(converter, column) for converter in found]


def _convert(value, converters: list):
    for converter, column in converters:
        value = converter(value, column, connection)
    return value


DASHBOARD = "kpi.dashboard"
REVIEWS = "reviews.view"


def allowed(user, action: str, shop_ids: list[int]) -> list[int]:
    """The ids of ``shop_ids`` where ``user`` may do ``action`` (in their order)."""
    visible = set(shop_ids_for(user, action))
    return [shop_id for shop_id in shop_ids if shop_id in visible]


def daily_rows(*, user, shop_id: int, first: date, rollups_from: date, today: date) -> list[tuple]:
    """One row per day of [first, today] that has a rollup row (from ``rollups_from``, before
    today) or a DSR record, newest first: (day, generated, computed_at, *SHOP_COUNTERS, description,
    service, logistics), with None where the day has no such row; problems_by_category
    comes as JSON text. The rollups and the DSR records in one statement, so the DSR costs
    the page no query of its own."""
    if not allowed(user, DASHBOARD, [shop_id]):
        return []
    day = connection.ops.adapt_datefield_value
    return _fetch(
        _DAILY,
        {
            "shop": shop_id,
            "first": day(first),
            "rollups_from": day(rollups_from),
            "today": day(today),
        },
        _DAILY_FIELDS,
    )


def shops_daily_rows(*, user, shop_ids: list[int], first: date, today: date) -> list[tuple]:
    """The rollup rows of those of ``shop_ids`` the user may see, for the days
    [first, today), by shop and newest day first: (shop_id, day, generated, computed_at,
    *SHOP_COUNTERS)."""
    shop_ids = allowed(user, DASHBOARD, shop_ids)
    if not shop_ids:
        return []
    day = connection.ops.adapt_datefield_value
    return _fetch(
        _SHOPS_DAILY.format(shops=", ".join(["%s"] * len(shop_ids))),
        [*shop_ids, day(first), day(today)],
        _SHOPS_DAILY_FIELDS,
    )


def agent_sums(*, user, shop_id: int, first: date, last: date) -> list[AgentSums]:
    """Each agent's summed inquiry, paying, sales and first-response counters over
    [first, last], with the names the pages show, ordered by agent id."""
    if not allowed(user, DASHBOARD, [shop_id]):
        return []
    day = connection.ops.adapt_datefield_value
    rows = _fetch(_AGENT_SUMS, [shop_id, day(first), day(last)], _AGENT_SUM_FIELDS)
    return [AgentSums(*row) for row in rows]


def new_reviews(*, user, shop_id: int, start: datetime, end: datetime, limit: int) -> list[Review]:
    """The shop's neutral/negative reviews received in [start, end), newest first, as
    Review objects holding what the dashboard lists (id, time, rating, text) and the
    buyer's nick as ``buyer_nick``; none when the user may not view the shop's reviews."""
    if not allowed(user, REVIEWS, [shop_id]):
        return []
    reviews = []
    moment = connection.ops.adapt_datetimefield_value
    rows = _fetch(_NEW_REVIEWS, [shop_id, moment(start), moment(end), limit], _REVIEW_FIELDS)
    for pk, reviewed_at, rating, text, nick in rows:
        review = Review(pk=pk, shop_id=shop_id, reviewed_at=reviewed_at, rating=rating, text=text)
        review.buyer_nick = nick
        reviews.append(review)
    return reviews
