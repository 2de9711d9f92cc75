"""The supervisors' catalogue and image-library pages, and the two file views that serve
their images to the shop's staff (the composer's pickers show them)."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import access_shop, shop_from_query, shops_for
from helpdesk import clock
from helpdesk.errors import DomainError
from helpdesk.images import private_image_response

from . import selectors
from .forms import LibraryImageForm, ProductForm, RenameForm
from .services import (
    catalogue_refresh,
    library_image_add,
    library_image_delete,
    library_image_rename,
    product_update,
)

MANAGE = "catalogue.manage"


def _shop_context(request, shop) -> dict:
    return {"shop": shop, "shops": list(shops_for(request.user, MANAGE).order_by("name"))}


@login_required
def products(request):
    shop = shop_from_query(request.user, request.GET.get("shop"), MANAGE)
    query = request.GET.get("q", "")
    found = selectors.search_products(
        selectors.products_visible_to(request.user, MANAGE).filter(shop=shop), query
    )
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {**_shop_context(request, shop), "page": page, "q": query}
    return render(request, "catalogue/products.html", context)


@login_required
@require_POST
def refresh(request, code):
    shop = access_shop(request.user, code, MANAGE)
    count = catalogue_refresh(actor=request.user, shop=shop, now=clock.now())
    flash.success(request, _("已从导入的订单明细更新 %(n)s 个商品。") % {"n": count})
    return redirect(f"{reverse('catalogue:products')}?shop={shop.code}")


@login_required
def product(request, pk):
    found = selectors.access_product(request.user, pk, MANAGE)
    form = ProductForm(request.POST or None, request.FILES or None, initial={"link": found.link})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            product_update(
                actor=request.user,
                product=found,
                link=form.cleaned_data["link"],
                upload=form.cleaned_data["image"] or None,
                remove_image=form.cleaned_data["remove_image"],
                now=clock.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            flash.success(request, _("商品已保存。"))
            return redirect("catalogue:product", pk=found.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request, "catalogue/product.html", {"product": found, "form": form}, status=status
    )


def _image_response(row, *, thumbnail: bool, name: str):
    field = row.thumbnail if thumbnail else row.file
    suffix = "-thumb" if thumbnail else ""
    return private_image_response(
        field, content_type=row.content_type, filename=f"{name}{suffix}.{row.extension}"
    )


@login_required
def product_image(request, pk):
    """The product's main image, to the shop's staff (``chats.work``)."""
    found = selectors.access_product(request.user, pk)
    return _image_response(
        found, thumbnail=request.GET.get("size") == "thumb", name=f"product-{found.pk}"
    )


@login_required
def images(request):
    shop = shop_from_query(request.user, request.GET.get("shop"), MANAGE)
    rows = selectors.library_visible_to(request.user, MANAGE).filter(shop=shop)
    page = Paginator(rows.order_by("name", "pk"), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {**_shop_context(request, shop), "page": page, "form": LibraryImageForm()}
    return render(request, "catalogue/images.html", context)


def _back_to_library(shop):
    return redirect(f"{reverse('catalogue:images')}?shop={shop.code}")


@login_required
@require_POST
def image_add(request, code):
    shop = access_shop(request.user, code, MANAGE)
    form = LibraryImageForm(request.POST, request.FILES)
    if not form.is_valid():
        flash.error(request, _("请填写名称并选择图片。"))
        return _back_to_library(shop)
    try:
        library_image_add(
            actor=request.user,
            shop=shop,
            name=form.cleaned_data["name"],
            upload=form.cleaned_data["image"],
            now=clock.now(),
        )
    except DomainError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("图片已加入图片库。"))
    return _back_to_library(shop)


@login_required
@require_POST
def image_rename(request, pk):
    found = selectors.access_library_image(request.user, pk, MANAGE)
    form = RenameForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写图片名称。"))
        library_image_rename(
            actor=request.user, image=found, name=form.cleaned_data["name"], now=clock.now()
        )
    except DomainError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("已改名。"))
    return _back_to_library(found.shop)


@login_required
@require_POST
def image_delete(request, pk):
    found = selectors.access_library_image(request.user, pk, MANAGE)
    library_image_delete(actor=request.user, image=found, now=clock.now())
    flash.success(request, _("已从图片库删除；已发出的图片不受影响。"))
    return _back_to_library(found.shop)


@login_required
def image_file(request, pk):
    """A library image, to the shop's staff (``chats.work``)."""
    found = selectors.access_library_image(request.user, pk)
    return _image_response(
        found, thumbnail=request.GET.get("size") == "thumb", name=f"library-{found.pk.hex[:8]}"
    )
