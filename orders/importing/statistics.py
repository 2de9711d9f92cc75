"""Planner statistics during a big import.

The planner judges ``shop_id = …`` by the table's statistics. During a new shop's first
big import they do not know the shop, so it is estimated at one row and every lookup by
shop and order id walks all of the shop's orders written so far through whichever
shop-prefixed index is smallest: each chunk slower than the last, a 500,000-row file
never finishing. Once an import has created enough orders it analyzes the table inside
its own transaction (ANALYZE samples the rows this transaction wrote), and the lookups go
back to probing the unique (shop, order_id) index.

Only the columns those plans depend on are analyzed (the caller names them): ANALYZE
samples the same rows either way, but computing statistics for every column (addresses,
titles, the JSON of extra columns) took about three times as long on a 300,000-row
table, and a shop's table only grows.

ANALYZE holds a lock that only VACUUM, another ANALYZE and schema changes conflict with,
until the import commits; if another transaction holds it, the import does not wait more
than two seconds and carries on without fresh statistics.
"""

from collections.abc import Sequence

from django.db import DatabaseError, connection, models, transaction

LOCK_TIMEOUT = "2s"


def refresh_statistics(model: type[models.Model], *, fields: Sequence[str] = ()) -> bool:
    """ANALYZE the model's table (only the columns of ``fields``, when given) on
    PostgreSQL; True when done (or nothing to do)."""
    if connection.vendor != "postgresql":
        return True
    table = connection.ops.quote_name(model._meta.db_table)
    if fields:
        columns = (model._meta.get_field(name).column for name in fields)
        table += f" ({', '.join(connection.ops.quote_name(column) for column in columns)})"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"ANALYZE {table}")
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except DatabaseError:
        return False
    return True
