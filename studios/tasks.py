"""Thin task wrappers around the lifecycle's services."""

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def render_certificate_task(certificate_id: int):
    from .certificates import render_certificate_if_pending

    render_certificate_if_pending(certificate_id)


@shared_task(ignore_result=True)
def drain_certificate_outbox():
    """Beat, every 5 minutes: certificates and batches a broker outage or a dead worker left."""
    from .certificates import drain_certificate_outbox as drain

    return drain()


@shared_task(ignore_result=True, acks_late=True)
def run_certificate_batch_task(batch_id: int):
    from .certificates import run_certificate_batch

    run_certificate_batch(batch_id)


@shared_task(ignore_result=True)
def send_lifecycle_reminders():
    from .reminders import send_lifecycle_reminders as send

    return send(timezone.localdate())
