"""Item 4 of issue #8: with the broker (Redis) down, submitting an application, a lifecycle
decision that issues a certificate, and recording and approving a payment all succeed for the
user; once the outbox is drained (the beat job's tasks, run here in-process as a worker would)
every e-mail, notification and certificate that should follow is delivered exactly once."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from accounts.models import Notification
from accounts.tasks import deliver_pending_notifications
from funding import services as funding
from funding.models import DisbursementStatus
from reviews.models import ApplicationStatus
from reviews.services import Action, transition
from studios import lifecycle
from studios.lifecycle_models import Certificate
from studios.tasks import drain_certificate_outbox
from tests.factories.accounts import DistrictStaffFactory, FinanceUserFactory, UnionUserFactory
from tests.factories.funding import GrantFactory
from tests.factories.reviews import ApplicationFactory, CallFactory, MaterialFactory
from tests.factories.studios import EligibleStudioFactory
from tests.resilience.services import PrivateRedis, celery_broker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis():
    server = PrivateRedis().start()
    yield server
    server.kill()


@pytest.fixture
def people():
    union = UnionUserFactory(email="union@example.cn")
    return {
        "union": union,
        "staff": DistrictStaffFactory(email="staff@example.cn"),
        "finance": FinanceUserFactory(email="finance@example.cn"),
        "finance2": FinanceUserFactory(email="finance2@example.cn"),
    }


def act_while_the_broker_is_down(people):
    """The three actions of the issue, each through its service, as the view would call it."""
    union, staff = people["union"], people["staff"]
    application = ApplicationFactory(
        studio=EligibleStudioFactory(enterprise=union.enterprise), call=CallFactory()
    )
    MaterialFactory(application=application)
    to_recognise = EligibleStudioFactory(enterprise=union.enterprise, name="断网认定创新工作室")
    grant = GrantFactory(studio=EligibleStudioFactory(enterprise=union.enterprise))
    timings = {}

    started = time.monotonic()
    transition(union, application, Action.SUBMIT)
    timings["submit"] = time.monotonic() - started

    started = time.monotonic()
    lifecycle.recognise(to_recognise, staff, on=date(2026, 3, 2))
    timings["recognise"] = time.monotonic() - started

    started = time.monotonic()
    payment = funding.record_disbursement(
        people["finance"],
        grant,
        {"paid_on": date(2026, 4, 1), "amount": Decimal("30000.00"), "voucher_number": "V-1"},
    )
    funding.approve_disbursement(people["finance2"], payment)
    timings["payment"] = time.monotonic() - started
    return application, to_recognise, payment, timings


def expected_notifications(people):
    """Who must hear of what: staff of the submission, the second finance user of the payment
    to approve, the union of the payment made."""
    return {
        ("reviews.application_submitted", people["staff"].pk),
        ("funding.payment_to_approve", people["finance2"].pk),
        ("funding.payment_paid", people["union"].pk),
    }


def test_with_redis_down_every_action_succeeds_and_everything_follows_once(redis, people):
    with celery_broker(redis.url):
        redis.kill()
        application, studio, payment, timings = act_while_the_broker_is_down(people)

    application.refresh_from_db()
    payment.refresh_from_db()
    studio.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert payment.status == DisbursementStatus.PAID
    assert studio.status == "recognised"
    assert all(seconds < 10 for seconds in timings.values()), timings
    certificate = Certificate.objects.get(studio=studio)
    # Nothing has left yet: it all waits in the database.
    assert (certificate.rendered_at, certificate.renders) == (None, 0)
    assert mail.outbox == []
    pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
    assert expected_notifications(people) <= set(pending.values_list("kind", "recipient_id"))

    redis.start()  # Redis is back; beat sends its two outbox jobs, a worker runs them (twice)
    for _run in range(2):
        deliver_pending_notifications()
        drain_certificate_outbox()

    certificate.refresh_from_db()
    assert certificate.renders == 1 and certificate.rendered_at is not None
    assert certificate.pdf.read(4) == b"%PDF"
    for kind, recipient in expected_notifications(people):
        note = Notification.objects.get(kind=kind, recipient_id=recipient)
        assert note.email_status == Notification.EmailStatus.SENT
        assert note.email_attempts == 1
    sent_to = sorted(address for message in mail.outbox for address in message.to)
    assert sent_to == sorted(set(sent_to))  # one e-mail per notification, none twice
    assert len(mail.outbox) == Notification.objects.count()


def test_a_task_that_did_reach_the_broker_and_the_drain_render_a_certificate_once(redis, people):
    """The task and the periodic drain may both run for the same certificate; it renders once."""
    with celery_broker(redis.url):  # the broker is up: the render task is queued, not run
        lifecycle.recognise(EligibleStudioFactory(), people["staff"], on=date(2026, 3, 2))
    certificate = Certificate.objects.get()
    assert certificate.renders == 0
    drain_certificate_outbox()
    from studios.tasks import render_certificate_task

    render_certificate_task(certificate.pk)  # the queued task reaches a worker afterwards
    certificate.refresh_from_db()
    assert certificate.renders == 1
