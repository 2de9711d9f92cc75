"""Reads of the catalogue and the library, filtered to the shops the user may act in:
agents read them to send (``chats.work``), supervisors to manage (``catalogue.manage``)."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import restrict

from .models import LibraryImage, Product

PAGE_SIZE = 50
PICK_LIMIT = 8
LIBRARY_LIMIT = 100


def products_visible_to(user: User, action: str = "chats.work") -> QuerySet[Product]:
    return restrict(Product.objects.all(), user, action)


def access_product(user: User, pk, action: str = "chats.work") -> Product:
    try:
        return products_visible_to(user, action).get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def search_products(queryset: QuerySet[Product], query: str) -> QuerySet[Product]:
    """By title words or 商家编码, the title's order."""
    for word in (query or "").split()[:5]:
        queryset = queryset.filter(Q(title__icontains=word) | Q(sku_code__icontains=word))
    return queryset.order_by("title", "pk")


def products_to_pick(shop_id: int, user: User, query: str) -> list[Product]:
    """The composer's product search in the conversation's shop: at most PICK_LIMIT."""
    found = products_visible_to(user).filter(shop_id=shop_id)
    return list(search_products(found, query)[:PICK_LIMIT])


def library_visible_to(user: User, action: str = "chats.work") -> QuerySet[LibraryImage]:
    return restrict(LibraryImage.objects.all(), user, action)


def access_library_image(user: User, pk, action: str = "chats.work") -> LibraryImage:
    try:
        return library_visible_to(user, action).get(pk=pk)
    except (LibraryImage.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def library_of(shop_id: int, user: User) -> list[LibraryImage]:
    """The shop's library for the composer's picker, by name (the first LIBRARY_LIMIT)."""
    found = library_visible_to(user).filter(shop_id=shop_id).order_by("name", "pk")
    return list(found[:LIBRARY_LIMIT])
