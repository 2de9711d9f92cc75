from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can
from accounts.selectors import access_shop, shops_for
from helpdesk import clock
from helpdesk.errors import DomainError

from . import tags
from .forms import TagForm
from .models import Tag, TagColour


def _tags_url(shop) -> str:
    return f"{reverse('teamwork:tags')}?shop={shop.code}"


@login_required
def tag_list(request):
    """A team's tags with how many buyers and cases carry each; supervisors edit them."""
    shops = list(shops_for(request.user, "tags.use"))
    if not shops:
        raise PermissionDenied
    code = request.GET.get("shop") or request.POST.get("shop")
    shop = access_shop(request.user, code, "tags.use") if code else shops[0]
    may_manage = can(request.user, "tags.manage", shop)
    form = TagForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                tags.tag_create(actor=request.user, shop=shop, now=clock.now(), **form.cleaned_data)
            except DomainError as error:
                form.add_error("name", str(error))
            else:
                return redirect(_tags_url(shop))
    rows = tags.tags_of_shop(shop).annotate(uses=Count("links"))
    context = {
        "shops": shops,
        "shop": shop,
        "tags": rows,
        "form": form,
        "may_manage": may_manage,
        "colours": TagColour.choices,
        "queues": {
            "chats": can(request.user, "chats.work", shop),
            "problems": can(request.user, "problems.view", shop),
            "tickets": can(request.user, "tickets.view", shop),
            "reviews": can(request.user, "reviews.view", shop),
        },
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "teamwork/tags.html", context, status=status)


def _team_tag_or_404(request, pk) -> tuple[Tag, object]:
    code = request.POST.get("shop", "")
    shop = access_shop(request.user, code, "tags.manage")
    tag = tags.tags_of_shop(shop).filter(pk=pk).first()
    if tag is None:
        raise Http404
    return tag, shop


@login_required
@require_POST
def tag_edit(request, pk):
    tag, shop = _team_tag_or_404(request, pk)
    form = TagForm(request.POST)
    if request.POST.get("delete"):
        tags.tag_delete(actor=request.user, shop=shop, tag=tag, now=clock.now())
        messages.success(request, _("已删除标签 %(name)s。") % {"name": tag.name})
    elif form.is_valid():
        try:
            tags.tag_update(
                actor=request.user, shop=shop, tag=tag, now=clock.now(), **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("请填写标签名称和颜色。"))
    return redirect(_tags_url(shop))


@login_required
def tag_panel(request, kind, pk):
    """GET: the tags side panel of a buyer or case; POST: add or remove one."""
    target = tags.access_tag_target(request.user, kind, pk)
    error = None
    if request.method == "POST":
        tag = tags.tags_of_shop(target.shop).filter(pk=request.POST.get("tag") or 0).first()
        if tag is None:
            error = _("请选择一个标签。")
        else:
            change = tags.tag_remove if request.POST.get("op") == "remove" else tags.tag_add
            try:
                change(actor=request.user, target=target, tag=tag, now=clock.now())
            except DomainError as refused:
                error = str(refused)
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect(tags.tagged_url(kind, pk))
    context = {"request": request, "target": target, "tag_error": error}
    return render(request, "teamwork/_tags_swap.html", context)
