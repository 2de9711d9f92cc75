"""The watchers fragment and the heartbeat that feeds it. Both find the object through its
app's access selector first, so another shop's object is a 404 before presence is read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from helpdesk import clock

from .kinds import find_target
from .selectors import watchers_of
from .services import presence_leave, presence_mark


def _fragment(request, kind, target, now):
    watchers = watchers_of(viewer=request.user, target=target, now=now)
    return render(
        request,
        "presence/_watchers.html#list",
        {"kind": kind.name, "target": target, "watchers": watchers},
    )


@login_required
@require_GET
def watchers(request, kind, pk):
    """The fragment alone, for a refresh by URL (server push triggers it)."""
    found_kind, target = find_target(request.user, kind, pk)
    return _fragment(request, found_kind, target, clock.now())


@login_required
@require_POST
def beat(request, kind, pk):
    """The page is open (``typing=1``: the agent is typing; ``leave=1``: the page is being
    left). Answers with the fresh fragment, so the page needs no second request."""
    found_kind, target = find_target(request.user, kind, pk)
    now = clock.now()
    if request.POST.get("leave"):
        presence_leave(actor=request.user, target=target, now=now)
        return HttpResponse(status=204)
    presence_mark(
        actor=request.user,
        target=target,
        now=now,
        typing=bool(request.POST.get("typing")),
        page=request.POST.get("page", ""),
    )
    return _fragment(request, found_kind, target, now)
