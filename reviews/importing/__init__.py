"""The shop's review export (评价报表) into reviews, and the upsert the API shares.

Decisions (the issue is silent on them):
- Columns are matched by name after trimming spaces, with aliases (COLUMNS). Required:
  order id, buyer nick, rating, review time, review text (the text may be empty).
- Read by helpdesk.spreadsheets.reading.Source, as every import is: CSV or XLSX by
  content, encoding detected (UTF-8 with or without BOM, else GB18030, a superset of GBK),
  XLSX size guards. The whole file is read at once: review exports are small (a shop
  gets hundreds of neutral/negative reviews a month, not hundreds of thousands).
- Only 中评 and 差评 are the specialists' work: 好评 rows are counted as ``skipped``, and
  their order ids are recorded as GoodReview (so the after-receipt message thanks only a
  buyer whose good review exists). Any other rating text is a row error.
- A review is the same review when the export's review id matches, or, without a review
  id, when (order id, review time) match; a review stored without an id adopts the id of
  a later export's row with the same order and time. Re-importing changes nothing; a later export
  updates rating, text, DSR scores and item title, never the workflow state.
- Row errors name the line the record starts on (header = line 1); the valid rows are
  imported. Fatal errors (unreadable file, missing column) write nothing.

Reading is parsing.py, writing upsert.py; this module runs them for the command and the
upload page."""

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop
from accounts.permissions import require
from orders.importing.uploads import upload_bytes

from .parsing import ImportFatal, ImportReport, read_rows
from .upsert import good_reviews_record, reviews_upsert

__all__ = [
    "ImportFatal",
    "ImportReport",
    "read_rows",
    "reviews_import",
    "reviews_import_upload",
    "reviews_upsert",
]


class DryRun(Exception):
    """Raised inside the import transaction to roll back a dry run."""


def reviews_import(
    *, actor, shop: Shop, data: bytes, now: datetime, dry_run: bool = False, strict: bool = False
) -> ImportReport:
    """Import a review export file. Raises ImportFatal (nothing written) for a file that
    cannot be read, or for any row error when ``strict``."""
    report = ImportReport()
    rows = read_rows(data, report)
    if strict and report.errors:
        first = report.errors[0]
        raise ImportFatal(
            _("第 %(line)d 行：%(message)s（--strict：未导入任何数据）") % first, report=report
        )
    try:
        with transaction.atomic():
            reviews_upsert(actor=actor, shop=shop, rows=rows, now=now, report=report)
            good_reviews_record(shop=shop, good_reviews=report.good_reviews, now=now)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return report


def reviews_import_upload(
    *,
    actor,
    shop: Shop,
    upload: UploadedFile,
    now: datetime,
    dry_run: bool = False,
    strict: bool = False,
) -> ImportReport:
    """The upload page's import: the same ``reviews_import`` as the command, for a file a
    review specialist uploaded (CSV or XLSX, size and content checked first)."""
    require(actor, "reviews.work", shop)
    data = upload_bytes(upload)
    return reviews_import(
        actor=actor, shop=shop, data=data, now=now, dry_run=dry_run, strict=strict
    )
