"""The REST API root: links to the schema, the docs and each app's collections."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse

API_ROOT_LINKS = {
    "schema": "api-schema",
    "docs": "api-docs",
    "tickets": "api-tickets",
    "reviews": "api-reviews",
    "kpi_report": "api-kpi-report",
}


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request, format=None):
    return Response(
        {name: reverse(url, request=request, format=format) for name, url in API_ROOT_LINKS.items()}
    )
