"""The import of one file, as the command and the upload task both run it.

Transaction design: the whole file is imported in ONE database transaction. A fatal error
(unreadable file, missing required column, --strict with row errors), an exception or a
worker killed mid-file rolls everything back, so no half-written import is ever visible;
--dry-run runs the very same code and rolls back at the end, so its report is exactly what
the import would do, problems included. The shop's row is locked (FOR NO KEY UPDATE, which
does not block rows that merely reference the shop) so two imports for one shop run one
after the other. The cost is that progress written inside the transaction is invisible to
other connections: progress is reported through a callback (the task puts it in the cache).
"""

import contextlib
import gc
import itertools
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop
from helpdesk.spreadsheets.errors import refusals_as
from helpdesk.spreadsheets.reading import Source
from orders.detection import detect_problems
from orders.models import ImportKind, Order
from orders.signals import import_committed

from .columns import layout_for
from .errors import ImportFatal
from .records import Row, finish_item, finish_order, read_row
from .report import ImportReport
from .seen import SeenKeys
from .statistics import refresh_statistics
from .upsert import item_fields, order_fields, write_items, write_orders

CHUNK_ROWS = 2000
ANALYZE_AFTER_CREATED = 10_000
# What the import's and detection's lookups filter on (statistics.py says why).
PLANNED_FIELDS = ("shop", "state", "buyer")

Progress = Callable[[int, float], None]


def import_file(
    path: str | Path,
    *,
    shop: Shop,
    now: datetime,
    kind: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an order report or item report into ``shop``; raise ImportFatal (nothing
    written) when the file cannot be imported as a whole."""
    with refusals_as(ImportFatal), Source(path) as source, _heap_frozen():
        records = source.records()
        header = next(records, None)
        if header is None:
            raise ImportFatal(_("文件中没有表头。"))
        layout = layout_for(header[1], kind)
        report = ImportReport(kind=layout.kind, dry_run=dry_run)
        with transaction.atomic():
            Shop.objects.select_for_update(no_key=True).filter(pk=shop.pk).first()
            seen = SeenKeys()
            for chunk in itertools.batched(records, CHUNK_ROWS):
                created_before = report.created
                _import_chunk(chunk, layout=layout, shop=shop, now=now, seen=seen, report=report)
                if created_before < ANALYZE_AFTER_CREATED <= report.created:
                    # once: a lock it could not get is not retried
                    refresh_statistics(Order, fields=PLANNED_FIELDS)
                if progress:
                    progress(report.rows, source.fraction_read())
            for pks in seen.touched_batches(CHUNK_ROWS):
                candidates = Order.objects.filter(pk__in=pks)
                report.problems.update(detect_problems(shop=shop, orders=candidates, now=now))
            seen.drop()
            if dry_run or (strict and report.errors_total):
                transaction.set_rollback(True)
            else:
                # Fires when the outermost transaction commits (the upload task's wraps
                # this one); dropped with it when anything rolls back.
                transaction.on_commit(
                    partial(
                        import_committed.send,
                        sender=import_file,
                        shop_id=shop.pk,
                        kind=layout.kind,
                    )
                )
    if strict and report.errors_total:
        report.created = report.updated = report.unchanged = 0
        report.problems.clear()
        raise ImportFatal(
            _("有 %(count)s 行错误；严格模式下整个文件都未导入。") % {"count": report.errors_total},
            report=report,
        )
    return report


@contextlib.contextmanager
def _heap_frozen():
    """Keep the objects that existed before the import out of the garbage collector's
    full collections while it runs. An import allocates millions of short-lived objects,
    which now and then trigger a collection of the oldest generation, and each of those
    walked every object of the process (Django, pandas and cpca's tables): at 50,000
    rows, 4 full collections took 0.67 s of the process's 3.9 s of CPU. The import's own
    objects are collected as before; unfreezing hands the rest back at the end."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _import_chunk(chunk, *, layout, shop, now, seen: SeenKeys, report: ImportReport) -> None:
    is_items = layout.kind == ImportKind.ITEMS
    finish = finish_item if is_items else finish_order
    rows: list[Row] = []
    for line, cells in chunk:
        report.rows += 1
        row = read_row(layout, line, cells)
        if row.order_id:
            finish(row)
        rows.append(row)
    repeated = seen.claim([(row.key, row.line) for row in rows if row.key])
    valid = []
    for row in rows:
        first = repeated.get(row.key)
        if first is not None and first != row.line:
            row.errors.insert(0, _duplicate_message(row, first, is_items))
        if row.errors:
            report.error(row.line, "；".join(row.errors))
            continue
        valid.append(row)
        if not is_items:
            _check_shop_name(row, shop, report)
    if not valid:
        return
    if is_items:
        counts, errors = write_items(
            shop=shop, rows=valid, fields=item_fields(layout.fields), now=now
        )
        for line, message in errors:
            report.error(line, message)
        seen.touch(counts.pop("pks"))
    else:
        counts = write_orders(
            shop=shop, rows=valid, fields=order_fields(layout.fields), seen=seen, now=now
        )
    report.created += counts["created"]
    report.updated += counts["updated"]
    report.unchanged += counts["unchanged"]


def _duplicate_message(row: Row, first: int, is_items: bool) -> str:
    if is_items:
        return _("与第 %(line)s 行是同一订单的同一宝贝，重复了") % {"line": first}
    return _("订单编号 %(id)s 与第 %(line)s 行重复") % {"id": row.order_id, "line": first}


def _check_shop_name(row: Row, shop: Shop, report: ImportReport) -> None:
    name = row.values.pop("shop_name", "")
    if name and name != shop.name:
        report.warn(
            _("文件中的店铺名称“%(file)s”与所选店铺“%(shop)s”不一致，请确认没有选错店铺。")
            % {"file": name, "shop": shop.name}
        )
