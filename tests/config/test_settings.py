"""Settings from the environment; the production mode passes ``check --deploy`` silently."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_check_deploy_is_silent():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="prod-" + "k3y" * 20,
        AUDIT_HMAC_KEY="audit-" + "h4c" * 20,
        ALLOWED_HOSTS="studios.etown.example.cn",
        DEBUG="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_own_audit_key():
    """The audit chain's HMAC key comes from the environment; production has no default, and
    refuses a key that is the SECRET_KEY or the public development key."""
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_HMAC_KEY"}
    base = {**env, "DJANGO_ENV": "production", "SECRET_KEY": "prod-" + "k3y" * 20}
    for extra in ({}, {"AUDIT_HMAC_KEY": base["SECRET_KEY"]}, {"AUDIT_HMAC_KEY": "short"}):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**base, **extra},
            timeout=120,
        )
        assert result.returncode != 0 and "AUDIT_HMAC_KEY" in result.stderr, extra


def test_development_warns_that_the_audit_key_is_the_public_default():
    env = {k: v for k, v in os.environ.items() if k not in ("AUDIT_HMAC_KEY", "DJANGO_ENV")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0 and "audit.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_ENV": "production"},
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_migrations_are_in_step_with_models():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout


def test_beijing_time_and_chinese_first():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_without_redis_url_tasks_run_eagerly():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');"
            "django.setup();from django.conf import settings as s;"
            "print(s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "REDIS_URL"},
    )
    assert result.stdout.strip() == "True", result.stderr


def test_redis_broker_is_reachable_when_configured():
    require(bool(settings.REDIS_URL), "needs Redis (set REDIS_URL)")
    import redis

    assert redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()


@pytest.mark.django_db
def test_database_is_the_configured_one():
    from django.db import connection

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    from tests.factories.accounts import DistrictStaffFactory

    client.force_login(DistrictStaffFactory())
    for url in ("/accounts/login/", "/"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp and "form-action 'self'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_session_and_csrf_cookies_are_not_readable_by_scripts_nor_sent_cross_site():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused():
    from django.test import Client

    from tests.factories.accounts import UnionUserFactory

    client = Client(enforce_csrf_checks=True)
    client.force_login(UnionUserFactory())
    response = client.post("/studios/new/", {"name": "x"})
    assert response.status_code == 403
