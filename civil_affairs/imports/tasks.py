"""Celery jobs of big imports: each loads the id and calls one service."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="imports.check", acks_late=True)
def check_job(staged_import_id: int) -> str:
    try:
        return services.import_check(staged_import_id=staged_import_id).status
    except Exception:
        log.exception("staged import %s: the check failed", staged_import_id)
        services.job_failed(staged_import_id=staged_import_id)
        raise


@shared_task(name="imports.save", acks_late=True)
def save_job(staged_import_id: int) -> str:
    try:
        return services.import_save(staged_import_id=staged_import_id).status
    except Exception:
        log.exception("staged import %s: the import failed", staged_import_id)
        services.job_failed(staged_import_id=staged_import_id)
        raise
