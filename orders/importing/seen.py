"""Keys already read in this file, kept in a temporary table instead of process memory.

A 500k-row file would need a 50 MB dict to remember every order id and the line it was
on; the database keeps them for the length of the import's transaction instead, one
INSERT … ON CONFLICT DO NOTHING per chunk tells which keys were already there, and the
rollback or the end of the import drops the table. The same table names the orders the
file touched, for problem detection at the end.
"""

from django.db import connection


class SeenKeys:
    def __init__(self):
        prefix = "pg_temp." if connection.vendor == "postgresql" else "temp."
        self.table = f"{prefix}orders_import_seen"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(
                "CREATE TEMPORARY TABLE orders_import_seen ("
                " key varchar(120) PRIMARY KEY, order_id varchar(19) NOT NULL,"
                " line integer NOT NULL)"
            )
            cursor.execute(
                "CREATE INDEX orders_import_seen_order_id ON orders_import_seen (order_id)"
            )

    def claim(self, entries: list[tuple[str, str, int]]) -> dict[str, int]:
        """Record (key, order id, line) entries; return {key: first line} for those
        seen before, in this chunk or an earlier one."""
        first: dict[str, int] = {}
        repeated: dict[str, int] = {}
        for key, _order_id, line in entries:
            if key in first:
                repeated.setdefault(key, first[key])
            else:
                first[key] = line
        fresh = [entry for entry in entries if first.get(entry[0]) == entry[2]]
        if not fresh:
            return repeated
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {self.table} (key, order_id, line)"
                    " SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::integer[])"
                    " ON CONFLICT (key) DO NOTHING RETURNING key",
                    [list(column) for column in zip(*fresh, strict=True)],
                )
            else:
                placeholders = ",".join(["(%s,%s,%s)"] * len(fresh))
                cursor.execute(
                    f"INSERT INTO {self.table} (key, order_id, line) VALUES {placeholders}"
                    " ON CONFLICT (key) DO NOTHING RETURNING key",
                    [value for entry in fresh for value in entry],
                )
            inserted = {key for (key,) in cursor.fetchall()}
            earlier = [entry[0] for entry in fresh if entry[0] not in inserted]
            if earlier:
                cursor.execute(
                    f"SELECT key, line FROM {self.table} WHERE key IN"
                    f" ({','.join(['%s'] * len(earlier))})",
                    earlier,
                )
                for key, line in cursor.fetchall():
                    repeated[key] = line
        return repeated

    def order_id_batches(self, size: int):
        """The order ids read, in batches (keyset pages over the table's index). Plain id
        lists are used rather than a join with the table: in the import's transaction the
        planner has no statistics for the orders just written and may choose a nested
        loop over a sequential scan."""
        last = ""
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT DISTINCT order_id FROM {self.table} WHERE order_id > %s"
                    " ORDER BY order_id LIMIT %s",
                    [last, size],
                )
                batch = [order_id for (order_id,) in cursor.fetchall()]
            if not batch:
                return
            yield batch
            last = batch[-1]

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
