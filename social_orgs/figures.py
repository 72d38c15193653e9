"""The report's figures of social organisations (section 四), registered with the dashboard."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import figures

from . import selectors


def _inspections_url(area: Any, period: Any) -> str:
    query = {
        "area": area.code,
        "from": f"{period.first:%Y-%m-%d}",
        "to": f"{period.end_day:%Y-%m-%d}",
    }
    return f"{reverse('social_orgs:inspection_list')}?{urlencode(query)}"


def _stations_url(area: Any, period: Any) -> str:
    return f"{reverse('social_orgs:station_list')}?{urlencode({'area': area.code})}"


def register_figures() -> None:
    figures.register(
        figures.Figure(
            key="social_orgs.inspected",
            label=_("Social organisations inspected"),
            definition=_(
                "Annual inspections whose report was received in the period (whatever year "
                "they inspect), of organisations registered in the area."
            ),
            unit=figures.Unit.COUNT,
            compute=selectors.figure_inspected,
            records_url=_inspections_url,
            section="四",
        )
    )
    figures.register(
        figures.Figure(
            key="social_orgs.passed",
            label=_("Organisations passing the annual inspection"),
            definition=_("Of the inspections counted as inspected, those with the result pass."),
            unit=figures.Unit.COUNT,
            compute=selectors.figure_passed,
            records_url=_inspections_url,
            section="四",
        )
    )
    figures.register(
        figures.Figure(
            key="social_orgs.basic_passed",
            label=_("Organisations basically passing the annual inspection"),
            definition=_(
                "Of the inspections counted as inspected, those with the result basic pass."
            ),
            unit=figures.Unit.COUNT,
            compute=selectors.figure_basic_passed,
            records_url=_inspections_url,
            section="四",
        )
    )
    figures.register(
        figures.Figure(
            key="social_orgs.social_work_coverage",
            label=_("Townships with a social-work station"),
            definition=_(
                "Townships and streets of the area with a social-work station open on the "
                "period's last day, as a percentage of all its townships and streets."
            ),
            unit=figures.Unit.PERCENT,
            compute=selectors.figure_social_work_coverage,
            records_url=_stations_url,
            section="四",
        )
    )
