"""The WSGI application with every URL pattern's view imported, for gunicorn --preload:
the master loads Django and the views once, and the forked workers share them instead
of each importing them on its first request."""

from django.urls import get_resolver

from helpdesk.wsgi import application

get_resolver().url_patterns  # noqa: B018 - imports every view module

__all__ = ["application"]
