"""Celery tasks: each calls one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="funeral.expire_divorce_applications")
def expire_divorce_applications() -> int:
    """Daily (a django-celery-beat PeriodicTask, editable in the admin): divorce applications
    whose certificate was not applied for in time are deemed withdrawn."""
    return services.divorces_expire()
