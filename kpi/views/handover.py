"""The shift handover book (交接本)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk import clock
from helpdesk.errors import DomainError

from .. import selectors, services
from ..days import local_day
from ..forms import HandoverForm
from .common import shop_choice

DONE_SHOWN = 30


@login_required
def handover(request):
    shops, shop = shop_choice(request, "handover.use")
    now = clock.now()
    form = HandoverForm(request.POST or None, initial={"shift_date": local_day(now)})
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_write(actor=request.user, shop=shop, now=now, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("交接已记录，下一班同事确认后会显示确认人。"))
            return redirect(reverse("kpi:handover") + f"?shop={shop.code}")
    open_notes, done_notes = selectors.handover_book(request.user, shop, done_shown=DONE_SHOWN)
    return render(
        request,
        "kpi/handover.html",
        {
            "shops": shops,
            "shop": shop,
            "form": form,
            "open_notes": open_notes,
            "done_notes": done_notes,
        },
    )


@login_required
@require_POST
def handover_ack(request, pk: int):
    note = selectors.access_handover_note(request.user, pk)
    try:
        services.handover_acknowledge(actor=request.user, note=note, now=clock.now())
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已确认交接。"))
    return redirect(reverse("kpi:handover") + f"?shop={note.shop.code}")
