"""Relief's kinds of standards, registered with the shared table (civil_affairs/standards).

Every amount, multiple, limit and period relief computes with is a row of one of these kinds,
found for an area by walking up the tree; nothing in relief is a number of its own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civil_affairs.standards import registry

Unit = registry.Unit


class Kind(models.TextChoices):
    DIBAO = "dibao", _("Dibao standard (per person per month)")
    DIBAO_FLOOR = "dibao_floor", _("Dibao: smallest monthly benefit")
    ASSET_DEPOSITS = "asset_deposits", _("Dibao asset test: most deposits per member")
    ASSET_VEHICLES = "asset_vehicles", _("Dibao asset test: most vehicles per household")
    ASSET_HOMES = "asset_homes", _("Dibao asset test: most homes per household")
    EP_MULTIPLE = "ep_multiple", _("Extreme poverty: basic living as a multiple of dibao")
    EP_CARE = "ep_care", _("Extreme poverty: monthly care amount")
    DISABILITY_LIVING = "disability_living", _("Disability living subsidy (monthly)")
    DISABILITY_CARE = "disability_care", _("Severe disability care subsidy (monthly)")
    TEMP_TOWNSHIP_LIMIT = (
        "temp_township_limit",
        _("Temporary assistance: most a township may approve"),
    )
    NOTICE_DAYS = "notice_days", _("Public notice: days")
    GRADUAL_EXIT_MONTHS = "gradual_exit_months", _("Gradual exit: months")
    REVIEW_MONTHS = "review_months", _("Review interval: months")


UNITS = {
    Kind.DIBAO: Unit.YUAN,
    Kind.DIBAO_FLOOR: Unit.YUAN,
    Kind.ASSET_DEPOSITS: Unit.YUAN,
    Kind.ASSET_VEHICLES: Unit.COUNT,
    Kind.ASSET_HOMES: Unit.COUNT,
    Kind.EP_MULTIPLE: Unit.MULTIPLE,
    Kind.EP_CARE: Unit.YUAN,
    Kind.DISABILITY_LIVING: Unit.YUAN,
    Kind.DISABILITY_CARE: Unit.YUAN,
    Kind.TEMP_TOWNSHIP_LIMIT: Unit.YUAN,
    Kind.NOTICE_DAYS: Unit.DAYS,
    Kind.GRADUAL_EXIT_MONTHS: Unit.MONTHS,
    Kind.REVIEW_MONTHS: Unit.MONTHS,
}
# The variants a kind is split by (absent: none). Care subsidy rows are per disability grade
# ("1") or grade and type ("3:intellectual"): the grades the county lists.
VARIANTS: dict[str, tuple[str, ...] | None] = {
    Kind.DIBAO: ("urban", "rural"),
    Kind.EP_CARE: ("full", "partial", "none"),
    Kind.REVIEW_MONTHS: ("A", "B", "C"),
    Kind.DISABILITY_CARE: None,
}
# The kinds an entitlement's amount is computed from, per program: a new row of one of them
# recomputes the entitlements it governs (relief.services.entitlements.standard_apply).
AMOUNT_KINDS: dict[str, tuple[str, ...]] = {
    "dibao": (Kind.DIBAO, Kind.DIBAO_FLOOR),
    "extreme_poverty": (Kind.DIBAO, Kind.EP_MULTIPLE, Kind.EP_CARE),
    "disability_living": (Kind.DISABILITY_LIVING,),
    "disability_care": (Kind.DISABILITY_CARE,),
}


def _care_variant(variant: str) -> str | None:
    if variant.partition(":")[0] not in ("1", "2", "3", "4"):
        return gettext("Give the disability grade (1-4), or grade:type.")
    return None


def register_kinds() -> None:
    from .services.entitlements import standard_apply

    amount_kinds = {kind for kinds in AMOUNT_KINDS.values() for kind in kinds}
    for kind in Kind:
        registry.register(
            registry.Kind(
                code=kind.value,
                label=kind.label,
                unit=UNITS[kind],
                app="relief",
                variants=VARIANTS.get(kind, ()),
                variant_help=_(
                    "Dibao: urban or rural. Care amount: full, partial or none (self-care). "
                    "Review interval: household category A, B or C. Care subsidy: the "
                    "disability grade, or grade:type such as 3:intellectual."
                ),
                check_variant=_care_variant if kind == Kind.DISABILITY_CARE else None,
                apply=standard_apply if kind in amount_kinds else None,
            )
        )
