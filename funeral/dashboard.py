"""Marriage registration's work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import queues

from . import selectors


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="funeral.divorces_near_lapse",
            label=_("Divorce applications near lapse"),
            app="funeral",
            count=queues.rows_in_area(
                "marriage.view", lambda user: selectors.divorces_near_lapse(user=user)
            ),
            url=lambda area: reverse("funeral:divorces") + "?near_lapse=1",
            overdue=True,
        )
    )
