"""Elder care's work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import queues

from . import selectors


def overdue_rectifications(*, user: Any, area: Area) -> int | None:
    if not policy.may(user, selectors.VIEW):
        return None
    return policy.within(selectors.overdue_findings(user=user), area).count()


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="eldercare.overdue_rectifications",
            label=_("Overdue rectifications"),
            app="eldercare",
            count=overdue_rectifications,
            url=lambda area: reverse("eldercare:overdue_list"),
            overdue=True,
        )
    )
