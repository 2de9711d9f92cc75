"""The ASGI application (gunicorn.conf.py: uvicorn workers): ordinary views run in
threads, the pages' live-update streams (live/) are async views. As in wsgi.py, under
gunicorn's preload the master imports every view and the Celery broker transport once,
so forked workers start warm; nothing here opens a connection."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from helpdesk.request_limit import SyncRequestLimit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
application = SyncRequestLimit(get_asgi_application(), settings.SYNC_REQUESTS_PER_WORKER)


def _warm_up() -> None:
    from django.urls import get_resolver

    from helpdesk.celery import app as celery_app

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    celery_app.connection_for_write().get_transport_cls()


_warm_up()
