"""Keyset pagination ("← newer · older →") for the lists whose depth grows without end
(issue 24): the audit log, the outbox's sent messages, orders, reviews.

An OFFSET page reads and throws away every row before it, so page 1,000 of the audit log
costs a thousand pages. Here a page starts after the last row the reader saw: the link
carries that row's ordering key and id (a *cursor*), and the next page is "the ``per_page``
rows just older than (key, id)", walked on an index of ``(…, key DESC, id DESC)`` from that
point. Every page, the first or the millionth, reads ``per_page + 1`` rows.

Cursors are signed (``django.core.signing``, salted per list): a cursor that was cut,
edited or made for another list is refused with a clear message, never a 500; the pages
then show the newest rows (status 400), the API answers 400. The signature protects the
server from odd input only; a cursor grants nothing, since every page still reads through
the user's selector.

The work queues (after-sale tickets, problem orders, chats) keep the capped pager
(helpdesk/capped.py): by default they show open work, which the team keeps short, sorted by
due time (soonest first, empty due times apart). Their filters for finished work (the
after-sale queue's "done") still stop at 999 rows; not paged by keyset yet. A conversation
shows its latest 200 messages and does not page.

A list's order is always newest first on one timestamp, then id (the id breaks ties, so a
row is never shown twice nor skipped when many share a time). A nullable timestamp sorts
its empty rows last, as the oldest: the key is ``COALESCE(field, EARLIEST)``, and the
matching index is built on that same expression (``Keyset.index``).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import urlencode

from django.core import signing
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .capped import CappedCount, capped_count
from .errors import DomainError

# Empty timestamps sort as this moment: before any real order, review or message.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = "cursor"
OLDER, NEWER = "o", "n"
_ALIAS = "keyset_key"


class BadCursor(DomainError):
    """The cursor was not made by this list (cut, edited, or from another list)."""

    def __init__(self):
        super().__init__(_("翻页位置无效（链接可能被改动过），已回到最新一页。"))


@dataclass(frozen=True)
class Keyset:
    """One list's order: newest first on ``field``, then id. ``name`` salts its cursors,
    so a cursor of the audit log is refused by the orders list."""

    name: str
    field: str
    nullable: bool = False

    def key(self):
        if self.nullable:
            return Coalesce(F(self.field), Value(EARLIEST, output_field=models.DateTimeField()))
        return F(self.field)

    def index(self, *leading: str, name: str, condition: Q | None = None) -> models.Index:
        """The index that walks this order within ``leading`` (e.g. the shop)."""
        return models.Index(
            *(F(column) for column in leading),
            self.key().desc(),
            F("id").desc(),
            name=name,
            condition=condition,
        )

    # --- cursors -----------------------------------------------------------------------

    def _salt(self) -> str:
        return f"helpdesk.keyset.{self.name}"

    def cursor(self, row, direction: str) -> str:
        value = getattr(row, self.field) or EARLIEST
        return signing.dumps([direction, value.isoformat(), row.pk], salt=self._salt())

    def position(self, cursor: str) -> tuple[str, datetime, int]:
        """(direction, key, id) of a cursor this list made; BadCursor otherwise."""
        try:
            direction, key, pk = signing.loads(cursor, salt=self._salt())
            moment = datetime.fromisoformat(key)
        except (signing.BadSignature, ValueError, TypeError):
            raise BadCursor from None
        valid = direction in (OLDER, NEWER) and type(pk) is int and moment.tzinfo is not None
        if not valid:
            raise BadCursor
        return direction, moment, pk

    # --- pages ---------------------------------------------------------------------------

    def page(self, rows: QuerySet, cursor: str | None, per_page: int) -> "KeysetPage":
        """The page of ``rows`` that ``cursor`` points at (the newest without one): one
        query of ``per_page + 1`` rows. Raises BadCursor for a cursor it did not make."""
        keyed = rows.alias(**{_ALIAS: self.key()})
        if not cursor:
            found = list(self._newest_first(keyed)[: per_page + 1])
            return KeysetPage(self, rows, found[:per_page], more_older=len(found) > per_page)
        direction, key, pk = self.position(cursor)
        # The plain bound (key <= cursor's) is what PostgreSQL starts the index scan at;
        # the OR alone would be a filter over every row before the cursor.
        if direction == OLDER:
            older = keyed.filter(
                Q(**{f"{_ALIAS}__lte": key}),
                Q(**{f"{_ALIAS}__lt": key}) | Q(**{_ALIAS: key, "pk__lt": pk}),
            )
            found = list(self._newest_first(older)[: per_page + 1])
            return KeysetPage(
                self, rows, found[:per_page], more_older=len(found) > per_page, more_newer=True
            )
        newer = keyed.filter(
            Q(**{f"{_ALIAS}__gte": key}),
            Q(**{f"{_ALIAS}__gt": key}) | Q(**{_ALIAS: key, "pk__gt": pk}),
        )
        found = list(newer.order_by(F(_ALIAS).asc(), F("pk").asc())[: per_page + 1])
        return KeysetPage(
            self, rows, found[:per_page][::-1], more_older=True, more_newer=len(found) > per_page
        )

    def page_for(self, params, rows: QuerySet, per_page: int) -> "KeysetPage":
        """For pages: the page that ``params`` (request.GET) point at; a refused cursor
        shows the newest rows, marked ``refused``. The pager's links keep ``params``."""
        try:
            page = self.page(rows, params.get(CURSOR), per_page)
        except BadCursor as error:
            page = self.page(rows, None, per_page)
            page.refused = str(error)
        page.params = params
        return page

    @staticmethod
    def _newest_first(rows: QuerySet) -> QuerySet:
        return rows.order_by(F(_ALIAS).desc(), F("pk").desc())


