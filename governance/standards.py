"""Governance's kinds of standards: the term of a committee and how often villages disclose
their affairs are rows of the shared table (civil_affairs/standards), never numbers here."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas.models import Area
from civil_affairs.standards import registry, selectors


class Kind(models.TextChoices):
    TERM_YEARS = "governance.term_years", _("Committee term: years")
    DISCLOSURE_MONTHS = (
        "governance.disclosure_months",
        _("Village affairs disclosure: at least every this many months"),
    )
    DISCLOSURE_GRACE_DAYS = (
        "governance.disclosure_grace_days",
        _("Village affairs disclosure: days after the period to disclose it"),
    )


UNITS = {
    Kind.TERM_YEARS: registry.Unit.YEARS,
    Kind.DISCLOSURE_MONTHS: registry.Unit.MONTHS,
    Kind.DISCLOSURE_GRACE_DAYS: registry.Unit.DAYS,
}


def register_kinds() -> None:
    for kind in Kind:
        registry.register(
            registry.Kind(code=kind.value, label=kind.label, unit=UNITS[kind], app="governance")
        )


def whole(kind: str, *, area: Area, on: datetime.date) -> int:
    """The whole number a standard holds for `area` on `on` (a missing row: ValidationError)."""
    return int(selectors.get(kind, area=area, month=on.replace(day=1)).value)
