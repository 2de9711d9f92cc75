# Production image: gunicorn serves the web app; the same image runs the Celery worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    HELPDESK_VAR_DIR=/var/lib/helpdesk DJANGO_STATIC_ROOT=/opt/helpdesk/staticfiles \
    WEB_ACCESS_LOG=-

RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv

WORKDIR /opt/helpdesk
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN DJANGO_DEBUG=1 python manage.py collectstatic --noinput -v0 \
    && DJANGO_DEBUG=1 python manage.py compilemessages -v0 --ignore=.venv \
    && useradd --system --home /var/lib/helpdesk helpdesk \
    && mkdir -p /var/lib/helpdesk && chown helpdesk /var/lib/helpdesk

USER helpdesk
EXPOSE 8000
# gunicorn.conf.py holds the server settings (shared with scripts/run).
CMD ["gunicorn"]
