"""Celery tasks: each loads ids and calls one service; no business rule lives here.

A generation is a chord: one `generate_chunk` per chunk of persons (a group that any number
of workers share), then `finish_generation` totals the payroll. acks_late (settings) makes a
chunk whose worker died run again, but only after the broker's visibility timeout (an hour
on Redis); so `resume_generations` (beat, every minute, and each worker at its start) queues
again at once every chunk whose worker is gone (services.payroll_resume). A chunk runs once
however often it is queued: it is locked and marked done with its rows, and a row already
there counts as paid, so nothing is inserted twice.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import chord, shared_task
from celery.signals import worker_ready
from django.db import OperationalError
from django.utils import timezone

from . import services
from .models import PayrollChunk

log = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
)
def generate_chunk(self: Any, chunk_id: int) -> int:
    return services.payroll_chunk_generate(
        chunk_id=chunk_id, worker=str(getattr(self.request, "hostname", "") or "")
    )


def queue_chunks(chunk_ids: list[int]) -> None:
    """Queue chunks again, outside their chord (the last chunk done finishes the payroll)."""
    for pk in chunk_ids:
        generate_chunk.delay(pk)


@shared_task(name="payments.resume_generations", acks_late=True)
def resume_generations() -> int:
    """Every minute (a django-celery-beat PeriodicTask) and when a worker starts."""
    return services.generations_resume()


@worker_ready.connect
def _resume_at_worker_start(**kwargs: object) -> None:
    """A fresh worker (say, after the old one was killed) resumes what was left undone."""
    try:
        resume_generations.delay()
    except Exception:  # the broker is not reachable yet: the beat job does it
        log.exception("could not queue the resume of payroll generations")


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def finish_generation(*args: object) -> int | None:
    """The chord's callback (its first argument is the chunks' results) or a plain call."""
    payroll_id = int(args[-1])  # type: ignore[call-overload]
    payroll = services.payroll_generation_finish(payroll_id=payroll_id)
    return payroll.pk if payroll else None


@shared_task
def generation_failed(request: object, exc: object, traceback: object, payroll_id: int) -> None:
    """The chord's error callback: a chunk failed for good."""
    services.payroll_generation_failed(payroll_id=payroll_id, error=f"{exc!r}")


def start_generation(payroll_id: int) -> None:
    """Queue the chord of a payroll's open chunks (called once its transaction commits)."""
    chunk_ids = list(
        PayrollChunk.objects.filter(payroll_id=payroll_id, done=False)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    PayrollChunk.objects.filter(pk__in=chunk_ids).update(queued_at=timezone.now())
    try:
        if not chunk_ids:
            finish_generation.delay(payroll_id)
            return
        callback = finish_generation.si(payroll_id).on_error(generation_failed.s(payroll_id))
        chord((generate_chunk.si(pk) for pk in chunk_ids), callback).apply_async()
    except Exception as exc:  # the broker is down: unlock the payroll and say why
        log.exception("payroll %s: could not queue the generation", payroll_id)
        services.payroll_generation_failed(
            payroll_id=payroll_id, error=f"could not queue the generation: {exc!r}"
        )


@shared_task(name="payments.export_xlsx", acks_late=True)
def export_xlsx(job_id: int) -> int:
    return services.export_job_run(job_id=job_id).rows_done


@shared_task(name="payments.purge_exports")
def purge_exports() -> int:
    """Daily (a django-celery-beat PeriodicTask, editable in the admin)."""
    return services.export_jobs_purge()


@shared_task(name="payments.reconcile", acks_late=True)
def reconcile() -> int:
    """Nightly (a django-celery-beat PeriodicTask): compare what is owed with what is paid;
    finance sees the differences on their home page. Old runs are purged."""
    from . import reconciliation

    recon = services.reconciliation_start(actor=None)
    reconciliation.purge()
    return recon.pk


@shared_task(name="payments.reconcile_run", acks_late=True)
def reconcile_run(run_id: int) -> int:
    from . import reconciliation

    return reconciliation.run(run_id=run_id).lines_found
