"""The problem digest page and its XLSX download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import can
from accounts.selectors import access_shop, shops_for
from helpdesk import clock

from ..digest_export import digest_detail_rows, digest_view_rows, digest_workbook
from ..selectors import access_digest, digests_visible_to
from ..services import problem_digest_build


@login_required
def digest(request):
    if not can(request.user, "problems.view"):
        raise PermissionDenied
    shops = list(shops_for(request.user, "problems.view"))
    shop_code = request.GET.get("shop") or shops[0].code
    shop = access_shop(request.user, shop_code, "problems.view")
    digests = digests_visible_to(request.user).filter(shop=shop)
    wanted = request.GET.get("id", "")
    current = (
        access_digest(request.user, int(wanted), shop=shop) if wanted.isdigit() else digests.first()
    )
    return render(
        request,
        "orders/digest.html",
        {
            "shops": shops,
            "shop": shop,
            "digest": current,
            "summary": digest_view_rows(current) if current else [],
            "rows": digest_detail_rows(current) if current else [],
            "history": digests[:20],
        },
    )


@login_required
@require_POST
def digest_build(request):
    shop = access_shop(request.user, request.POST.get("shop", ""), "problems.view")
    built, _created = problem_digest_build(shop=shop, now=clock.now())
    return redirect(f"{reverse('orders:digest')}?shop={shop.code}&id={built.pk}")


@login_required
def digest_xlsx(request, pk):
    current = access_digest(request.user, pk)
    response = HttpResponse(
        digest_workbook(current),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"problem-digest-{current.shop.code}-{current.slot_start:%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
