"""Production-like settings for ``make bench``: DEBUG off, cached templates, hardened headers,
but plain http on 127.0.0.1 (no SSL redirect, cookies not Secure) and two bench-only additions:
the baseline view ``/bench/baseline/`` and the ``X-Query-Count`` response header."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0f9e8d7c6b5a49382716fedcba987654")

from .settings import *  # noqa: E402,F403
from .settings import MIDDLEWARE  # noqa: E402

DEBUG = False
STATIC_ROOT = BASE_DIR / "staticfiles"  # noqa: F405  (bench.run runs collectstatic)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CONN_HEALTH_CHECKS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
