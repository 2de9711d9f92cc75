"""The supervisors' inbox and the staff notifications page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from approvals.links import subject_link
from approvals.services import approval_decide, notifications_mark_read
from helpdesk import clock
from helpdesk.errors import DomainError

from . import services
from .breaches import breach_handle
from .forms import DecideForm
from .inbox import sections_for
from .selectors import (
    access_approval,
    access_breach,
    access_ticket,
    escalated_tickets,
    notifications_for,
    open_breaches,
    pending_approvals,
)


def _require_supervisor(user):
    if not can(user, "approvals.decide"):
        raise PermissionDenied


@login_required
def inbox(request):
    _require_supervisor(request.user)
    approvals = [
        {"request": r, "link": subject_link(r.subject_type, r.subject_id)}
        for r in pending_approvals(request.user)
    ]
    return render(
        request,
        "tickets/inbox.html",
        {
            "approvals": approvals,
            "breaches": list(open_breaches(request.user)[:200]),
            "escalations": list(escalated_tickets(request.user)[:200]),
            "sections": sections_for(request.user),
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def decide(request, pk):
    _require_supervisor(request.user)
    approval = access_approval(request.user, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("拒绝时请写明理由。"))
        return redirect("tickets:inbox")
    approve = form.cleaned_data["decision"] == "approve"
    if approval.requested_by_id == request.user.pk:
        messages.error(request, _("不能审批自己提交的申请，请由另一位主管或店长审批。"))
        return redirect("tickets:inbox")
    try:
        approval_decide(
            actor=request.user,
            request=approval,
            approve=approve,
            reason=form.cleaned_data["reason"].strip(),
            now=clock.now(),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已批准。") if approve else _("已拒绝。"))
    return redirect("tickets:inbox")


@login_required
@require_POST
def handle_breach(request, pk):
    _require_supervisor(request.user)
    breach_handle(actor=request.user, breach=access_breach(request.user, pk), now=clock.now())
    messages.success(request, _("已标记处理。"))
    return redirect("tickets:inbox")


@login_required
@require_POST
def handle_escalation(request, pk):
    _require_supervisor(request.user)
    ticket = access_ticket(request.user, pk, "approvals.decide")
    try:
        services.escalation_handle(
            actor=request.user,
            ticket=ticket,
            note=request.POST.get("note", "").strip(),
            now=clock.now(),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已处理升级。"))
    return redirect("tickets:inbox")


@login_required
def notifications(request):
    """The member's helpdesk notifications (approval answers, SLA warnings); POST marks
    them all read."""
    items = notifications_for(request.user)
    if request.method == "POST":
        notifications_mark_read(actor=request.user, now=clock.now())
        return redirect("tickets:notifications")
    return render(
        request,
        "tickets/notifications.html",
        {
            "items": list(items[:100]),
            "unread": items.filter(read_at__isnull=True).count(),
            "may_see_tickets": can(request.user, "tickets.view"),
        },
    )


@login_required
def notifications_badge(request):
    """The unread count beside the "通知" link, fetched by htmx after the page loaded so
    that no page pays a query for it."""
    unread = notifications_for(request.user).filter(read_at__isnull=True).count()
    return render(request, "tickets/notifications.html#badge", {"unread": unread})
