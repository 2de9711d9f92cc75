"""The REST API root: a link to every collection under /api/v1/ (routes without arguments),
found from the URL configuration so a new endpoint appears here by itself."""

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse

API_PREFIX = "api/v1/"


def _is_collection(pattern, route: str) -> bool:
    return (
        isinstance(pattern, URLPattern)
        and bool(pattern.name)
        and not pattern.pattern.converters
        and route.startswith(API_PREFIX)
        and route != API_PREFIX
    )


def _collection_names(patterns, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(path below /api/v1/, URL name) of every collection route."""
    names = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _collection_names(pattern.url_patterns, route, inner)
        elif _is_collection(pattern, route):
            names.append((route[len(API_PREFIX) :].strip("/"), namespace + pattern.name))
    return names


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request, format=None):
    links = _collection_names(get_resolver().url_patterns)
    return Response({key: reverse(name, request=request, format=format) for key, name in links})
