"""Governance's work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import queues

from . import selectors


def overdue_disclosures(*, user: Any, area: Area) -> int | None:
    if not policy.may(user, "committee.view"):
        return None
    return policy.within(selectors.overdue_disclosures(user=user), area).count()


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="governance.overdue_disclosures",
            label=_("Overdue village affairs disclosures"),
            app="governance",
            count=overdue_disclosures,
            url=lambda area: reverse("governance:disclosure_list"),
            overdue=True,
        )
    )
