"""Bulk writes for imports without model instances.

A chunk's rows go into a temporary table (by COPY on PostgreSQL) and one
``INSERT … SELECT … ON CONFLICT`` moves them into the model's table. Building 2,000 model
instances and adapting 45 parameters each for an INSERT cost more Python time than all
the parsing of the file; COPY takes the rows as one stream of text. The columns the rows
do not carry get the model fields' defaults, as ``Model.objects.create`` would give them.

The same statements run on SQLite (the embedded demo mode), where the temporary table is
filled with ``executemany`` instead of COPY.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, models

STAGE = "import_stage"


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
    returning: Sequence[str] = (),
    now: datetime,
) -> list[tuple]:
    """Insert ``rows`` (values in the order of ``columns``, attribute names) into
    ``model``'s table. With ``conflict`` (the columns of a unique constraint) an existing
    row gets the ``update`` columns (or is left alone when ``update`` is empty). Returns
    the ``returning`` columns of the rows written. ``now`` fills the columns Django would
    stamp itself (``auto_now``/``auto_now_add``) when they are left out."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    absent = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    ]
    names = ", ".join(_quote(fields[name].column) for name in columns)
    table = _quote(model._meta.db_table)
    with connection.cursor() as cursor:
        prefix = "pg_temp" if connection.vendor == "postgresql" else "temp"
        cursor.execute(f"DROP TABLE IF EXISTS {prefix}.{STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} AS SELECT {names} FROM {table} LIMIT 0")
        count = _load(cursor, names, [fields[name] for name in columns], rows)
        if not count:
            return []
        sql = (
            f"INSERT INTO {table} ({', '.join([names, *(_quote(f.column) for f in absent)])}) "
            f"SELECT {', '.join([names, *(['%s'] * len(absent))])} FROM {STAGE} WHERE true"
        )
        if conflict:
            target = ", ".join(_quote(fields[name].column) for name in conflict)
            if update:
                assignments = ", ".join(
                    f"{column} = EXCLUDED.{column}"
                    for column in (_quote(fields[name].column) for name in update)
                )
                sql += f" ON CONFLICT ({target}) DO UPDATE SET {assignments}"
            else:
                sql += f" ON CONFLICT ({target}) DO NOTHING"
        if returning:
            sql += " RETURNING " + ", ".join(_quote(fields[name].column) for name in returning)
        cursor.execute(sql, [_default(field, now) for field in absent])
        written = cursor.fetchall() if returning else []
        cursor.execute(f"DROP TABLE {prefix}.{STAGE}")
    return written


def _load(cursor, names: str, fields: list[models.Field], rows: Iterable[Sequence]) -> int:
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
        json_at = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
        count = 0
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = json.dumps(row[i], ensure_ascii=False)
            writer.writerow(row)
            count += 1
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {STAGE} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)
        return count
    prepared = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]
        for row in rows
    ]
    if prepared:
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {STAGE} ({names}) VALUES ({placeholders})", prepared)
    return len(prepared)


def _default(field: models.Field, now: datetime):
    """The value ``Model.objects.create`` would store for a field left out, at ``now``."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    else:
        value = field.get_default()
    return field.get_db_prep_save(value, connection)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)
