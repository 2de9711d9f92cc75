from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk import clock

from .forms import ShopSettingsForm
from .permissions import can, roles_by_shop
from .roles import Role
from .selectors import access_member, access_shop, api_token_of, shops_for, staff_page_rows
from .services import (
    api_token_rotate,
    membership_end,
    shop_update_settings,
    user_deactivate,
    user_reactivate,
    user_set_language,
)
from .workbench import workbench_cards


@login_required
def home(request):
    """The workbench landing page: what waits in each of the user's queues, their shops and
    roles, and what a shop still lacks before its scheduled buyer messages can go out."""
    from outreach.selectors import setup_warnings

    roles = roles_by_shop(request.user)
    shops = [(shop, Role(roles[shop.pk]).label) for shop in shops_for(request.user)]
    context = {
        "cards": workbench_cards(request.user, now=clock.now()),
        "shops": shops,
        "warnings": setup_warnings(request.user),
    }
    return render(request, "accounts/home.html", context)


@require_POST
def language_set(request):
    """The language switch: remembered on the account of a signed-in person, and in the
    language cookie for everyone (the login page has no account yet)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("不支持的语言。"))
    if request.user.is_authenticated:
        user_set_language(actor=request.user, language=language, now=clock.now())
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@login_required
def api_token(request):
    """Show or (on POST) replace the user's personal API token."""
    if request.method == "POST":
        token = api_token_rotate(actor=request.user, now=clock.now())
    else:
        token = api_token_of(request.user)
    return render(request, "accounts/token.html", {"token": token})


@login_required
def shop_settings(request, code):
    shop = access_shop(request.user, code)
    editable = can(request.user, "shop.manage", shop)
    # The form gets its own copy: an invalid POST must not change the page's heading.
    form = ShopSettingsForm(request.POST or None, instance=access_shop(request.user, code))
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            shop_update_settings(
                actor=request.user, shop=shop, values=form.cleaned_data, now=clock.now()
            )
            messages.success(request, _("店铺设置已保存。"))
            return redirect("accounts:shop_settings", code=shop.code)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    buyer_chat_url = request.build_absolute_uri(reverse("buyer_chat:chat", args=[shop.code]))
    return render(
        request,
        "accounts/shop_settings.html",
        {"shop": shop, "form": form, "editable": editable, "buyer_chat_url": buyer_chat_url},
    )


@login_required
def shop_staff(request, code):
    shop = access_shop(request.user, code, "staff.manage")
    return render(
        request,
        "accounts/shop_staff.html",
        {"shop": shop, "rows": staff_page_rows(request.user, shop)},
    )


@login_required
@require_POST
def staff_deactivate(request, code, user_id):
    """Switch the whole account off; refused (403, with the reason) unless the manager
    manages every shop the person works in."""
    shop, member = access_member(request.user, code, user_id)
    user_deactivate(actor=request.user, user=member, shop=shop, now=clock.now())
    messages.success(request, _("%(name)s 的账号已停用，所有登录已失效。") % {"name": member.label})
    return redirect("accounts:shop_staff", code=shop.code)


@login_required
@require_POST
def staff_reactivate(request, code, user_id):
    shop, member = access_member(request.user, code, user_id)
    user_reactivate(actor=request.user, user=member, shop=shop, now=clock.now())
    messages.success(request, _("%(name)s 的账号已恢复，可以重新登录。") % {"name": member.label})
    return redirect("accounts:shop_staff", code=shop.code)


@login_required
@require_POST
def staff_remove(request, code, user_id):
    """End the person's membership of this shop only."""
    shop, member = access_member(request.user, code, user_id)
    membership_end(actor=request.user, user=member, shop=shop, now=clock.now())
    messages.success(
        request, _("%(name)s 已移出%(shop)s。") % {"name": member.label, "shop": shop.name}
    )
    return redirect("accounts:shop_staff", code=shop.code)
