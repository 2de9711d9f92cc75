from django.conf import settings

from .broker import broker


def live(request):
    """``live_push``: pages take pushed events (else they poll as before, every 1 s);
    ``live_poll_seconds``: the slow poll live.js keeps while disconnected, or always when
    the push layer lives in one process (embedded mode: Celery's changes cannot reach it)."""
    return {
        "live_push": settings.LIVE_PUSH,
        "live_always_poll": settings.LIVE_PUSH and broker().kind == "memory",
        "live_poll_seconds": settings.LIVE_FALLBACK_POLL_SECONDS,
    }
