"""The report's figures of community governance (section 三), registered with the dashboard."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import figures

from . import selectors


def _certificates_url(area: Any, period: Any) -> str:
    query = {
        "area": area.code,
        "from": f"{period.first:%Y-%m-%d}",
        "to": f"{period.end_day:%Y-%m-%d}",
    }
    return f"{reverse('governance:certificate_list')}?{urlencode(query)}"


def _committees_url(area: Any, period: Any) -> str:
    query = {"area": area.code, "kind": "public_health"}
    return f"{reverse('governance:committee_list')}?{urlencode(query)}"


def register_figures() -> None:
    figures.register(
        figures.Figure(
            key="governance.certificates_cancelled",
            label=_("Village certificates cancelled"),
            definition=_(
                "Certificates that villagers' and residents' committees no longer issue, "
                "cancelled in the period by the area or an area in it (still cancelled)."
            ),
            unit=figures.Unit.COUNT,
            compute=selectors.figure_certificates_cancelled,
            records_url=_certificates_url,
            section="三",
        )
    )
    figures.register(
        figures.Figure(
            key="governance.public_health_committees",
            label=_("Villages and communities with a public-health committee"),
            definition=_(
                "Villages and communities of the area with a public-health sub-committee in "
                "office on the period's last day."
            ),
            unit=figures.Unit.COUNT,
            compute=selectors.figure_public_health_committees,
            records_url=_committees_url,
            section="三",
        )
    )
    figures.register(
        figures.Figure(
            key="governance.public_health_coverage",
            label=_("Public-health committee coverage"),
            definition=_(
                "Villages and communities with a public-health sub-committee on the period's "
                "last day, as a percentage of all villages and communities of the area."
            ),
            unit=figures.Unit.PERCENT,
            compute=selectors.figure_public_health_coverage,
            records_url=_committees_url,
            section="三",
        )
    )
