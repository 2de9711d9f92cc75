"""The shop a teamwork API request acts in: ``shop`` from the query or the body."""

from drf_spectacular.utils import OpenApiParameter

from accounts.models import Shop
from accounts.selectors import shop_from_query

SHOP = OpenApiParameter("shop", str, description="shop code (default: your first shop)")


def requested_shop(request, action: str) -> Shop:
    code = request.query_params.get("shop") or request.data.get("shop")
    return shop_from_query(request.user, code, action)
