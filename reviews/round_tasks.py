"""Periodic jobs of review rounds: thin wrappers around the services."""

from celery import shared_task

from . import round_services


@shared_task(ignore_result=True, name="reviews.round_tasks.send_scoring_reminders")
def send_scoring_reminders():
    return round_services.send_scoring_reminders()
