from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def deliver_pending_notifications():
    return services.deliver_pending_emails()
