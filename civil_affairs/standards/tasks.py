"""Celery tasks: each loads what it needs and calls one service."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model

from . import services
from .models import Standard


@shared_task(name="standards.apply", acks_late=True)
def standard_apply_task(standard_id: int, actor_id: int) -> int:
    """Recompute what a new or changed standard row governs. Safe to retry."""
    actor: Any = get_user_model().objects.get(pk=actor_id)
    standard = Standard.objects.get(pk=standard_id)
    return services.standard_apply(actor=actor, standard=standard)
