"""Uploads from the import pages: refuse what is not a CSV/XLSX or too large. The order
import stores the file under MEDIA_ROOT/imports/ with a random name and queues the import
task; the small exports (reviews, refunds) are read in the request, through the same
reader (helpdesk.spreadsheets.reading.Source) as the command line.

The content is sniffed (zip magic for XLSX, text without NUL bytes or markup for CSV); the
extension alone decides nothing, so a renamed .xls, .html or executable is refused.
"""

import secrets
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from helpdesk.errors import DomainError
from helpdesk.spreadsheets.errors import SheetUnreadable
from helpdesk.spreadsheets.reading import sniff_format
from orders.models import ImportKind, ImportRun

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx"}
UPLOAD_DIR = "imports"


class UploadRefused(DomainError):
    pass


def check_upload(upload: UploadedFile, *, max_bytes: int | None = None) -> str:
    """The file's extension (.csv/.xlsx) once its size and content are acceptable."""
    limit = max_bytes or MAX_UPLOAD_BYTES
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise UploadRefused(_("只能导入 CSV 或 XLSX 文件（平台导出的订单报表或宝贝报表）。"))
    if upload.size > limit:
        raise UploadRefused(
            _("文件太大（%(size)s MB），上限为 %(limit)s MB；请按日期分段导出。")
            % {"size": round(upload.size / 1e6, 1), "limit": limit // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not head:
        raise UploadRefused(_("文件是空的。"))
    try:
        found = sniff_format(head)
    except SheetUnreadable as error:
        raise UploadRefused(str(error)) from None
    if found != EXTENSIONS[suffix] or (found == "csv" and head.lstrip()[:1] == b"<"):
        raise UploadRefused(_("文件内容与扩展名不符，不是 CSV 或 XLSX 表格。"))
    return suffix


def import_run_create(
    *, actor: User, shop: Shop, upload: UploadedFile, kind: str, now: datetime
) -> ImportRun:
    """Check, store and queue an uploaded export; the task imports it."""
    from orders.tasks import import_run_task

    require(actor, "orders.import", shop)
    suffix = check_upload(upload)
    relative = f"{UPLOAD_DIR}/{secrets.token_hex(16)}{suffix}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        for part in upload.chunks():
            handle.write(part)
    with transaction.atomic():
        run = ImportRun.objects.create(
            shop=shop,
            kind=kind or ImportKind.ORDERS,
            file_name=(upload.name or "")[:200],
            stored_path=relative,
            created_by=actor,
            created_at=now,
            report={"requested_kind": kind or ""},
        )
        audit(actor, "import.queued", run, changes={"file_name": [None, run.file_name]}, now=now)
        import_run_task.delay_on_commit(run.pk)
    return run


SMALL_UPLOAD_BYTES = 5 * 1024 * 1024


def upload_bytes(upload: UploadedFile, *, max_bytes: int | None = None) -> bytes:
    """A small export (a day's reviews or refunds), checked like the order import's
    uploads, as bytes for an importer that reads them with helpdesk.spreadsheets' Source
    (CSV or XLSX, with the same size guards as the command line)."""
    if Path(upload.name or "").suffix.lower() not in EXTENSIONS:
        raise UploadRefused(_("只能导入 CSV 或 XLSX 文件。"))
    check_upload(upload, max_bytes=max_bytes or SMALL_UPLOAD_BYTES)
    upload.seek(0)
    return upload.read()
