"""The DSR pages: the shop's recorded DSR with the "record today's DSR" form, and the
upload of a DSR file. For supervisors and managers of the shop (``kpi.dsr``); a shop the
user does not work in is a 404, like an unknown one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from helpdesk import clock
from helpdesk.errors import DomainError
from helpdesk.export_uploads import export_import_page

from . import selectors, services
from .days import local_day
from .forms import DsrForm
from .views.common import shop_choice

RECORDS_SHOWN = 60


@login_required
def dsr(request):
    shops, shop = shop_choice(request, "kpi.dsr")
    now = clock.now()
    form = DsrForm(request.POST or None, initial={"day": local_day(now)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.dsr_record(
                    actor=request.user,
                    shop=shop,
                    day=data["day"],
                    scores={key: data[key] for key in ("description", "service", "logistics")},
                    now=now,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("DSR 已记录。"))
                return redirect(reverse("kpi:dsr") + f"?shop={shop.code}")
        status = 400
    return render(
        request,
        "kpi/dsr.html",
        {
            "shops": shops,
            "shop": shop,
            "form": form,
            "records": selectors.dsr_records(request.user, shop)[:RECORDS_SHOWN],
        },
        status=status,
    )


@login_required
def dsr_import(request):
    """Upload a DSR file; the report shows on the page (all or nothing, docs/kpi.md)."""
    return export_import_page(
        request,
        action="kpi.dsr",
        template="kpi/dsr_import.html",
        importer=services.dsr_import_upload,
    )
