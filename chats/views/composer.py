"""The composer: the reply (held back by etiquette findings or unseen buyer messages),
the etiquette check as the agent types, and the script search."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from helpdesk import clock

from .. import selectors
from ..errors import UnseenBuyerMessages
from ..forms import ReplyForm
from ..scripting import check_draft, find_scripts, focus_order, script_context
from ..services import conversation_reply


@login_required
@require_POST
def reply(request, pk):
    found = selectors.access_conversation(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("回复内容不能为空，且不能超过 2000 字。"), status=400)
    text = form.cleaned_data["text"]
    findings = check_draft(text, buyer=found.buyer, order=focus_order(selectors.side_orders(found)))
    if findings and not form.cleaned_data["confirm"]:
        response = render(
            request,
            "chats/workspace.html#findings",
            {"findings": findings, "before_send": True},
        )
        return reswap(retarget(response, "#draft-findings"), "innerHTML")
    claimed_by_reply = found.assignee_id is None
    try:
        conversation_reply(
            actor=request.user,
            conversation=found,
            text=text,
            now=clock.now(),
            findings=findings,
            seen_message_id=form.cleaned_data["seen"],
        )
    except UnseenBuyerMessages as held:
        response = render(
            request,
            "chats/workspace.html#unseen",
            {"held": held, "unseen": held.messages, "seen_through": held.messages[-1].pk},
        )
        return reswap(retarget(response, "#draft-findings"), "innerHTML")
    if request.htmx:
        events = {"chat-sent": None}
        if claimed_by_reply:
            # The header (state, holder, actions) changed too: the page reloads the pane.
            events["chat-claimed"] = {"url": reverse("chats:conversation", args=[found.pk])}
        response = HttpResponse(status=204)
        response["HX-Trigger"] = json.dumps(events)
        return response
    return redirect("chats:conversation", pk=found.pk)


@login_required
@require_POST
def check(request, pk):
    """The etiquette check of the draft as the agent types (htmx, with a delay)."""
    found = selectors.access_conversation(request.user, pk)
    findings = check_draft(
        request.POST.get("text", ""),
        buyer=found.buyer,
        order=focus_order(selectors.side_orders(found)),
    )
    return render(request, "chats/workspace.html#findings", {"findings": findings})


@login_required
def scripts(request, pk):
    """Scripts for the composer: ``/code`` picks by shortcut, other text searches; each
    comes filled in for this buyer, agent and order."""
    found = selectors.access_conversation(request.user, pk)
    context = script_context(found, request.user, focus_order(selectors.side_orders(found)))
    found_scripts = find_scripts(
        user=request.user, shop=found.shop, query=request.GET.get("q", ""), context=context
    )
    return render(request, "chats/workspace.html#scripts", {"scripts": found_scripts})
