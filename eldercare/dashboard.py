"""Elder care's work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import queues

from . import selectors


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="eldercare.overdue_rectifications",
            label=_("Overdue rectifications"),
            app="eldercare",
            count=queues.rows_in_area(
                selectors.VIEW, lambda user: selectors.overdue_findings(user=user)
            ),
            url=lambda area: reverse("eldercare:overdue_list"),
            overdue=True,
        )
    )
