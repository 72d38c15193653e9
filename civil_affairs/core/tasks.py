from celery import shared_task
from celery.signals import worker_ready

from . import queue


@shared_task(name="core.send_waiting")
def send_waiting() -> int:
    """Every minute (a django-celery-beat PeriodicTask): tasks written while the broker was
    down are sent now that it answers again."""
    return queue.send_waiting()


@worker_ready.connect
def _send_waiting_on_start(**_: object) -> None:
    try:
        queue.send_waiting()
    except Exception:
        return
