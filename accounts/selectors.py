from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Shop, User
from .permissions import restrict


def shops_for(user: User, action: str = "shop.view") -> QuerySet[Shop]:
    return restrict(Shop.objects.filter(is_active=True), user, action, shop_field="pk")


def shop_for(user: User, code: str, action: str = "shop.view") -> Shop:
    """The shop with ``code`` if the user may do ``action`` there; Shop.DoesNotExist
    otherwise, so an unknown and a foreign shop look the same (404)."""
    return shops_for(user, action).get(code=code)


def staff_of(user: User, shop: Shop) -> QuerySet[Membership]:
    return restrict(Membership.objects.filter(shop=shop), user, "staff.manage").select_related(
        "user"
    )


def shop_or_404(user: User, code: str, action: str = "shop.view") -> Shop:
    """For views: an unknown shop and a shop the user may not act in are both a 404."""
    try:
        return shop_for(user, code, action)
    except Shop.DoesNotExist:
        raise Http404 from None
