"""Ticket pages: thin callers of tickets.services and tickets.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.permissions import can, roles_by_shop
from accounts.selectors import shops_for
from chats.services import buyer_conversation
from helpdesk import clock
from helpdesk.capped import CappedPaginator
from helpdesk.errors import DomainError
from helpdesk.export_uploads import export_import_page, export_sample
from helpdesk.images import private_image_response
from teamwork.tags import tag_filter

from . import services, sla
from .complaint import STEPS
from .forms import (
    ActionForm,
    CostsForm,
    PhotoForm,
    QueueFilterForm,
    ReplyForm,
    TicketForm,
    assignable,
)
from .importing import import_refunds_upload
from .photos import photo_add
from .selectors import access_ticket, access_ticket_photo, ticket_prefill, tickets_visible_to
from .states import CLAIM_TYPES, MONEY_ACTIONS, Action, TicketState, actions_for

PAGE_SIZES = (25, 50, 100, 200)
ACTION_FIELDS = {
    Action.REFUND: ("amount", "reason"),
    Action.COMPENSATE: ("amount", "reason"),
    Action.REFUSE: ("reason",),
    Action.AWAIT_RETURN: ("tracking_number", "courier"),
    Action.RESHIP: ("tracking_number",),
}


def _require_view(user):
    if not can(user, "tickets.view"):
        raise PermissionDenied


def time_left_label(seconds: float | None) -> tuple[str, str]:
    """Text and badge colour for the business time left on a deadline."""
    if seconds is None:
        return "—", ""
    minutes = int(abs(seconds) // 60)
    text = _("%(h)s小时%(m)s分") % {"h": minutes // 60, "m": minutes % 60}
    if seconds < 0:
        return _("超时 %(t)s") % {"t": text}, "red"
    return _("剩 %(t)s") % {"t": text}, "yellow" if seconds < 4 * 3600 else "green"


@login_required
def queue(request):
    _require_view(request.user)
    now = clock.now()
    shops = list(shops_for(request.user, "tickets.view"))
    params = request.GET.copy()
    params.setdefault("state", "open")  # the queue opens on what is still to do
    form = QueueFilterForm(params, shops=shops, agents=assignable([s.pk for s in shops]))
    filters = form.cleaned_data if form.is_valid() else {"state": "open"}
    tickets = tickets_visible_to(
        request.user,
        now=now,
        shop_id=filters.get("shop"),
        types=[filters["type"]] if filters.get("type") else (),
        state=filters.get("state", ""),
        sla=filters.get("sla", ""),
        assignee=filters.get("assignee", ""),
    )
    tickets = tag_filter(tickets, "ticket", request.GET.get("tag"))
    size = int(request.GET.get("size", 50)) if request.GET.get("size", "").isdigit() else 50
    page = CappedPaginator(tickets, size if size in PAGE_SIZES else 50).get_page(
        request.GET.get("page")
    )
    rows = []
    for ticket in page:
        label, colour = time_left_label(sla.seconds_left(ticket, now=now))
        rows.append(
            {
                "ticket": ticket,
                "time_left": label,
                "colour": colour,
                "clock": sla.clock_label(ticket.shop),
            }
        )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": params.urlencode(),
        "may_import": can(request.user, "tickets.work"),
    }
    template = "tickets/queue.html#rows" if request.htmx else "tickets/queue.html"
    return render(request, template, context)


def _detail_context(request, ticket, **forms):
    now = clock.now()
    role = roles_by_shop(request.user).get(ticket.shop_id)
    can_work = can(request.user, "tickets.work", ticket)
    actions = [
        {
            "action": action,
            "fields": ACTION_FIELDS.get(action, ()),
            "money": action in MONEY_ACTIONS,
        }
        for action in (actions_for(ticket.type, ticket.state, role) if can_work else [])
    ]
    label, colour = time_left_label(sla.seconds_left(ticket, now=now))
    ticked = ticket.complaint_steps
    steps = [{"step": step, "done": ticked.get(step.code)} for step in STEPS]
    return {
        "ticket": ticket,
        "actions": actions,
        "can_work": can_work,
        "is_claim": ticket.type in CLAIM_TYPES,
        "time_left": label,
        "colour": colour,
        "sla_clock": sla.clock_label(ticket.shop),
        "buyer_conversation": buyer_conversation(ticket.buyer),
        "steps": steps,
        "events": ticket.events.select_related("actor"),
        "photos": list(ticket.photos.all()),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "costs_form": forms.get("costs_form")
        or CostsForm(
            initial={
                "reshipping_postage": ticket.reshipping_postage,
                "return_postage": ticket.return_postage,
            }
        ),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "action_form": ActionForm(),
    }


@login_required
def detail(request, pk):
    ticket = access_ticket(request.user, pk)
    return render(request, "tickets/detail.html", _detail_context(request, ticket))


def _back(request, ticket):
    url = ticket_url(ticket)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def ticket_url(ticket) -> str:
    from django.urls import reverse

    return reverse("tickets:detail", args=[ticket.pk])


def _run(request, ticket, func, success, **kwargs):
    """Call a service; a refused rule becomes an error message on the ticket page.
    ``success`` is the message, or a function of the service's result that says what
    actually happened."""
    try:
        result = func(actor=request.user, ticket=ticket, now=clock.now(), **kwargs)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return _back(request, ticket)


@login_required
@require_POST
def act(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
        return _back(request, ticket)
    data = form.cleaned_data
    return _run(
        request,
        ticket,
        services.ticket_act,
        lambda done: _act_outcome(done, Action(data["action"]).label),
        action=data["action"],
        amount=data.get("amount"),
        reason=data.get("reason", ""),
        tracking_number=data.get("tracking_number", ""),
        courier=data.get("courier", ""),
    )


def _act_outcome(ticket, label) -> str:
    if ticket.state == TicketState.AWAITING_APPROVAL:
        return _("“%(a)s”超出你的权限，已提交主管审批；批准后自动执行。") % {"a": label}
    return _("已执行：%(a)s") % {"a": label}


@login_required
@require_POST
def reply(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("内容不能为空。"))
        return _back(request, ticket)
    return _run(
        request,
        ticket,
        services.ticket_reply,
        _("已记录。") if form.cleaned_data["internal"] else _("已发送给买家。"),
        text=form.cleaned_data["text"],
        internal=form.cleaned_data["internal"],
    )


@login_required
@require_POST
def tick_step(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    ticket = services.ticket_tick_step(
        actor=request.user,
        ticket=ticket,
        step=request.POST.get("step", ""),
        done=request.POST.get("done") == "1",
        now=clock.now(),
    )
    if request.htmx:
        steps = [{"step": s, "done": ticket.complaint_steps.get(s.code)} for s in STEPS]
        return render(
            request,
            "tickets/detail.html#steps",
            {"ticket": ticket, "steps": steps, "can_work": True},
        )
    return _back(request, ticket)


@login_required
@require_POST
def costs(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    form = CostsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的金额。"))
        return _back(request, ticket)
    return _run(request, ticket, services.ticket_set_costs, _("费用已保存。"), **form.cleaned_data)


@login_required
@require_POST
def escalate(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    return _run(
        request,
        ticket,
        services.ticket_escalate,
        _("已升级给主管。"),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def signed_intact(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    value = {"yes": True, "no": False}.get(request.POST.get("signed_intact", ""))
    if value is None:
        messages.error(request, _("请选择签收时外包装是否完好。"))
        return _back(request, ticket)
    return _run(
        request,
        ticket,
        services.ticket_record_signed_intact,
        _("已记录签收时的包装情况。"),
        signed_intact=value,
    )


@login_required
@require_POST
def take(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    return _run(request, ticket, services.ticket_assign, _("已分配给你。"), assignee=request.user)


@login_required
@require_POST
def upload_photo(request, pk):
    ticket = access_ticket(request.user, pk, "tickets.work")
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择一张图片。"))
        return _back(request, ticket)
    try:
        photo_add(
            actor=request.user, ticket=ticket, upload=form.cleaned_data["photo"], now=clock.now()
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("照片已上传。"))
    return _back(request, ticket)


@login_required
def photo(request, pk):
    """Serve an evidence photo to members who may see the ticket; never as HTML."""
    item = access_ticket_photo(request.user, pk)
    return private_image_response(
        item.file,
        content_type=item.content_type,
        filename=f"ticket-{item.ticket_id}-{item.pk.hex[:8]}.{item.extension}",
    )


def _prefill(request) -> dict:
    """Initial values from ?order=<pk>&buyer=<pk> (the chat side panel links here)."""
    return ticket_prefill(
        request.user, order_pk=request.GET.get("order", ""), buyer_pk=request.GET.get("buyer", "")
    )


@login_required
def new(request):
    shops = list(shops_for(request.user, "tickets.work"))
    if not shops:
        raise PermissionDenied
    form = TicketForm(request.POST or None, shops=shops, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_open(
                actor=request.user,
                shop=data["shop_obj"],
                type=data["type"],
                buyer_nick=data["buyer_nick"],
                order=data["order"],
                reason=data["reason"],
                description=data["description"],
                worn_or_washed=data["worn_or_washed"],
                signed_intact=data["signed_intact"],
                now=clock.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("工单已创建。"))
            return redirect("tickets:detail", pk=ticket.pk)
    return render(request, "tickets/new.html", {"form": form})


REFUND_SAMPLE = "ExportRefundList202611231030.csv"


@login_required
@require_http_methods(["GET", "POST"])
def refund_import(request):
    """Upload the platform's refund export; the report shows on the page (docs/tickets.md)."""
    return export_import_page(
        request,
        action="tickets.work",
        template="tickets/import.html",
        importer=import_refunds_upload,
    )


@login_required
def refund_import_sample(request):
    return export_sample(request, action="tickets.work", file_name=REFUND_SAMPLE)
