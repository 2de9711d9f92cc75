"""The upload pages of the small platform exports (reviews, refunds): pick a shop, a file,
optionally "preview only" or "all or nothing", and read the report on the same page.

These files are a day's export (hundreds of rows), so the import runs inside the request
with the very function the management command calls; the order import, which can be large,
queues a task instead (orders/views/imports.py). Each app's view names its permission
action, its template and its ``importer(*, actor, shop, upload, now, dry_run, strict)``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can
from accounts.selectors import access_shop, shops_for
from helpdesk import clock
from orders.importing.uploads import SMALL_UPLOAD_BYTES

from .errors import DomainError

SAMPLES = Path(__file__).resolve().parent.parent / "orders" / "fixtures"
COUNT_LABELS = {
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("更新"),
    "unchanged": gettext_lazy("未变"),
    "skipped": gettext_lazy("跳过（好评）"),
}


class ExportUploadForm(forms.Form):
    file = forms.FileField(error_messages={"required": gettext_lazy("请选择要导入的文件。")})
    dry_run = forms.BooleanField(required=False)
    strict = forms.BooleanField(required=False)


@dataclass
class ImportResult:
    """What the page shows after a submit. ``outcome``: imported, preview or refused
    (nothing written: a file that cannot be read, or row errors in all-or-nothing mode)."""

    file_name: str
    shop_name: str
    outcome: str
    message: str = ""
    counts: list[tuple[str, int]] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @classmethod
    def of_report(cls, report: dict, **kwargs) -> "ImportResult":
        counts = [(COUNT_LABELS[key], report[key]) for key in COUNT_LABELS if key in report]
        counts.append((_("错误行"), len(report["errors"])))
        return cls(counts=counts, errors=report["errors"], **kwargs)


def _import(request: HttpRequest, shop, form: ExportUploadForm, importer: Callable):
    upload = form.cleaned_data["file"]
    dry_run = form.cleaned_data["dry_run"]
    named = {"file_name": upload.name or "", "shop_name": shop.name}
    try:
        report = importer(
            actor=request.user,
            shop=shop,
            upload=upload,
            now=clock.now(),
            dry_run=dry_run,
            strict=form.cleaned_data["strict"],
        )
    except DomainError as error:  # refused upload, unreadable file, strict row errors
        partial = getattr(error, "report", None)
        if partial is None:
            return ImportResult(outcome="refused", message=str(error), **named)
        return ImportResult.of_report(
            partial.as_dict(), outcome="refused", message=str(error), **named
        )
    return ImportResult.of_report(
        report.as_dict(), outcome="preview" if dry_run else "imported", **named
    )


def export_import_page(
    request: HttpRequest, *, action: str, template: str, importer: Callable
) -> HttpResponse:
    """GET: the form; POST: import the file and show the report (400 when refused)."""
    if not can(request.user, action):
        raise PermissionDenied
    result, status = None, 200
    form = ExportUploadForm()
    if request.method == "POST":
        shop = access_shop(request.user, request.POST.get("shop", ""), action)
        form = ExportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = _import(request, shop, form, importer)
            status = 400 if result.outcome == "refused" else 200
        else:
            status = 400
    context = {
        "form": form,
        "shops": shops_for(request.user, action),
        "chosen": request.POST.get("shop", ""),
        "result": result,
        "limit_mb": SMALL_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, template, context, status=status)


def export_sample(request: HttpRequest, *, action: str, file_name: str) -> FileResponse:
    """A small invented export to try the page with (the same file the demo and tests use)."""
    if not can(request.user, action):
        raise PermissionDenied
    return FileResponse(
        open(SAMPLES / file_name, "rb"),
        as_attachment=True,
        filename=file_name,
        content_type="text/csv",
    )
