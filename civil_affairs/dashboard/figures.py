"""The figures registry: every figure of the dashboards and the annual report.

Each domain app computes its own figures in its `selectors.py` and registers them here (in
its AppConfig.ready), so that the dashboards and the annual work report (civil_affairs/
dashboard) list them without importing the app (DESIGN.md rule 3). A figure:

- takes a period (a month, a quarter or a year: `Period`) and an area (county, township or
  village) and the user, whose access policy it honours (a township user asking about the
  county gets their township's share only: compute through `policy.scope`);
- returns a number (int or Decimal), or None when the portal holds no data for it (the report
  then says "no data in the portal" instead of a number);
- carries its written definition (shown beside it) and, where there is one, the URL of the
  list of records behind it.

    from civil_affairs.dashboard import figures

    figures.register(figures.Figure(
        key="social_orgs.inspected",
        label=_("Organisations inspected"),
        definition=_("Organisations with an annual inspection result recorded for the year…"),
        unit=figures.Unit.COUNT,
        compute=selectors.figure_inspected,   # (*, user, area, period) -> int | Decimal | None
        records_url=lambda area, period: reverse("social_orgs:inspections") + f"?year=…",
        section="四",
    ))

Person-times of a monthly program are person-months paid in the period; of a one-off program,
cases paid. Funds are amounts actually paid (after bank returns), not amounts due.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    PERSONS = "persons", _("persons")
    PERSON_TIMES = "person_times", _("person-times")
    YUAN = "yuan", _("yuan")
    TEN_THOUSAND_YUAN = "10k_yuan", _("10,000 yuan")
    PERCENT = "percent", _("percent")


@dataclass(frozen=True)
class Period:
    """The months `first` to `last` (inclusive, each the first day of its month)."""

    first: datetime.date
    last: datetime.date
    kind: str  # "month", "quarter" or "year"

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        day = datetime.date(year, month, 1)
        return cls(day, day, "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = datetime.date(year, 3 * quarter - 2, 1)
        return cls(first, datetime.date(year, 3 * quarter, 1), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 1), "year")

    @property
    def end_day(self) -> datetime.date:
        """The period's last day."""
        nxt = datetime.date(self.last.year + self.last.month // 12, self.last.month % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)

    def months(self) -> list[datetime.date]:
        out, m = [], self.first
        while m <= self.last:
            out.append(m)
            m = datetime.date(m.year + m.month // 12, m.month % 12 + 1, 1)
        return out

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.first:%Y}"
        if self.kind == "quarter":
            return f"{self.first:%Y}Q{(self.first.month + 2) // 3}"
        return f"{self.first:%Y-%m}"


Value = int | Decimal | None
Compute = Callable[..., Value]  # (*, user, area, period) -> Value


@dataclass(frozen=True)
class Figure:
    key: str  # "<app>.<name>"
    label: str | Promise
    definition: str | Promise
    unit: str
    compute: Compute
    records_url: Callable[[Any, Period], str] | None = None  # (area, period) -> URL
    section: str = ""  # the heading of the annual report it belongs under
    target_kind: str = ""  # a standards kind holding its target per area and year, if any


_figures: dict[str, Figure] = {}


def register(figure: Figure) -> None:
    _figures[figure.key] = figure


def get(key: str) -> Figure:
    return _figures[key]


def all_figures() -> list[Figure]:
    return list(_figures.values())


def of_app(app: str) -> list[Figure]:
    return [f for f in _figures.values() if f.key.split(".", 1)[0] == app]
