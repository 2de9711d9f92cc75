"""How the web app is served, the one place for it: the production image (Dockerfile) and
embedded mode (scripts/run) both start plain ``gunicorn``, which reads this file from the
working directory. The app is served over ASGI by uvicorn workers: the pages' live-update
streams (server-sent events, live/) are async views holding an idle connection each,
while ordinary views run in a thread as before.

Environment: HOST and PORT (the address), WEB_CONCURRENCY (worker processes),
WEB_ACCESS_LOG (``-`` for stdout, as the image sets it; unset for none), WEB_LOG_LEVEL
(``info``; scripts/run keeps its start quiet with ``warning``)."""

import os

wsgi_app = "helpdesk.asgi:application"
worker_class = "uvicorn_worker.UvicornWorker"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
if not (os.environ.get("REDIS_URL") or os.environ.get("HELPDESK_LIVE_URL")):
    # Embedded mode: the push layer is an in-memory hub, so there is one web process
    # (uvicorn serves many connections in it; views run in threads).
    workers = 1
timeout = 60
preload_app = True
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
