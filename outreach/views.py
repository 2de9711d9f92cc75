from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from accounts.selectors import access_shop, shops_for
from helpdesk import clock
from helpdesk.errors import DomainError

from . import selectors, services
from .forms import ScheduleForm
from .schedules import JOB_LABELS, access_job_schedule, job_schedules


@login_required
def outbox(request):
    """Supervisors' view of one shop's scheduled messages: setup warnings, failures to
    retry, and what was sent lately."""
    shops = list(shops_for(request.user, "outreach.view"))
    if not shops:
        raise PermissionDenied
    code = request.GET.get("shop")
    shop = access_shop(request.user, code, "outreach.view") if code else shops[0]
    context = {
        "shops": shops,
        "shop": shop,
        "warnings": selectors.setup_warnings(request.user),
        "counts": selectors.outbox_counts(request.user, shop),
        "failures": selectors.outbox_failures(request.user, shop),
        "page": selectors.SENT_PAGES.page_for(
            request.GET, selectors.outbox_sent(request.user, shop), selectors.PAGE_ROWS
        ),
        "can_manage_jobs": can(request.user, "jobs.manage"),
    }
    return render(request, "outreach/outbox.html", context, status=context["page"].status)


@login_required
@require_POST
def outbox_retry(request, pk):
    message = selectors.access_outbox_message(request.user, pk)
    try:
        services.outbox_message_retry(actor=request.user, message=message, now=clock.now())
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已重新排队发送。"))
    return redirect(f"{reverse('outreach:outbox')}?shop={message.shop.code}")


@login_required
def jobs(request):
    """Managers: how often each job runs, pause or resume it, run it now."""
    if not can(request.user, "jobs.manage"):
        raise PermissionDenied
    rows = [
        {
            "job": job,
            "label": JOB_LABELS[job],
            "task": task,
            "form": ScheduleForm(
                initial={"every_minutes": task.interval.every, "enabled": task.enabled},
                prefix=job,
            ),
        }
        for job, task in job_schedules()
    ]
    return render(request, "outreach/jobs.html", {"rows": rows})


@login_required
@require_POST
def job_schedule(request, job_name):
    if not can(request.user, "jobs.manage"):
        raise PermissionDenied
    task = access_job_schedule(request.user, job_name)
    form = ScheduleForm(request.POST, prefix=job_name)
    if form.is_valid():
        services.schedule_update(
            actor=request.user,
            task=task,
            every_minutes=form.cleaned_data["every_minutes"],
            enabled=form.cleaned_data["enabled"],
            now=clock.now(),
        )
        messages.success(request, _("计划已保存。"))
    else:
        messages.error(request, _("运行间隔须在 1 到 1440 分钟之间。"))
    return redirect("outreach:jobs")


@login_required
@require_POST
def job_run(request, job_name):
    if not can(request.user, "jobs.manage"):
        raise PermissionDenied
    access_job_schedule(request.user, job_name)
    shops = services.job_run_now(actor=request.user, job_name=job_name, now=clock.now())
    messages.success(
        request,
        _("已为 %(shops)s 排队运行。") % {"shops": "、".join(shop.name for shop in shops)},
    )
    return redirect("outreach:jobs")
