"""Social organisations' kinds of standards: the deadlines and periods the registry works with
are rows of the shared table (civil_affairs/standards), never numbers in the code."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas.models import Area
from civil_affairs.standards import registry, selectors


class Kind(models.TextChoices):
    REPORT_DEADLINE_MONTH = (
        "social_orgs.report_deadline_month",
        _("Annual inspection: reports for a year are due by the end of this month of the next"),
    )
    EVALUATION_VALID_YEARS = (
        "social_orgs.evaluation_valid_years",
        _("Evaluation grade: years it stays valid"),
    )
    REVOCATION_YEARS = (
        "social_orgs.revocation_years",
        _("Years in a row without inspection that lead to revocation"),
    )


UNITS = {
    Kind.REPORT_DEADLINE_MONTH: registry.Unit.MONTHS,
    Kind.EVALUATION_VALID_YEARS: registry.Unit.YEARS,
    Kind.REVOCATION_YEARS: registry.Unit.YEARS,
}


def register_kinds() -> None:
    for kind in Kind:
        registry.register(
            registry.Kind(code=kind.value, label=kind.label, unit=UNITS[kind], app="social_orgs")
        )


def whole(kind: str, *, area: Area, on: datetime.date) -> int:
    """The whole number a standard holds for `area` on `on` (a missing row: ValidationError)."""
    row = selectors.get(kind, area=area, month=on.replace(day=1))
    return int(row.value)
