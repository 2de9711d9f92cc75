"""The import pages: upload an export, then watch its run until the report shows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import can
from accounts.selectors import access_shop, shops_for
from helpdesk import clock
from helpdesk.export_uploads import export_sample

from ..importing.columns import ITEM_COLUMNS, ORDER_COLUMNS, REQUIRED
from ..importing.runs import import_run_progress
from ..importing.uploads import MAX_UPLOAD_BYTES, UploadRefused, import_run_create
from ..models import ImportKind, ImportStatus, ProblemCategory
from ..selectors import access_import_run, import_runs_visible_to

RECENT_RUNS = 20
ORDER_SAMPLE = "ExportOrderList202611231030.csv"
ITEM_SAMPLE = "ExportOrderDetailList202611231030.csv"


def _column_names(columns: dict, kind: str) -> dict[str, list[str]]:
    """The header names a report needs and the ones it also reads, from the alias table
    the importer matches by (so the page can never list a column the importer ignores)."""
    required = REQUIRED[kind]
    return {
        "required": [columns[field][0][0] for field in required],
        "optional": [
            names[0] for field, (names, _kind) in columns.items() if field not in required
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """GET: the upload form and recent runs; POST: store the file and queue its run."""
    if not can(request.user, "orders.import"):
        raise PermissionDenied
    shops = shops_for(request.user, "orders.import")
    if request.method == "POST":
        shop = access_shop(request.user, request.POST.get("shop", ""), "orders.import")
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        if kind not in ("", *ImportKind.values):
            kind = ""
        if upload is None:
            messages.error(request, _("请选择要导入的文件。"))
        else:
            try:
                run = import_run_create(
                    actor=request.user, shop=shop, upload=upload, kind=kind, now=clock.now()
                )
            except UploadRefused as refused:
                messages.error(request, str(refused))
            else:
                return redirect("orders:import_run", pk=run.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "orders/import.html",
        {
            "shops": shops,
            "runs": import_runs_visible_to(request.user)[:RECENT_RUNS],
            "kinds": [
                (ImportKind.ORDERS, ImportKind.ORDERS.label),
                (ImportKind.ITEMS, ImportKind.ITEMS.label),
            ],
            "limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "order_columns": _column_names(ORDER_COLUMNS, ImportKind.ORDERS),
            "item_columns": _column_names(ITEM_COLUMNS, ImportKind.ITEMS),
        },
        status=status,
    )


@login_required
def import_run(request, pk: int):
    """A run's progress bar (polled by htmx while it runs), then its report."""
    run = access_import_run(request.user, pk)
    problems = [
        (code, ProblemCategory(code).label, count)
        for code, count in run.report.get("problems", {}).items()
    ]
    context = {
        "run": run,
        "problems": problems,
        "progress": import_run_progress(run),
        "active": run.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "report": run.report,
    }
    if request.htmx:
        return render(request, "orders/import_run.html#status", context)
    return render(request, "orders/import_run.html", context)


@login_required
def import_sample(request):
    """A small invented order report to try the page with."""
    return export_sample(request, action="orders.import", file_name=ORDER_SAMPLE)


@login_required
def import_items_sample(request):
    """A small invented item report (one row per order line) to go with the order sample."""
    return export_sample(request, action="orders.import", file_name=ITEM_SAMPLE)
