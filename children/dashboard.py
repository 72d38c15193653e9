"""Child welfare's work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import queues

from . import selectors


def overdue_visits(*, user: Any, area: Area) -> int | None:
    if not policy.may(user, "child.view"):
        return None
    return len(selectors.overdue_visits(user=user, area=area))


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="children.overdue_visits",
            label=_("Overdue child visits"),
            app="children",
            count=overdue_visits,
            url=lambda area: reverse("children:overdue_visits"),
            overdue=True,
        )
    )
