"""The workspace page and its queue, the agent's presence, the supervisors' alerts."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can
from helpdesk import clock

from .. import selectors
from ..forms import PresenceForm
from ..services import presence_set
from ..services.assignment import presence_seen
from .panes import queue_context, require_chats, workspace_page


@login_required
def workspace(request):
    require_chats(request.user)
    return workspace_page(request)


@login_required
def queue(request):
    require_chats(request.user)
    presence_seen(actor=request.user, now=clock.now())
    return render(request, "chats/workspace.html#queue", queue_context(request))


@login_required
@require_POST
def presence(request):
    require_chats(request.user)
    form = PresenceForm(request.POST)
    if form.is_valid():
        presence_set(actor=request.user, status=form.cleaned_data["status"], now=clock.now())
    return redirect("chats:workspace")


@login_required
def alerts(request):
    """Supervisors: every conversation whose buyer waits past the alert time."""
    if not can(request.user, "chats.supervise"):
        raise PermissionDenied
    red = selectors.supervisors_red(request.user, now=clock.now())
    template = "chats/alerts.html#rows" if request.htmx else "chats/alerts.html"
    return render(request, template, {"red": red})
