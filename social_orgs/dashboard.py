"""Social organisations' work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import queues

from . import selectors


def _last_year() -> int:
    return timezone.localdate().year - 1  # the inspection of a year is made the next year


def not_inspected(*, user: Any, area: Area) -> int | None:
    if not policy.may(user, "organisation.view"):
        return None
    return policy.within(selectors.not_inspected(user=user, year=_last_year()), area).count()


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="social_orgs.not_inspected",
            label=_("Organisations not inspected for last year"),
            app="social_orgs",
            count=not_inspected,
            url=lambda area: (
                reverse("social_orgs:inspection_list") + f"?year={_last_year()}&area={area.code}"
            ),
        )
    )
