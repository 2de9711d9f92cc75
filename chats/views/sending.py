"""Cards and images into the chat: the order confirmation card, the product search and
product card, the shop's image library."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import selectors as catalogue
from catalogue.sending import library_image_send, product_card_send
from helpdesk import clock

from .. import selectors
from ..cards import order_card_send
from .panes import back


@login_required
@require_POST
def order_card(request, pk):
    """Send the buyer the address-confirmation card of one of their paid orders."""
    found = selectors.access_conversation(request.user, pk)
    order = selectors.buyer_order_of(found, request.POST.get("order") or 0)
    if order is None:
        return HttpResponse(_("请选择这位买家的订单。"), status=400)
    order_card_send(actor=request.user, conversation=found, order=order, now=clock.now())
    return back(request, found)


@login_required
def products(request, pk):
    """The composer's product search: the shop's products matching ``q``, to send."""
    found = selectors.access_conversation(request.user, pk)
    query = request.GET.get("q", "").strip()
    picks = catalogue.products_to_pick(found.shop_id, request.user, query) if query else []
    return render(
        request,
        "chats/workspace.html#products",
        {"conversation": found, "products": picks, "q": query},
    )


@login_required
@require_POST
def product_card(request, pk):
    """Send the buyer a product card picked in the composer."""
    found = selectors.access_conversation(request.user, pk)
    product = catalogue.access_product(request.user, request.POST.get("product") or 0)
    product_card_send(actor=request.user, conversation=found, product=product, now=clock.now())
    return back(request, found)


@login_required
def library(request, pk):
    """The composer's image picker: the shop's library, loaded when it is opened."""
    found = selectors.access_conversation(request.user, pk)
    return render(
        request,
        "chats/workspace.html#library",
        {"conversation": found, "library": catalogue.library_of(found.shop_id, request.user)},
    )


@login_required
@require_POST
def library_image(request, pk):
    """Send the buyer an image from the shop's library."""
    found = selectors.access_conversation(request.user, pk)
    image = catalogue.access_library_image(request.user, request.POST.get("image") or "")
    library_image_send(actor=request.user, conversation=found, image=image, now=clock.now())
    return back(request, found)
