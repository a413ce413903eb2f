from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_call_close_reminders():
    return services.send_call_close_reminders()
