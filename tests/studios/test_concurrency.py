"""Twenty unions' browsers registering the same studio name at the same moment, on real
PostgreSQL connections: every request passes the form's own duplicate check, the database's
unique constraint refuses all inserts but one, and each loser gets a form error — no server
error, exactly one studio, nothing half-written (no audit event, no stored document)."""

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import verify_chain
from core.db import DUPLICATE
from studios.models import Studio
from tests.conftest import require
from tests.factories.accounts import UnionUserFactory
from tests.factories.studios import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)
N = 20


def studio_form(**overrides):
    return {
        "name": "张三焊接创新工作室",
        "type": "technical",
        "founded_on": "2024-01-10",
        "area_m2": "35.5",
        "address": "科创十三街",
        "equipment": "焊接机器人",
        "working_funds_cny": "80000",
        "introduction": "",
        **overrides,
    }


def test_twenty_parallel_creations_of_one_name_give_one_studio_and_form_errors():
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    union = UnionUserFactory()
    barrier = threading.Barrier(N)
    statuses, codes = [], []

    def create():
        client = Client(raise_request_exception=False)
        client.force_login(union)
        body = studio_form(
            management_rules=SimpleUploadedFile("rules.pdf", PDF_BYTES, "application/pdf")
        )
        try:
            barrier.wait(timeout=30)
            response = client.post(reverse("studios:studio_create"), body)
            statuses.append(response.status_code)
            if response.status_code == 200:
                codes.extend(e.code for e in response.context["form"].errors.as_data()["name"])
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=create) for _ in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert 500 not in statuses, statuses
    assert sorted(statuses) == [200] * (N - 1) + [302]
    assert Studio.objects.count() == 1
    assert AuditEvent.objects.filter(action="studio.created").count() == 1
    assert verify_chain() is None
    # The losers either met the form's own check or the constraint; none left a document.
    assert codes and set(codes) == {DUPLICATE}
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    stored = [p for p in location.rglob("*") if p.is_file()]
    assert len(stored) == 1, stored
