"""Settings for every environment, read from the process environment.

Embedded mode (nothing set): SQLite for the data and the Celery broker under ``var/``, a secret
key generated once and kept there, DEBUG on. Production (``DJANGO_DEBUG=0``): every secret
and address must come from the environment, and a missing one stops start-up by name.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HELPDESK_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


DEBUG = env_bool("DJANGO_DEBUG", True)
TESTING = env_bool("HELPDESK_TESTING", False)


def _embedded_secret_key() -> str:
    """Generate the key once and keep it under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY") or _embedded_secret_key()
    ALLOWED_HOSTS = (env("DJANGO_ALLOWED_HOSTS") or "localhost,127.0.0.1,[::1]").split(",")
else:
    SECRET_KEY = required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = required("DJANGO_ALLOWED_HOSTS").split(",")
    required("DATABASE_URL")
    required("REDIS_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "helpdesk",
    "accounts",
    "audit",
    "approvals",
    "orders",
    "scripts_lib",
    "chats",
    "tickets",
    "reviews",
    "outreach",
    "kpi",
    "knowledge",
    "teamwork",
    "presence",
    "live",
    "catalogue",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in a query string or form is a 400 before any view hands it to
    # PostgreSQL, which cannot store it.
    "helpdesk.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's own language choice comes first.
    "helpdesk.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "helpdesk.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

# gunicorn serves embedded mode too; WhiteNoise finds the static files there without a
# collectstatic (it uses the finders when DEBUG is on).
if not TESTING:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "live.context_processors.live",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}",
        # 0 under ASGI (Django's advice): each request's sync code runs in a thread of its
        # own, and a persistent connection per thread exhausted PostgreSQL's 100 slots in
        # the push bench. Put a pooler (PgBouncer) in front for reuse.
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# Ordinary requests one web worker runs at once, so at most this many PostgreSQL
# connections per worker (helpdesk/request_limit.py); 0 (the default): no limit.
SYNC_REQUESTS_PER_WORKER = int(env("HELPDESK_SYNC_REQUESTS_PER_WORKER", "0"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("HELPDESK_PRIVATE_MEDIA", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: cookies, CSRF, HSTS and a Content-Security-Policy with no inline script.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [o for o in (env("DJANGO_CSRF_TRUSTED_ORIGINS") or "").split(",") if o]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# How many reverse proxies (each appending to X-Forwarded-For) stand in front of the app:
# 1 behind the TLS proxy the README prescribes, 0 when clients connect directly. Login
# lockout and the buyers' chat limits key on the address this yields (helpdesk/client_ip.py).
HELPDESK_TRUSTED_PROXY_COUNT = int(env("HELPDESK_TRUSTED_PROXY_COUNT", "0"))

# Login throttling: five failures lock the username from that address for 15 minutes.
AXES_CLIENT_IP_CALLABLE = "helpdesk.client_ip.client_ip"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "helpdesk.errors.api_exception_handler",
    # The buyer rates guard the public web chat page (chats/throttles.py): messages per
    # client address, new conversations per address and per shop.
    "DEFAULT_THROTTLE_RATES": {
        "anon": "60/min",
        "buyer_chat": "30/min",
        "buyer_chat_new": "5/hour",
        "buyer_chat_shop_new": "60/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "客服工作台 API",
    "DESCRIPTION": "Helpdesk for Taobao and Tmall shops. Every object is scoped to the shops "
    "the caller works in and the role they hold there.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several APIs share or that would collide by field name.
    "ENUM_NAME_OVERRIDES": {
        "OrderStateEnum": "orders.states.OrderState",
        "ProblemStateEnum": "orders.models.ProblemState",
        "ReviewStateEnum": "reviews.models.ReviewState",
        "ReviewRatingEnum": "reviews.models.Rating",
        "ReviewDraftKindEnum": "reviews.models.DraftKind",
        "TicketStateEnum": "tickets.states.TicketState",
        "ConversationStateEnum": "chats.models.ConversationState",
    },
}

# Celery: Redis in production; in embedded mode a SQLite file under var/ through
# helpdesk.broker (safe with several processes, no server, late acks redelivered).
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = (
    env("CELERY_BROKER_URL") or REDIS_URL or f"sqlite:///{VAR_DIR / 'broker.sqlite3'}"
)
if CELERY_BROKER_URL.startswith("sqlite://"):
    CELERY_BROKER_TRANSPORT = "helpdesk.broker:Transport"
    # A worker checks the file twice a second. A message held by a worker that died is
    # handed out again after 5 minutes (and at once when the embedded worker restarts):
    # longer than any countdown here (the greeting waits seconds).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5 * 60, "polling_interval": 0.5}
else:
    # Redis redelivers a task not acknowledged within this time. Tasks here finish in
    # seconds; nothing is scheduled with an ETA (due times live in the database), so 30
    # minutes bounds how long a task lost with a dead worker waits before it runs again.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Live updates (live/, docs/chats.md): pages get server-sent events over Redis pub/sub,
# or an in-memory hub in the one web process of embedded mode. HELPDESK_LIVE_PUSH=0
# renders the old 1-second polling instead (the load bench's baseline).
LIVE_PUSH = env_bool("HELPDESK_LIVE_PUSH", True)
LIVE_BROKER_URL = env("HELPDESK_LIVE_URL") or REDIS_URL or "memory"
if TESTING:
    # One test process's topics, shared with the workers and servers it starts.
    os.environ.setdefault("HELPDESK_LIVE_PREFIX", f"live{os.getpid()}:")
LIVE_TOPIC_PREFIX = env("HELPDESK_LIVE_PREFIX") or "live:"
LIVE_FALLBACK_POLL_SECONDS = 15

CACHES = {
    "default": (
        # Fails soft: while Redis is away reads miss and writes are dropped (logged), so
        # pages keep serving (helpdesk/cache.py). Tests use it too whenever REDIS_URL is
        # set (scripts/test sets it), so CI runs the production cache path; each test
        # process keeps its keys under its own prefix, and tests/conftest.py empties them
        # between tests.
        {
            "BACKEND": "helpdesk.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test{os.getpid()}" if TESTING else "",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Who is viewing or typing (presence/marks.py) must be one store for every web worker:
# with Redis it is the default cache; in embedded mode, where the default cache lives in
# each gunicorn worker's memory, it is a folder of small files under var/.
CACHES["presence"] = (
    CACHES["default"]
    if REDIS_URL or TESTING
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "presence-cache"),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Celery beat entries kept in settings: the chats sweep (the safety net of the 10-second
# greeting; it raises the 100-second alerts and hands waiting conversations to agents who
# came online), SLA breaches and review deadlines, uploads whose import task was lost while the broker was
# down, idle chats, stock notices, and the nightly KPI rollup and Monday's quality-review
# sample (Asia/Shanghai), and the nightly retention of the audit log and the outbox. Every job is idempotent, so a double firing is harmless. The
# buyer-messaging jobs are kept in the database instead, where managers edit them
# (outreach/schedules.py).
CELERY_BEAT_SCHEDULE = {
    "chats-sweep": {"task": "chats.tasks.chats_sweep", "schedule": 5.0},
    "chats-close-idle": {"task": "chats.tasks.close_idle_conversations", "schedule": 60.0},
    "chats-stock-notices": {"task": "chats.tasks.send_stock_notices", "schedule": 300.0},
    "tickets.sla_breaches": {"task": "tickets.tasks.sla_breaches", "schedule": 10 * 60},
    "reviews.review_breaches": {"task": "reviews.tasks.review_breaches", "schedule": 10 * 60},
    "orders.import-runs-resume": {"task": "orders.tasks.import_runs_resume", "schedule": 60.0},
    "kpi.rollup": {"task": "kpi.tasks.kpi_rollup", "schedule": crontab(hour=0, minute=30)},
    "teamwork.webhook_deliveries": {
        "task": "teamwork.tasks.webhook_deliveries_sweep",
        "schedule": 60.0,
    },
    "kpi.qa_sample": {
        "task": "kpi.tasks.qa_sample",
        "schedule": crontab(hour=6, minute=0, day_of_week="mon"),
    },
    "audit.retention": {
        "task": "audit.tasks.audit_retention",
        "schedule": crontab(hour=3, minute=20),
    },
    "chats.outbox-retention": {
        "task": "chats.tasks.outbox_retention",
        "schedule": crontab(hour=3, minute=40),
    },
}

# Embedded mode is the demo: its buyers keep writing, one message per demo shop every two
# minutes, so the queue a visitor looks at stays alive (the job touches only the demo
# team's shops).
if DEBUG and not TESTING:
    CELERY_BEAT_SCHEDULE["chats.demo-buyers"] = {
        "task": "chats.tasks.demo_buyers_write",
        "schedule": 120.0,
    }

# Retention (docs/retention.md): days the audit log and the outbox keep their rows (0 keeps
# them for ever), and where audit events go before they are deleted (empty: nowhere).
HELPDESK_AUDIT_KEEP_DAYS = int(env("HELPDESK_AUDIT_KEEP_DAYS", "400"))
HELPDESK_OUTBOX_KEEP_DAYS = int(env("HELPDESK_OUTBOX_KEEP_DAYS", "400"))
HELPDESK_AUDIT_ARCHIVE_DIR = env("HELPDESK_AUDIT_ARCHIVE_DIR", str(VAR_DIR / "archive" / "audit"))

# Public address of the site, for links that leave it (the survey link a bridge relays).
HELPDESK_PUBLIC_URL = env("HELPDESK_PUBLIC_URL", "")

# E-mail (the problem digest to a shop's address). Console in development; SMTP in
# production, configured from the environment. Tests use Django's in-memory backend.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "kefu@localhost")
