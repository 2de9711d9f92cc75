"""Pages of the script library and the two fragments the chat composer uses (pick, check)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can
from accounts.selectors import shops_for
from chats.selectors import conversations_visible_to
from helpdesk import clock
from orders.selectors import orders_visible_to

from . import etiquette
from .errors import ScriptError, ScriptImportError
from .forms import ImportForm, ScriptCreateForm, ScriptForm
from .models import CATEGORY_ORDER, ScriptCategory
from .placeholders import PLACEHOLDERS
from .rendering import render_script, script_context
from .selectors import (
    access_script,
    category_counts,
    editable_scope_ids,
    matching,
    scripts_visible_to,
    search_scripts,
    usage_by_agent,
    usage_by_script,
    versions_of,
)
from .services import (
    may_edit_script,
    script_create,
    script_record_use,
    script_update,
    scripts_import,
)
from .transfer import export_csv, export_xlsx, read_rows

PAGE_SIZE = 50
PICK_LIMIT = 10


def _require_use(user):
    if not can(user, "scripts.use"):
        raise PermissionDenied


def _shop_from(request, shops, param="shop"):
    code = request.GET.get(param) or request.POST.get(param) or ""
    if not code:
        return None
    for shop in shops:
        if shop.code == code:
            return shop
    raise Http404


def _library(request):
    """The scripts the list and the export show, filtered by the page's query string."""
    shops = list(shops_for(request.user, "scripts.use").select_related("team"))
    shop = _shop_from(request, shops)
    category = request.GET.get("category", "")
    if category not in CATEGORY_ORDER:
        category = ""
    query = request.GET.get("q", "").strip()
    scripts = matching(scripts_visible_to(request.user, shop=shop), query)
    return shops, shop, category, query, scripts


@login_required
def script_list(request):
    """Browse by category in conversation order, search by text, /code or pinyin initials."""
    _require_use(request.user)
    shops, shop, category, query, scripts = _library(request)
    counts = category_counts(scripts)
    if category:
        scripts = scripts.filter(category=category)
    page = Paginator(scripts, PAGE_SIZE).get_page(request.GET.get("page"))
    edit_shops, edit_teams = editable_scope_ids(request.user)
    for script in page:
        script.editable = (
            script.shop_id in edit_shops if script.shop_id else script.team_id in edit_teams
        )
    context = {
        "shops": shops,
        "shop": shop,
        "category": category,
        "query": query,
        "categories": [
            (code, label, counts.get(code, 0)) for code, label in ScriptCategory.choices
        ],
        "total": sum(counts.values()),
        "page": page,
        "can_edit": bool(edit_shops),
    }
    template = "scripts_lib/list.html#results" if request.htmx else "scripts_lib/list.html"
    return render(request, template, context)


def _editable_shops(user):
    shops = list(shops_for(user, "scripts.edit").select_related("team"))
    if not shops:
        raise PermissionDenied
    return shops


@login_required
def script_create_view(request):
    shops = _editable_shops(request.user)
    form = ScriptCreateForm(request.POST or None, shops=shops, initial=request.GET.dict())
    findings = []
    if request.method == "POST" and form.is_valid():
        team, shop = form.cleaned_data["scope"]
        try:
            script = script_create(
                actor=request.user,
                team=team,
                shop=shop,
                data=form.script_data(),
                now=clock.now(),
            )
        except ScriptError as error:
            form.add_error(None, str(error))
            findings = getattr(error, "findings", [])
        else:
            messages.success(request, _("话术“%(title)s”已保存。") % {"title": script.title})
            return redirect("scripts_lib:list")
    return render(
        request,
        "scripts_lib/form.html",
        {
            "form": form,
            "script": None,
            "placeholders": PLACEHOLDERS.values(),
            "findings": findings,
        },
    )


@login_required
def script_edit(request, pk):
    script = access_script(request.user, pk)
    if not may_edit_script(request.user, script):
        raise PermissionDenied
    initial = {
        f: getattr(script, f)
        for f in ("category", "title", "code", "body", "position", "is_active")
    }
    form = ScriptForm(request.POST or None, initial=initial)
    findings = []
    if request.method == "POST" and form.is_valid():
        try:
            script = script_update(
                actor=request.user, script=script, data=form.script_data(), now=clock.now()
            )
        except ScriptError as error:
            form.add_error(None, str(error))
            findings = getattr(error, "findings", [])
        else:
            messages.success(
                request,
                _("话术“%(title)s”已保存为第 %(v)s 版。")
                % {"title": script.title, "v": script.version},
            )
            return redirect("scripts_lib:list")
    return render(
        request,
        "scripts_lib/form.html",
        {
            "form": form,
            "script": script,
            "placeholders": PLACEHOLDERS.values(),
            "findings": findings,
        },
    )


