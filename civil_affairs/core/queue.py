"""Sending Celery tasks so that none is lost while the broker (Redis) is down.

    from civil_affairs.core import queue
    queue.send_after_commit("crosscheck.run", run.pk)

The task is written to the database (QueuedTask) in the caller's transaction and sent after
the commit; once the broker has it, the row is deleted. If the broker does not answer, the
request still succeeds (the page says the job has started; its own status shows it waiting),
the row stays, and `send_waiting` — a beat task every minute, and run by every worker when it
starts — sends it when the broker is back. Tasks sent this way must be safe to receive twice
(a crash between sending and deleting sends it again): every job here checks its own status
first.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.db import transaction

from .models import QueuedTask

log = logging.getLogger(__name__)


def send_after_commit(task: str, *args: Any) -> None:
    row = QueuedTask.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: _send(row.pk), robust=True)


def _send(pk: int) -> bool:
    """Take the row (so that no other sender sends it too), send, and put it back if the
    broker refuses. No transaction is held while the broker is asked."""
    row = QueuedTask.objects.filter(pk=pk).first()
    if row is None or not QueuedTask.objects.filter(pk=pk).delete()[0]:
        return True  # sent already, or being sent by another process
    try:
        if current_app.conf.task_always_eager:  # tests: the task runs here, find it by name
            current_app.loader.import_default_modules()
            current_app.tasks[row.task].apply_async(args=row.args)
        else:  # by name: this process need not have imported the task's module
            current_app.send_task(row.task, args=row.args, retry=False)
    except Exception as exc:  # the broker is down: the row waits for send_waiting
        log.warning("queue: %s waits for the broker (%r)", row, exc)
        row.attempts += 1
        row.last_error = repr(exc)[:1000]
        row.save(force_insert=True)
        return False
    return True


def send_waiting() -> int:
    """Send every waiting task, oldest first; stop at the first the broker refuses."""
    sent = 0
    for pk in QueuedTask.objects.order_by("id").values_list("pk", flat=True):
        if not _send(pk):
            break
        sent += 1
    return sent
