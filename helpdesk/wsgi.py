"""The WSGI application. Under gunicorn ``--preload`` the master also loads what each worker
would otherwise import on its first request: every URL pattern's view, and the Celery
broker transport (kombu's Redis transport and redis-py take seconds to import on a busy
machine: without this, the first request of each worker that enqueues a task, such as a
buyer's first message, pays it; measured by bench/load). Nothing here opens a connection,
so nothing is shared across the fork."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    from django.urls import get_resolver

    from helpdesk.celery import app as celery_app

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    celery_app.connection_for_write().get_transport_cls()


_warm_up()
