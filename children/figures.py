"""The children's figures of the dashboards and the annual report (section 二)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import figures

from . import selectors


def _activities_url(area: Any, period: figures.Period) -> str:
    return (
        reverse("children:activity_list")
        + f"?area={area.code}&first={period.first:%Y-%m-%d}&last={period.end_day:%Y-%m-%d}"
    )


def _staff_url(area: Any, period: figures.Period) -> str:
    return reverse("children:staff") + f"?area={area.code}"


def register_figures() -> None:
    figures.register(
        figures.Figure(
            key="children.care_activities",
            label=_("Care activities for children in difficulty"),
            definition=_(
                "Care activities recorded with a date in the period, held in the area or "
                "below (villages, communities, townships)."
            ),
            unit=figures.Unit.COUNT,
            compute=selectors.figure_care_activities,
            records_url=_activities_url,
            section="二",
        )
    )
    figures.register(
        figures.Figure(
            key="children.care_funds_raised",
            label=_("Care funds and goods raised"),
            definition=_(
                "Funds raised plus the value of goods raised (yuan) by the care activities "
                "held in the period in the area."
            ),
            unit=figures.Unit.YUAN,
            compute=selectors.figure_care_funds_raised,
            records_url=_activities_url,
            section="二",
        )
    )
    figures.register(
        figures.Figure(
            key="children.director_coverage",
            label=_("Villages and communities with a child director"),
            definition=_(
                "Percent of the villages and communities in the area with a child director "
                "in post on the period's last day."
            ),
            unit=figures.Unit.PERCENT,
            compute=selectors.figure_director_coverage,
            records_url=_staff_url,
            section="二",
        )
    )
