"""Bulk writes for imports without model instances.

A chunk's rows go into a temporary table (by COPY on PostgreSQL) and one
``INSERT … SELECT … ON CONFLICT`` moves them into the model's table. Building 2,000 model
instances and adapting 45 parameters each for an INSERT cost more Python time than all
the parsing of the file; COPY takes the rows as one stream of text. The columns the rows
do not carry get the model fields' defaults, as ``Model.objects.create`` would give them.

On PostgreSQL a temporary table is created once per transaction for each set of
columns (``ON COMMIT DROP``) and emptied before each use: an import writes one chunk after
another in one transaction, and creating and dropping a 30-column table for every chunk
cost more than the COPY into it (catalog rows written and deleted each time), while
emptying a table created in the same transaction truncates its file in place.

The same statements run on SQLite (the embedded demo mode), where the temporary table is
created for each call and filled with ``executemany`` instead of COPY.
"""

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, models, transaction

STAGE = "import_stage"


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
    returning: Sequence[str] = (),
    then: tuple[str, Sequence] | None = None,
    now: datetime,
) -> list[tuple]:
    """Insert ``rows`` (values in the order of ``columns``, attribute names) into
    ``model``'s table. With ``conflict`` (the columns of a unique constraint) an existing
    row gets the ``update`` columns (or is left alone when ``update`` is empty). Returns
    the ``returning`` columns of the rows written. ``now`` fills the columns Django would
    stamp itself (``auto_now``/``auto_now_add``) when they are left out.

    ``then`` (PostgreSQL only: SQL and its parameters) continues the statement after
    ``WITH written AS (INSERT … RETURNING …)``: more common table expressions that read
    ``written`` and the final SELECT, whose rows are returned instead; so rows that
    follow from the written ones are written in the same statement."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    absent = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    ]
    names = ", ".join(_quote(fields[name].column) for name in columns)
    table = _quote(model._meta.db_table)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        stage = _stage(cursor, table, names)
        count = _load(cursor, stage, names, [fields[name] for name in columns], rows)
        if not count:
            return []
        sql = (
            f"INSERT INTO {table} ({', '.join([names, *(_quote(f.column) for f in absent)])}) "
            f"SELECT {', '.join([names, *(['%s'] * len(absent))])} FROM {stage} WHERE true"
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
        params = [_default(field, now) for field in absent]
        if then:
            sql = f"WITH written AS ({sql}) {then[0]}"
            params += then[1]
        cursor.execute(sql, params)
        written = cursor.fetchall() if returning else []
        if connection.vendor != "postgresql":
            cursor.execute(f"DROP TABLE {stage}")
    return written


def _stage(cursor, table: str, names: str) -> str:
    """An empty temporary table with these columns of ``table``; its qualified name."""
    if connection.vendor != "postgresql":
        cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} AS SELECT {names} FROM {table} LIMIT 0")
        return f"temp.{STAGE}"
    digest = hashlib.sha1(f"{table}({names})".encode(), usedforsecurity=False).hexdigest()
    stage = f"pg_temp.{STAGE}_{digest[:12]}"
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage.removeprefix('pg_temp.')} ON COMMIT DROP"
        f" AS SELECT {names} FROM {table} LIMIT 0"
    )
    cursor.execute(f"TRUNCATE {stage}")
    return stage


def _load(
    cursor, stage: str, names: str, fields: list[models.Field], rows: Iterable[Sequence]
) -> int:
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
        json_at = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
        if json_at:
            rows = [_with_json(row, json_at) for row in rows]
        elif not isinstance(rows, list):
            rows = list(rows)
        writer.writerows(rows)
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {stage} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)
        return len(rows)
    prepared = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]
        for row in rows
    ]
    if prepared:
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {stage} ({names}) VALUES ({placeholders})", prepared)
    return len(prepared)


# One encoder for every row: json.dumps with an argument builds a new encoder per call.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _with_json(row: Sequence, json_at: list[int]) -> list:
    row = list(row)
    for i in json_at:
        row[i] = _encode_json(row[i])
    return row


def _default(field: models.Field, now: datetime):
    """The value ``Model.objects.create`` would store for a field left out, at ``now``."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    else:
        value = field.get_default()
    return field.get_db_prep_save(value, connection)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)
