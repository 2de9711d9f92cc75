"""Liveness of the parts a shop depends on, for load balancers and monitoring."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def push_ok() -> bool:
    """The live-update layer (Redis pub/sub, or the in-memory hub) takes events."""
    from live.broker import broker

    return broker().ping()


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_ok(), "broker": broker_ok(), "push": push_ok()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse({"ok": status == 200, **checks}, status=status)