@dataclass
class KeysetPage:
    """One page of a keyset list: its rows (newest first) and cursors to both sides."""

    keyset: Keyset
    queryset: QuerySet
    rows: list
    more_older: bool
    more_newer: bool = False
    refused: str = ""
    params: QueryDict | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def is_newest(self) -> bool:
        return not self.more_newer

    @property
    def older_cursor(self) -> str | None:
        return self.keyset.cursor(self.rows[-1], OLDER) if self.more_older and self.rows else None

    @property
    def newer_cursor(self) -> str | None:
        return self.keyset.cursor(self.rows[0], NEWER) if self.more_newer and self.rows else None

    @property
    def status(self) -> int:
        """The HTTP status of a page showing this: 400 when the cursor was refused."""
        return BadCursor.status_code if self.refused else 200

    @cached_property
    def count(self) -> CappedCount:
        """How many rows the filter matches, capped ("999+"): one query, when shown."""
        return capped_count(self.queryset)

    def _query(self, cursor: str | None) -> str:
        """A query string for the pager: every filter of ``params``, and the cursor."""
        params = self.params or QueryDict()
        kept = [(k, v) for k, values in params.lists() if k not in (CURSOR, "page") for v in values]
        return urlencode(kept + ([(CURSOR, cursor)] if cursor else []))

    @property
    def older_query(self) -> str | None:
        cursor = self.older_cursor
        return self._query(cursor) if cursor else None

    @property
    def newer_query(self) -> str | None:
        cursor = self.newer_cursor
        return self._query(cursor) if cursor else None

    @property
    def newest_query(self) -> str | None:
        return None if self.is_newest else self._query(None)


class KeysetPagination(BasePagination):
    """The list APIs' pagination over a ``Keyset``: ``?cursor=`` from the ``next`` or
    ``previous`` link, ``?page_size=`` up to 100. No total count: counting a million rows
    is what the cursor avoids. A bad cursor answers 400."""

    keyset: Keyset
    page_size = 50
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None) -> list:
        self.request = request
        try:
            self.current = self.keyset.page(
                queryset, request.query_params.get(CURSOR), self._page_size(request)
            )
        except BadCursor as error:
            raise ValidationError({CURSOR: [str(error)]}) from None
        return self.current.rows

    def _page_size(self, request) -> int:
        try:
            wanted = int(request.query_params.get("page_size", self.page_size))
        except ValueError:
            return self.page_size
        return min(max(wanted, 1), self.max_page_size)

    def _link(self, cursor: str | None) -> str | None:
        if not cursor:
            return None
        return replace_query_param(self.request.build_absolute_uri(), CURSOR, cursor)

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "next": self._link(self.current.older_cursor),
                "previous": self._link(self.current.newer_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": CURSOR,
                "in": "query",
                "required": False,
                "description": "where the page starts: from the next or previous link",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": f"rows per page (at most {self.max_page_size})",
                "schema": {"type": "integer"},
            },
        ]
