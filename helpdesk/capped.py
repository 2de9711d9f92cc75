"""Counts and pages whose cost does not grow with the table (issue 24, "flat at a million").

A list page used to ask ``COUNT(*)`` of every row its filter matches, and its badges a
``GROUP BY`` over every open row: at a million rows that is the page's cost. Here a count
reads at most ``CAP + 1`` rows (``SELECT count(*) FROM (… LIMIT CAP + 1)``, walked on the
filter's index) and says "999+" beyond; the pager offers the pages those rows fill and no
deeper offset, so every page costs the same at any size (narrow the filter to go further).
"""

from dataclasses import dataclass
from functools import cached_property, total_ordering

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

CAP = 999


@total_ordering
@dataclass(frozen=True, eq=False)
class CappedCount:
    """An exact count up to ``cap``; ``value == cap + 1`` means "more than cap". Compares
    and adds like its value, prints as "999+" past the cap."""

    value: int
    cap: int

    def __eq__(self, other) -> bool:
        return self.value == int(other) if isinstance(other, int | CappedCount) else NotImplemented

    def __lt__(self, other) -> bool:
        return self.value < int(other) if isinstance(other, int | CappedCount) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.value)

    @property
    def over(self) -> bool:
        return self.value > self.cap

    def __str__(self) -> str:
        return f"{self.cap}+" if self.over else str(self.value)

    def __int__(self) -> int:
        return self.value

    def __bool__(self) -> bool:
        return self.value > 0

    def __add__(self, other: "CappedCount") -> "CappedCount":
        return CappedCount(min(self.value + int(other), self.cap + 1), self.cap)

    __radd__ = __add__


def capped_count(rows: QuerySet | list, cap: int | None = None) -> CappedCount:
    """One query: the rows of ``rows`` up to ``cap + 1`` (a list is measured as it is)."""
    cap = CAP if cap is None else cap
    if not isinstance(rows, QuerySet):
        return CappedCount(min(len(rows), cap + 1), cap)
    return CappedCount(rows.order_by()[: cap + 1].count(), cap)


@dataclass(frozen=True)
class CappedSum:
    """The sum of a non-negative integer column over a queryset, for ``capped_counts``: only
    rows where it is above zero are read, at most ``cap + 1`` of them; each adds at least
    one, so reading them all means the sum is over the cap anyway."""

    queryset: QuerySet
    field: str


def capped_counts(
    querysets: dict[str, QuerySet | CappedSum], cap: int | None = None
) -> dict[str, CappedCount]:
    """Several capped counts (or sums) in one query: one scalar subquery per key, each
    stopping after ``cap + 1`` rows of its own index range (a GROUP BY or an aggregate
    with FILTER would read every matching row)."""
    if not querysets:
        return {}
    cap = CAP if cap is None else cap
    parts, params = [], []
    database = None
    for item in querysets.values():
        if isinstance(item, CappedSum):
            rows = item.queryset.filter(**{f"{item.field}__gt": 0}).values(item.field)
            total = f'coalesce(sum("{item.field}"), 0)'
        else:
            rows, total = item.values("pk"), "count(*)"
        database = rows.db
        sql, part_params = rows.order_by()[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT {total} FROM ({sql}) AS capped)")
        params.extend(part_params)
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {
        key: CappedCount(min(int(value), cap + 1), cap)
        for key, value in zip(querysets, row, strict=True)
    }


class CappedPaginator(Paginator):
    """Django's paginator over a capped count: at most ``(cap + 1) / per_page`` pages, the
    count shown as "999+" beyond. The page itself is the same LIMIT/OFFSET query, with the
    offset bounded by the cap."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap

    @cached_property
    def capped(self) -> CappedCount:
        return capped_count(self.object_list, self.cap)

    @cached_property
    def count(self) -> int:
        return self.capped.value

    @property
    def count_label(self) -> str:
        return str(self.capped)

    @property
    def num_pages_label(self) -> str:
        """The number of pages, with "+" when the count reached the cap."""
        return f"{self.num_pages}+" if self.capped.over else str(self.num_pages)
