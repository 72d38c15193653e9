"""Marriage registration's work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import queues

from . import selectors


def divorces_near_lapse(*, user: Any, area: Area) -> int | None:
    if not policy.may(user, "marriage.view"):
        return None
    return policy.within(selectors.divorces_near_lapse(user=user), area).count()


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="funeral.divorces_near_lapse",
            label=_("Divorce applications near lapse"),
            app="funeral",
            count=divorces_near_lapse,
            url=lambda area: reverse("funeral:divorces") + "?near_lapse=1",
            overdue=True,
        )
    )
