"""Settings, read from the environment (12-factor).

Embedded defaults (no variables set) give a working portal on a laptop: SQLite in the project,
Celery tasks run eagerly, e-mail to the console. ``DJANGO_ENV=production`` switches on the
hardened settings under which ``manage.py check --deploy`` is silent.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]  # no default in production: fail loudly
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "dev-only-not-secret-7c1f3f0e9b2a4d6e8a1c5b7d9e0f2a4c6e8b0d2f4a6c8e0b"
    )
# The audit chain's HMAC key (audit.services): from the environment only, never SECRET_KEY nor
# the database, so that write access to the database is not enough to forge the log.
DEV_AUDIT_HMAC_KEY = "dev-only-audit-chain-key-not-secret"
if PRODUCTION:
    AUDIT_HMAC_KEY = os.environ["AUDIT_HMAC_KEY"]  # no default in production: fail loudly
    if AUDIT_HMAC_KEY in (SECRET_KEY, DEV_AUDIT_HMAC_KEY) or len(AUDIT_HMAC_KEY) < 32:
        raise ImproperlyConfigured(
            "AUDIT_HMAC_KEY must be its own random key of at least 32 characters"
        )
else:
    AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", DEV_AUDIT_HMAC_KEY)  # audit.W001 warns
# Where the daily signed anchor of the chain's head is mailed (comma-separated); empty: to the
# active users with the auditor role.
AUDIT_ANCHOR_EMAIL = env_list("AUDIT_ANCHOR_EMAIL", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# The public address the portal is reached at; certificates' QR codes point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "accounts",
    "audit",
    "studios",
    "reviews",
    "funding",
    "ledgers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.MustChangePasswordMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into its page
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (runserver threads, eager tasks) share one file: wait, don't fail.
    # WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
    # transaction begins, so two transactions never both read and then both try to write (a
    # deadlock SQLite answers with "database is locked" at once, without waiting the timeout).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out (username, address)
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes; accounts/throttle.py says why the pair). Five failures for one
# username from one address lock that pair for 15 minutes; a success resets its count. Axes
# watches authenticate(), so /admin/login/ is throttled the same way. Counts are rows of
# axes.AccessAttempt (the database handler): shared by every gunicorn worker and every server,
# with no Redis needed (`make run` on SQLite works as is); unlock early with
# `manage.py axes_reset_username <name>` or by deleting the row in the admin.
# Behind a reverse proxy, REMOTE_ADDR is the proxy's: set TRUSTED_PROXY_HEADER to the header the
# proxy sets (HTTP_X_REAL_IP, or HTTP_X_FORWARDED_FOR with TRUSTED_PROXY_COUNT proxies in front);
# unset, any such header is ignored, since a client can send one of its own.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "").strip().upper()
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.throttle.username_for_lockout"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Chinese first, English complete; Beijing time everywhere.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files live outside any URL; they are served only through permission-checking views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Size limits enforced while a file streams in (core/uploads.py, numbers in core/limits.py).
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default; EMAIL_URL-like settings for production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "studio-portal@etown.example.cn")

# Celery: Redis when REDIS_URL is set; otherwise every task runs eagerly in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "socket_timeout": 2}
CELERY_TIMEZONE = TIME_ZONE
# The daily schedule. Each app adds its own jobs here; every job is idempotent.
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-notifications": {
        "task": "accounts.tasks.deliver_pending_notifications",
        "schedule": 300.0,
    },
    "call-close-reminders": {
        "task": "reviews.tasks.send_call_close_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "studios-lifecycle-reminders": {
        "task": "studios.tasks.send_lifecycle_reminders",
        "schedule": crontab(hour=7, minute=0),  # daily, Beijing time (CELERY_TIMEZONE)
    },
    "scoring-reminders": {
        "task": "reviews.round_tasks.send_scoring_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
    "audit-daily-anchor": {
        "task": "audit.tasks.anchor_chain_head",
        "schedule": crontab(hour=0, minute=30),  # daily: sign and send the chain's head
    },
    "studios-certificate-outbox": {
        "task": "studios.tasks.drain_certificate_outbox",
        "schedule": 300.0,
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sent by core.middleware.SecurityHeadersMiddleware. Scripts only from our own files (no inline
# handler or <script> block anywhere: static/js/portal.js reads data attributes instead, and
# tests/core/test_csp.py keeps it so); inline style attributes stay allowed (see its docstring).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

PORTAL_NAME = _("E-Town Employee Innovation Studio Portal")
