"""Social organisations' work queue on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import queues

from . import selectors


def _last_year() -> int:
    return timezone.localdate().year - 1  # the inspection of a year is made the next year


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="social_orgs.not_inspected",
            label=_("Organisations not inspected for last year"),
            app="social_orgs",
            count=queues.rows_in_area(
                "organisation.view",
                lambda user: selectors.not_inspected(user=user, year=_last_year()),
            ),
            url=lambda area: (
                reverse("social_orgs:inspection_list") + f"?year={_last_year()}&area={area.code}"
            ),
        )
    )
