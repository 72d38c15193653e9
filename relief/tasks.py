"""Celery tasks: each loads what it needs and calls one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="relief.mark_overdue_reviews")
def mark_overdue_reviews() -> int:
    """Daily (a django-celery-beat PeriodicTask, editable in the admin)."""
    return services.review_mark_overdue()


@shared_task(name="relief.monitoring_check")
def monitoring_check() -> int:
    """Monthly (a django-celery-beat PeriodicTask): watched low-income households whose
    income fell below the standard are listed for a caseworker."""
    return services.monitoring_check_month()
