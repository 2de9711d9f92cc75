"""Knowledge pages (list, export) and the two chat partials: suggested replies under the
composer and the product's entries in the side panel. Both partials load with htmx after
the conversation is shown, so the chat never waits for them."""

import tempfile

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Shop
from accounts.permissions import can, require, shop_ids_for
from accounts.selectors import access_shop, shops_for
from chats import selectors as chat_selectors
from chats.scripting import focus_order
from helpdesk import clock
from helpdesk.spreadsheets.writing import write_csv, write_xlsx

from . import selectors
from .errors import KnowledgeError, KnowledgeImportError
from .forms import EntryForm, ImportForm
from .services import auto_answer_set, entry_save, entry_set_active, knowledge_import
from .sources import engine_for
from .transfer import COLUMNS, export_rows


@login_required
def entry_list(request):
    if not can(request.user, "knowledge.view"):
        raise PermissionDenied
    query = request.GET.get("q", "")
    page = Paginator(selectors.search_entries(request.user, query=query), selectors.PAGE_SIZE)
    entries = page.get_page(request.GET.get("page"))
    shops = shops_for(request.user, "knowledge.view").order_by("name")
    auto_on = selectors.auto_answer_shop_ids(shops)
    editable = set(shop_ids_for(request.user, "knowledge.edit"))
    context = {
        "entries": entries,
        "q": query,
        "shops": [
            {"shop": s, "auto_on": s.pk in auto_on, "editable": s.pk in editable} for s in shops
        ],
        "can_edit": bool(editable),
        "editable": editable,
    }
    return render(request, "knowledge/list.html", context)


@login_required
def export(request, code):
    shop = access_shop(request.user, code, "knowledge.view")
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    entries = selectors.entries_visible_to(request.user).filter(shop=shop).order_by("key")
    rows = export_rows(entries)
    content = (
        write_xlsx(COLUMNS, rows, sheet="知识库") if fmt == "xlsx" else write_csv(COLUMNS, rows)
    )
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="knowledge-{shop.code}.{fmt}"'
    return response


def _chat(request, pk):
    conversation = chat_selectors.access_conversation(request.user, pk)
    require(request.user, "knowledge.view", conversation)
    order = focus_order(chat_selectors.side_panel(conversation)["orders"])
    return conversation, (order.item_title if order else "")


@login_required
def chat_suggestions(request, pk):
    """Up to three replies for the buyer's latest message."""
    conversation, item = _chat(request, pk)
    last = selectors.latest_buyer_text(conversation)
    suggestions = engine_for(conversation.shop).suggest(last, item=item) if last else []
    return render(request, "knowledge/_suggestions.html", {"suggestions": suggestions})


@login_required
def chat_entries(request, pk):
    conversation, item = _chat(request, pk)
    entries = selectors.entries_for_item(conversation.shop, item)
    return render(request, "knowledge/_side_entries.html", {"entries": entries, "item": item})


def _editable_shops(user) -> list[Shop]:
    return list(shops_for(user, "knowledge.edit").order_by("name"))


def _require_edit(user) -> list[Shop]:
    shops = _editable_shops(user)
    if not shops:
        raise PermissionDenied
    return shops


def _initial(entry) -> dict:
    return {
        "shop": entry.shop.code,
        "key": entry.key,
        "question": entry.question,
        "phrasings": "\n".join(entry.phrasings),
        "answer": entry.answer,
        "products": "|".join(entry.products),
        "category": entry.category,
    }


@login_required
def entry_new(request):
    shops = _require_edit(request.user)
    form = EntryForm(request.POST or None, shops=shops)
    if request.method == "POST" and form.is_valid():
        try:
            entry_save(
                actor=request.user,
                shop=form.cleaned_data["shop"],
                data=form.entry_data(),
                now=clock.now(),
            )
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("已保存。"))
            return redirect("knowledge:list")
    return render(request, "knowledge/edit.html", {"form": form, "entry": None})


@login_required
def entry_edit(request, pk):
    entry = selectors.access_knowledge_entry(request.user, pk)
    if not can(request.user, "knowledge.edit", entry):
        raise PermissionDenied
    form = EntryForm(request.POST or None, initial=_initial(entry), shops=[entry.shop])
    if request.method == "POST" and form.is_valid():
        try:
            entry_save(
                actor=request.user,
                shop=entry.shop,
                data=form.entry_data(),
                now=clock.now(),
                entry=entry,
            )
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("已保存。"))
            return redirect("knowledge:list")
    return render(request, "knowledge/edit.html", {"form": form, "entry": entry})


@login_required
@require_POST
def entry_toggle(request, pk):
    entry = selectors.access_knowledge_entry(request.user, pk)
    entry_set_active(actor=request.user, entry=entry, active=not entry.is_active, now=clock.now())
    return redirect("knowledge:list")


@login_required
def import_upload(request):
    shops = _require_edit(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, shops=shops)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.NamedTemporaryFile(suffix=".upload") as stored:
            for chunk in upload.chunks():
                stored.write(chunk)
            stored.flush()
            try:
                counts = knowledge_import(
                    actor=request.user,
                    shop=form.cleaned_data["shop"],
                    path=stored.name,
                    now=clock.now(),
                    dry_run=form.cleaned_data["dry_run"],
                )
            except KnowledgeImportError as error:
                row_errors = error.errors
            else:
                flash.success(
                    request,
                    _("导入完成：新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条。")
                    % counts,
                )
                return redirect("knowledge:list")
    status = 400 if row_errors else 200
    return render(
        request, "knowledge/import.html", {"form": form, "row_errors": row_errors}, status=status
    )


@login_required
@require_POST
def auto_answer_toggle(request, code):
    shop = access_shop(request.user, code, "knowledge.view")
    current = selectors.auto_answer_enabled(shop)
    auto_answer_set(actor=request.user, shop=shop, enabled=not current, now=clock.now())
    return redirect("knowledge:list")
