"""Celery tasks: each loads what it needs and calls one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="relief.mark_overdue_reviews")
def mark_overdue_reviews() -> int:
    """Daily (a django-celery-beat PeriodicTask, editable in the admin)."""
    return services.review_mark_overdue()
