"""Opening a conversation, and polling it for new messages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from tickets.selectors import evidence_tickets

from .. import selectors
from ..services import conversation_mark_read
from .panes import conversation_swap, workspace_page


@login_required
def conversation(request, pk):
    found = selectors.access_conversation(request.user, pk)
    if request.htmx and not request.htmx.history_restore_request:
        conversation_mark_read(actor=request.user, conversation=found)
        return conversation_swap(request, found)
    return workspace_page(request, found)


@login_required
def conversation_messages(request, pk):
    """Poll: messages after ``after``; 204 when nothing is new (htmx keeps polling)."""
    found = selectors.access_conversation(request.user, pk)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    new = selectors.messages_of(found, after=after)
    if not new:
        return HttpResponse(status=204)
    conversation_mark_read(actor=request.user, conversation=found)
    return render(
        request,
        "chats/workspace.html#messages",
        {
            "conversation": found,
            "chat_messages": new,
            "last_id": selectors.highest_id(new),
            "evidence_tickets": evidence_tickets(request.user, found),
        },
    )
