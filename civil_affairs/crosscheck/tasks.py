"""Celery tasks: each loads its object by id and calls one function, nothing more.

A run is a chord like the payroll: a group of chunk tasks (list rows or people by id range)
and a callback that closes the run. Chunks are idempotent (ON CONFLICT DO NOTHING), so a
retried or redelivered chunk adds nothing twice.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import chord, shared_task
from django.core.exceptions import ValidationError
from django.db import OperationalError

from .models import ExternalList, MatchRun

logger = logging.getLogger(__name__)


@shared_task(name="crosscheck.list_load")
def list_load_task(list_id: int) -> dict[str, Any]:
    from .loading import list_load

    lst = list_load(external_list=ExternalList.objects.get(pk=list_id))
    return {"status": lst.status, "loaded": lst.rows_loaded, "rejected": lst.rows_rejected}


@shared_task(name="crosscheck.run")
def run_task(run_id: int) -> int:
    from . import matching

    run = MatchRun.objects.select_related("area").get(pk=run_id)
    try:
        chunks = matching.run_start(run)
    except Exception as exc:
        matching.run_fail(run, f"{exc.__class__.__name__}: {exc}")
        raise
    if not chunks:
        matching.run_finish(run)
        return 0
    finish = run_finish_task.si(run_id).on_error(run_failed_task.s(run_id))
    chord([run_chunk_task.si(run_id, *c.as_args()) for c in chunks], finish).delay()
    return len(chunks)


@shared_task(
    name="crosscheck.run_chunk",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def run_chunk_task(run_id: int, step: str, lo: int, hi: int) -> int:
    from . import matching

    run = MatchRun.objects.select_related("area").get(pk=run_id)
    return matching.run_chunk(run, matching.Chunk(step, lo, hi))


@shared_task(name="crosscheck.run_finish")
def run_finish_task(run_id: int) -> None:
    from . import matching

    matching.run_finish(MatchRun.objects.get(pk=run_id))


@shared_task(name="crosscheck.run_failed")
def run_failed_task(request: Any, exc: Any, traceback: Any, run_id: int) -> None:
    from . import matching

    matching.run_fail(MatchRun.objects.get(pk=run_id), f"{exc}")


@shared_task(name="crosscheck.monthly")
def monthly_task() -> list[int]:
    """The beat schedule's entry: every check, for every county, as of today."""
    from civil_affairs.areas.models import Area

    from . import services

    runs = []
    for county in Area.objects.filter(parent__isnull=True):
        try:
            runs.append(services.run_start(actor=None, area=county).pk)
        except ValidationError as exc:  # a run of that county is still going: leave it be
            logger.warning("monthly cross-check of %s not started: %s", county.code, exc)
    return runs
