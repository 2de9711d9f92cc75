"""What this file has shown so far, kept in temporary tables instead of process memory.

A 500k-row file would need a 50 MB dict to remember every key and the line it was on;
the database keeps them for the length of the import's transaction instead. One
INSERT … ON CONFLICT DO NOTHING per chunk tells which keys were already there, and the
rollback or the end of the import drops the tables. A second table holds the primary
keys of the orders the file touched, for problem detection at the end: by primary key,
because lookups by shop are planned badly while a new shop's first big import is under
way (the statistics do not know the shop yet, so the planner walks all of its orders
through a shop-prefixed index for every batch).
"""

from django.db import connection

SEEN = "orders_import_seen"
TOUCHED = "orders_import_touched"
SEEN_TYPES = ["varchar", "integer"]


class SeenKeys:
    def __init__(self):
        self.prefix = "pg_temp" if connection.vendor == "postgresql" else "temp"
        self.touched_table = f"{self.prefix}.{TOUCHED}"
        self.drop()
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {SEEN} (key varchar(120) PRIMARY KEY, line integer NOT NULL)"
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {TOUCHED} (pk bigint PRIMARY KEY)")

    def claim(self, entries: list[tuple[str, int]]) -> dict[str, int]:
        """Record (key, line) entries; return {key: first line} for those seen before, in
        this chunk or an earlier one."""
        first: dict[str, int] = {}
        repeated: dict[str, int] = {}
        for key, line in entries:
            if key in first:
                repeated.setdefault(key, first[key])
            else:
                first[key] = line
        fresh = list(first.items())
        if not fresh:
            return repeated
        with connection.cursor() as cursor:
            inserted = {
                row[0] for row in _insert(cursor, f"{self.prefix}.{SEEN}", SEEN_TYPES, fresh)
            }
            earlier = [key for key, _line in fresh if key not in inserted]
            if earlier:
                cursor.execute(
                    f"SELECT key, line FROM {self.prefix}.{SEEN} WHERE key IN"
                    f" ({','.join(['%s'] * len(earlier))})",
                    earlier,
                )
                repeated.update(cursor.fetchall())
        return repeated

    def touch(self, pks: list[int]) -> None:
        """Note orders the file wrote or found unchanged."""
        if pks:
            with connection.cursor() as cursor:
                _insert(cursor, f"{self.prefix}.{TOUCHED}", ["bigint"], [(pk,) for pk in pks])

    def touched_batches(self, size: int):
        """The touched orders' primary keys, in batches (keyset pages over the table)."""
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT pk FROM {self.prefix}.{TOUCHED} WHERE pk > %s ORDER BY pk LIMIT %s",
                    [last, size],
                )
                batch = [pk for (pk,) in cursor.fetchall()]
            if not batch:
                return
            yield batch
            last = batch[-1]

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.prefix}.{SEEN}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.prefix}.{TOUCHED}")


def _insert(cursor, table: str, types: list[str], rows: list[tuple]) -> list[tuple]:
    """INSERT … ON CONFLICT DO NOTHING; the rows inserted. On PostgreSQL the rows travel
    as one array per column (``types`` are the columns' SQL types)."""
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        cursor.execute(
            f"INSERT INTO {table} SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING RETURNING *",
            [list(column) for column in zip(*rows, strict=True)],
        )
    else:
        row = "(" + ",".join(["%s"] * len(types)) + ")"
        cursor.execute(
            f"INSERT INTO {table} VALUES {','.join([row] * len(rows))}"
            " ON CONFLICT DO NOTHING RETURNING *",
            [value for values in rows for value in values],
        )
    return cursor.fetchall()