@login_required
def script_versions(request, pk):
    script = access_script(request.user, pk)
    return render(
        request,
        "scripts_lib/versions.html",
        {
            "script": script,
            "versions": versions_of(script),
            "editable": may_edit_script(request.user, script),
        },
    )


@login_required
def script_usage(request):
    if not can(request.user, "scripts.edit"):
        raise PermissionDenied
    return render(
        request,
        "scripts_lib/usage.html",
        {"agents": usage_by_agent(request.user), "scripts": usage_by_script(request.user)[:100]},
    )


@login_required
@require_GET
def script_export(request):
    _require_use(request.user)
    _shops, shop, category, _query, scripts = _library(request)
    if category:
        scripts = scripts.filter(category=category)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d")
    name = f"scripts-{shop.code if shop else 'all'}-{stamp}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(export_csv(scripts), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        export_xlsx(scripts),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def script_import(request):
    shops = _editable_shops(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, shops=shops)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        team, shop = form.cleaned_data["scope"]
        try:
            rows = read_rows(form.cleaned_data["file"].read())
            result = scripts_import(
                actor=request.user, team=team, shop=shop, rows=rows, now=clock.now()
            )
        except ScriptImportError as error:
            row_errors = error.errors
        else:
            messages.success(
                request,
                _("导入完成：新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条。")
                % vars(result),
            )
            return redirect("scripts_lib:list")
    status = 400 if row_errors else 200
    return render(
        request, "scripts_lib/import.html", {"form": form, "row_errors": row_errors}, status=status
    )


def _conversation_context(request, shop):
    """Buyer and order for the placeholders: ?conversation=<id> and/or ?order=<order id>,
    each looked up only among what the user may see in this shop (else ignored)."""
    params = request.GET if request.method == "GET" else request.POST
    buyer = order = None
    conversation_id = params.get("conversation", "")
    if conversation_id.isdigit():
        conversation = (
            conversations_visible_to(request.user)
            .filter(shop=shop, pk=conversation_id)
            .select_related("buyer")
            .first()
        )
        buyer = conversation.buyer if conversation else None
    orders = orders_visible_to(request.user, shop_id=shop.pk)
    if params.get("order"):
        order = orders.filter(order_id=params["order"]).first()
    elif buyer is not None:
        order = orders.filter(buyer=buyer).order_by("-ordered_at", "-pk").first()
    if buyer is None and order is not None:
        buyer = order.buyer
    return buyer, order


@login_required
@require_GET
def script_pick(request):
    """Fragment for the chat composer: ?shop=<code> (required) &q=<text or /code>
    [&conversation=<id>] [&order=<order id>] → the matching scripts, rendered."""
    shops = list(shops_for(request.user, "scripts.use"))
    shop = _shop_from(request, shops)
    if shop is None:
        raise Http404
    buyer, order = _conversation_context(request, shop)
    context = script_context(shop=shop, agent=request.user, buyer=buyer, order=order)
    scripts = list(
        search_scripts(user=request.user, shop=shop, query=request.GET.get("q", ""))[:PICK_LIMIT]
    )
    items = [(script, render_script(script, context=context)) for script in scripts]
    return render(
        request,
        "scripts_lib/pick.html",
        {"items": items, "shop": shop, "query": request.GET.get("q", "")},
    )


@login_required
@require_POST
def script_check(request):
    """Fragment: the etiquette findings for POST text [&shop=<code>] [&conversation=<id>]
    [&order=<order id>] [&review_reply=1] (the duplicate check needs the shop)."""
    _require_use(request.user)
    # the script form posts its own fields: its "body" is checked while it is typed
    text = request.POST.get("text", request.POST.get("body", ""))[:2000]
    shops = list(shops_for(request.user, "scripts.use"))
    shop = _shop_from(request, shops)
    buyer, order = _conversation_context(request, shop) if shop else (None, None)
    findings = etiquette.check(
        text,
        buyer=buyer,
        order=order,
        shop=shop,
        review_reply=bool(request.POST.get("review_reply")),
    )
    items = [(finding, text[finding.start : finding.end]) for finding in findings]
    return render(request, "scripts_lib/check.html", {"items": items, "text": text})


@login_required
@require_POST
def script_use(request, pk):
    """The composer sent this script: count it (204, or a redirect for a plain form)."""
    script = access_script(request.user, pk)
    script_record_use(actor=request.user, script=script, now=clock.now())
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("scripts_lib:list")
