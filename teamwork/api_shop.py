"""The shop a teamwork API request acts in: ``shop`` from the query or the body."""

from drf_spectacular.utils import OpenApiParameter

from accounts.models import Shop
from accounts.selectors import shop_from_query

SHOP = OpenApiParameter("shop", str, description="shop code (default: your first shop)")


def requested_shop(request, action: str) -> Shop:
    body = request.data if hasattr(request.data, "get") else {}  # a JSON list or number
    code = request.query_params.get("shop") or body.get("shop")
    return shop_from_query(request.user, code, action)
