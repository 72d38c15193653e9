"""A bank return changes what was paid: the summary is refreshed once its file is applied.

The payments services are not changed for this: a BankReturn row is created only inside
`bank_return_apply`, whose transaction also settles the rows (and marks the payroll paid or
partly failed); the refresh is queued when that transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save


def _bank_return_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return

    def start() -> None:
        from . import services

        services.summary_refresh_start(actor=None, trigger="bank_return")

    transaction.on_commit(start, robust=True)


def connect() -> None:
    from civil_affairs.payments.models import BankReturn

    post_save.connect(_bank_return_saved, sender=BankReturn, dispatch_uid="dashboard_bank_return")
