"""Knowledge pages (list, export) and the two chat partials: suggested replies under the
composer and the product's entries in the side panel. Both partials load with htmx after
the conversation is shown, so the chat never waits for them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.models import Shop
from accounts.permissions import can, require
from chats import selectors as chat_selectors
from chats.models import Message, Sender
from chats.scripting import focus_order

from . import selectors
from .sources import engine_for
from .transfer import COLUMNS, export_rows, spreadsheet_bytes


@login_required
def entry_list(request):
    if not can(request.user, "knowledge.view"):
        raise PermissionDenied
    query = request.GET.get("q", "")
    page = Paginator(selectors.search_entries(request.user, query=query), selectors.PAGE_SIZE)
    entries = page.get_page(request.GET.get("page"))
    return render(request, "knowledge/list.html", {"entries": entries, "q": query})


@login_required
def export(request, code):
    shop = Shop.objects.filter(code=code, is_active=True).first()
    if shop is None or not can(request.user, "knowledge.view", shop):
        raise Http404
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    entries = selectors.entries_visible_to(request.user).filter(shop=shop).order_by("key")
    content = spreadsheet_bytes(COLUMNS, export_rows(entries), fmt=fmt)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="knowledge-{shop.code}.{fmt}"'
    return response


def _chat(request, pk):
    conversation = chat_selectors.conversation_for(request.user, pk)
    require(request.user, "knowledge.view", conversation)
    order = focus_order(chat_selectors.side_panel(conversation)["orders"])
    return conversation, (order.item_title if order else "")


@login_required
def chat_suggestions(request, pk):
    """Up to three replies for the buyer's latest message."""
    conversation, item = _chat(request, pk)
    last = (
        Message.objects.filter(conversation=conversation, sender=Sender.BUYER)
        .order_by("-sent_at", "-pk")
        .values_list("text", flat=True)
        .first()
    )
    suggestions = engine_for(conversation.shop).suggest(last, item=item) if last else []
    return render(request, "knowledge/_suggestions.html", {"suggestions": suggestions})


@login_required
def chat_entries(request, pk):
    conversation, item = _chat(request, pk)
    entries = selectors.entries_for_item(conversation.shop, item)
    return render(request, "knowledge/_side_entries.html", {"entries": entries, "item": item})
