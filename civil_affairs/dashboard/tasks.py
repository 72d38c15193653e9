"""Celery tasks: each loads ids and calls one service; no business rule lives here."""

from __future__ import annotations

from celery import shared_task

from . import services


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
