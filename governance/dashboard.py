"""Governance's work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import queues

from . import selectors


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="governance.overdue_disclosures",
            label=_("Overdue village affairs disclosures"),
            app="governance",
            count=queues.rows_in_area(
                "committee.view", lambda user: selectors.overdue_disclosures(user=user)
            ),
            url=lambda area: reverse("governance:disclosure_list"),
            overdue=True,
        )
    )
