"""Elder care's kinds of standards, registered with the shared table (civil_affairs/standards).

The old-age allowance's tiers are rows, not code: each tier (a variant: "80", "90", "100") has
the age it starts at (`old_age_tier_age`) and its monthly amount (`old_age_allowance`), and
`old_age_tier_start` says whether a tier starts in the birthday month (0) or the month after
(1). A county with another tier adds its rows under a spare variant. The payroll reads them
per month (payroll.py), so none needs an `apply` hook: the next payroll pays a raise as back
pay by itself.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civil_affairs.standards import registry

Unit = registry.Unit

# the variants of the tier kinds: names, not ages (the ages are the rows' values)
TIERS = ("80", "90", "100")


class Kind(models.TextChoices):
    ALLOWANCE = "old_age_allowance", _("Old-age allowance: monthly amount of a tier")
    TIER_AGE = "old_age_tier_age", _("Old-age allowance: age a tier starts at")
    TIER_START = (
        "old_age_tier_start",
        _("Old-age allowance: a tier starts in the birthday month (0) or the month after (1)"),
    )
    MODIFICATION_CAP = "modification_cap", _("Home modification: most spent per household")
    MODIFICATION_AGE = (
        "modification_age",
        _("Home modification: age from which an elder in hardship qualifies without disability"),
    )


UNITS = {
    Kind.ALLOWANCE: Unit.YUAN,
    Kind.TIER_AGE: Unit.YEARS,
    Kind.TIER_START: Unit.COUNT,
    Kind.MODIFICATION_CAP: Unit.YUAN,
    Kind.MODIFICATION_AGE: Unit.YEARS,
}
VARIANTS: dict[str, tuple[str, ...]] = {Kind.ALLOWANCE: TIERS, Kind.TIER_AGE: TIERS}


def register_kinds() -> None:
    for kind in Kind:
        registry.register(
            registry.Kind(
                code=kind.value,
                label=kind.label,
                unit=UNITS[kind],
                app="eldercare",
                variants=VARIANTS.get(kind, ()),
                variant_help=_("Old-age allowance tiers: 80, 90 or 100 (a name, not the age)."),
            )
        )
