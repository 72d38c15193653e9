"""The children's kinds of standards, registered with the shared table (civil_affairs/standards).

Amounts, the age allowances end at, the months paid after the birthday, which other benefits
a child is not paid together with, visit frequencies and follow-up deadlines: all rows of the
shared table, found for an area by walking up the tree. The allowances read the amounts in
force each month in the payroll's SQL, so a new row needs no recomputation (no `apply`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civil_affairs import benefits
from civil_affairs.standards import registry

from .models import Category

Unit = registry.Unit


class Kind(models.TextChoices):
    ORPHAN_ALLOWANCE = (
        "children.orphan_allowance",
        _("Orphan basic living allowance (monthly; de-facto unsupported children: scattered)"),
    )
    END_AGE = "children.end_age", _("Child allowances: age they end at (unless in school)")
    MONTHS_AFTER_BIRTHDAY = (
        "children.months_after_birthday",
        _("Child allowances: months paid after the birthday month (0 = through it)"),
    )
    CHOOSE_HIGHER = (
        "children.choose_higher",
        _("Child allowances: not paid with this benefit, the higher one is (1 = so)"),
    )
    LEFT_BEHIND_AGE = "children.left_behind_age", _("Left-behind children: under this age")
    VISIT_INTERVAL = "children.visit_interval", _("Visits: at most days between two, by category")
    FOLLOW_UP_DAYS = "children.follow_up_days", _("High risk: days to act on the follow-up")


UNITS = {
    Kind.ORPHAN_ALLOWANCE: Unit.YUAN,
    Kind.END_AGE: Unit.YEARS,
    Kind.MONTHS_AFTER_BIRTHDAY: Unit.COUNT,
    Kind.CHOOSE_HIGHER: Unit.COUNT,
    Kind.LEFT_BEHIND_AGE: Unit.YEARS,
    Kind.VISIT_INTERVAL: Unit.DAYS,
    Kind.FOLLOW_UP_DAYS: Unit.DAYS,
}
# the facts other apps state (civil_affairs/benefits.py) a child allowance may exclude
EXCLUSIVE_FACTS = (
    benefits.EXTREME_POVERTY,
    benefits.DISABILITY_LIVING,
    benefits.DISABILITY_CARE,
)
VARIANTS: dict[str, tuple[str, ...] | None] = {
    Kind.ORPHAN_ALLOWANCE: ("institutional", "scattered"),
    Kind.CHOOSE_HIGHER: EXCLUSIVE_FACTS,
    Kind.VISIT_INTERVAL: tuple(Category.values),
}


def register_kinds() -> None:
    for kind in Kind:
        registry.register(
            registry.Kind(
                code=kind.value,
                label=kind.label,
                unit=UNITS[kind],
                app="children",
                variants=VARIANTS.get(kind, ()),
                variant_help=_(
                    "Orphan allowance: institutional or scattered. Not paid with: "
                    "extreme_poverty, disability_living or disability_care. Visit interval: "
                    "the child's category."
                ),
            )
        )
