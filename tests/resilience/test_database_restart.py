"""Item 4 of issue #8: PostgreSQL restarting between two requests costs the user nothing.

Connections persist between requests (``CONN_MAX_AGE``); ``CONN_HEALTH_CHECKS`` makes Django
test a kept connection before a request reuses it. The restart is simulated the way it looks
to the portal, without disturbing anyone else's database on the shared server: the backend
serving the portal's connection is killed from another connection (``pg_terminate_backend``).
The requests go through Django's real WSGI handler (the test client disables the
per-request connection handling that this is about)."""

import io
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.urls import reverse

from studios.models import Studio
from tests.factories.accounts import UnionUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    """A minimal browser over the WSGI handler: keeps cookies, posts forms with the CSRF token."""

    def __init__(self, session_key):
        self.handler = WSGIHandler()
        self.cookies = {"sessionid": session_key}

    def request(self, method, path, form=None):
        body = urlencode(form or {}).encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        }
        status = {}

        def start_response(line, headers, exc_info=None):
            status["code"] = int(line.split()[0])
            for name, value in headers:
                if name.lower() == "set-cookie":
                    for key, morsel in SimpleCookie(value).items():
                        self.cookies[key] = morsel.value

        b"".join(self.handler(environ, start_response))
        return status["code"]


def kill_backend_of_the_portals_connection():
    pid = connection.connection.get_backend_pid()
    s = connection.settings_dict
    other = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432,
    )  # fmt: skip
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0]
    other.close()
    return pid


@pytest.fixture
def persistent_connections():
    saved = {k: connection.settings_dict[k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict["CONN_MAX_AGE"] = 60
    yield connection.settings_dict
    connection.settings_dict.update(saved)


def studio_form():
    return {
        "name": "重启之后创新工作室",
        "type": "technical",
        "founded_on": "2020-01-01",
        "area_m2": "60",
        "working_funds_cny": "10000",
        "equipment": "x",
    }


def open_form_then_lose_the_server(settings_dict):
    client = Client()
    client.force_login(UnionUserFactory())
    browser = Browser(client.cookies["sessionid"].value)
    assert browser.request("GET", reverse("studios:studio_create")) == 200
    pid = connection.connection.get_backend_pid()
    assert browser.request("GET", reverse("studios:studio_create")) == 200
    assert connection.connection.get_backend_pid() == pid  # the connection is kept between requests
    kill_backend_of_the_portals_connection()
    form = {**studio_form(), "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    return browser, form


def test_database_restart_between_two_requests_costs_no_retry(on_postgres, persistent_connections):
    persistent_connections["CONN_HEALTH_CHECKS"] = True
    browser, form = open_form_then_lose_the_server(persistent_connections)
    assert browser.request("POST", reverse("studios:studio_create"), form) == 302
    assert Studio.objects.filter(name=form["name"]).count() == 1


def test_without_health_checks_the_same_restart_would_cost_a_500(
    on_postgres, persistent_connections
):
    """The control: it is the health check that saves the request above."""
    persistent_connections["CONN_HEALTH_CHECKS"] = False
    browser, form = open_form_then_lose_the_server(persistent_connections)
    assert browser.request("POST", reverse("studios:studio_create"), form) == 500
    assert browser.request("POST", reverse("studios:studio_create"), form) == 302  # one retry
    assert Studio.objects.filter(name=form["name"]).count() == 1


def test_the_portal_runs_with_health_checks_on():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
