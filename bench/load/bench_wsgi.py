"""The WSGI application for gunicorn --preload, with what each worker would otherwise
import on its first request loaded once in the master and shared by the forked workers:
every URL pattern's view, and the Celery broker transport (kombu's Redis transport and
redis-py take ≈2.5 s to import on the bench machine: without this, the first request of
each worker that enqueues a task, such as a buyer's first message, pays it). Nothing
here opens a connection, so nothing is shared across the fork."""

from django.urls import get_resolver
from kombu.transport import get_transport_cls

from helpdesk.celery import app as celery_app
from helpdesk.wsgi import application

get_resolver().url_patterns  # noqa: B018 - imports every view module
get_transport_cls(celery_app.conf.broker_url.split("://", 1)[0])

__all__ = ["application"]
