"""How the web app is served, the one place for it: the production image (Dockerfile) and
embedded mode (scripts/run) both start plain ``gunicorn``, which reads this file from the
working directory. Moving to ASGI changes ``wsgi_app`` and ``worker_class`` here only.

Environment: HOST and PORT (the address), WEB_CONCURRENCY (worker processes),
WEB_ACCESS_LOG (``-`` for stdout, as the image sets it; unset for none), WEB_LOG_LEVEL
(``info``; scripts/run keeps its start quiet with ``warning``)."""

import os

wsgi_app = "helpdesk.wsgi:application"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 60
preload_app = True
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
