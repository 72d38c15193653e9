"""Celery tasks: each loads ids and calls one service; no business rule lives here."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="dashboard.refresh_summary", acks_late=True)
def refresh_summary(refresh_id: int | None = None) -> int:
    """Nightly (a django-celery-beat PeriodicTask, without an id), after each bank return and
    on demand (with the id of the queued refresh)."""
    if refresh_id is None:
        refresh_id = services.summary_refresh_start(actor=None, trigger="nightly", queue=False).pk
    return services.summary_refresh_run(refresh_id=refresh_id).rows


@shared_task(name="dashboard.annual_report", acks_late=True)
def annual_report(report_id: int) -> int:
    return services.annual_report_run(report_id=report_id).pk


def start_refresh(refresh_id: int) -> None:
    try:
        refresh_summary.delay(refresh_id)
    except Exception as exc:  # the broker is down: say so on the run
        log.exception("summary refresh %s: could not queue it", refresh_id)
        services.summary_refresh_failed(refresh_id=refresh_id, error=f"could not queue: {exc!r}")


def start_report(report_id: int) -> None:
    try:
        annual_report.delay(report_id)
    except Exception as exc:
        log.exception("annual report %s: could not queue it", report_id)
        services.annual_report_failed(report_id=report_id, error=f"could not queue: {exc!r}")
