"""Relief's kinds of standards, registered with the shared table (civil_affairs/standards).

Every amount, multiple, limit and period relief computes with is a row of one of these kinds,
found for an area by walking up the tree; nothing in relief is a number of its own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civil_affairs.core import validators
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
    # means test (income and assets)
    INCOME_REFERENCE_MONTHS = "income_reference_months", _("Income: reference period in months")
    INCOME_NOT_COUNTED = "income_not_counted", _("Income: kind not counted (1 = not counted)")
    WORK_COST_DEDUCTION = (
        "work_cost_deduction",
        _("Income: cost-of-working deduction per working member (monthly)"),
    )
    ASSET_FINANCIAL_MULTIPLE = (
        "asset_financial_multiple",
        _("Asset test: deposits, securities and insurance per member, times the annual standard"),
    )
    ASSET_HOME_AREA = "asset_home_area", _("Asset test: most floor area per member")
    # dibao amounts
    DIBAO_EDGE_MULTIPLE = (
        "dibao_edge_multiple",
        _("Low-income edge: income per member below this multiple of the standard"),
    )
    SINGLE_COVERAGE_SHARE = (
        "single_coverage_share",
        _("Single-person coverage: share of the standard paid (else as one person alone)"),
    )
    CATEGORY_EXTRA = "category_extra", _("Classified extra (分类施保): share of the standard")
    CATEGORY_AGE = "category_age", _("Categories: age that makes a member elderly / a child")
    ROUNDING_UNIT = "rounding_unit", _("Benefits are rounded to (0.01 = the fen, 1 = the yuan)")
    # extreme poverty: who has no work capacity
    EP_ELDERLY_AGE = "ep_elderly_age", _("Extreme poverty: age from which one cannot work")
    EP_CHILD_AGE = "ep_child_age", _("Extreme poverty: age below which one cannot work")
    EP_SCHOOL_AGE = "ep_school_age", _("Extreme poverty: the same while in school, below")
    EP_DISABILITY = (
        "ep_disability",
        _("Extreme poverty: disability (type:grade) that means no work capacity (1 = listed)"),
    )
    # the case order (issue 10, item 4)
    DECISION_DAYS = (
        "decision_days",
        _("Time limit: working days to decide a case (normal / special)"),
    )
    SPOT_CHECK_SHARE = (
        "spot_check_share",
        _("Spot checks: share of the townships' delegated approvals the county checks"),
    )
    # temporary assistance (item 6): the county's table tied to the dibao standard
    TEMP_MONTHS = (
        "temp_months",
        _("Temporary assistance: most for one case, in months of the dibao standard"),
    )
    TEMP_CAP = "temp_cap", _("Temporary assistance: most for one case, in yuan")
    TEMP_YEARLY_LIMIT = (
        "temp_yearly_limit",
        _("Temporary assistance: most a household receives in a calendar year"),
    )
    # the two disability subsidies (item 5)
    DISABILITY_FULL_PROCEDURE = (
        "disability_full_procedure",
        _("Disability subsidies: cross-check and public notice too (1 = yes)"),
    )
    DISABILITY_LIVING_EDGE = (
        "disability_living_edge",
        _("Disability living subsidy: also for low-income edge households (1 = yes)"),
    )


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
    Kind.INCOME_REFERENCE_MONTHS: Unit.MONTHS,
    Kind.INCOME_NOT_COUNTED: Unit.COUNT,
    Kind.WORK_COST_DEDUCTION: Unit.YUAN,
    Kind.ASSET_FINANCIAL_MULTIPLE: Unit.MULTIPLE,
    Kind.ASSET_HOME_AREA: Unit.SQUARE_METRES,
    Kind.DIBAO_EDGE_MULTIPLE: Unit.MULTIPLE,
    Kind.SINGLE_COVERAGE_SHARE: Unit.PERCENT,
    Kind.CATEGORY_EXTRA: Unit.PERCENT,
    Kind.CATEGORY_AGE: Unit.YEARS,
    Kind.ROUNDING_UNIT: Unit.YUAN,
    Kind.EP_ELDERLY_AGE: Unit.YEARS,
    Kind.EP_CHILD_AGE: Unit.YEARS,
    Kind.EP_SCHOOL_AGE: Unit.YEARS,
    Kind.EP_DISABILITY: Unit.COUNT,
    Kind.DECISION_DAYS: Unit.DAYS,
    Kind.SPOT_CHECK_SHARE: Unit.PERCENT,
    Kind.TEMP_MONTHS: Unit.MULTIPLE,
    Kind.TEMP_CAP: Unit.YUAN,
    Kind.TEMP_YEARLY_LIMIT: Unit.YUAN,
    Kind.DISABILITY_FULL_PROCEDURE: Unit.COUNT,
    Kind.DISABILITY_LIVING_EDGE: Unit.COUNT,
}
# the categories of classified extras (分类施保); elderly and child ages are CATEGORY_AGE rows
CATEGORIES = ("elderly", "child", "severe_disability", "serious_illness")
DISABILITY_TYPES = tuple(validators.DISABILITY_TYPES.values())
# The variants a kind is split by (absent: none). Care subsidy rows are per disability grade
# ("1") or grade and type ("3:intellectual"): the grades the county lists.
VARIANTS: dict[str, tuple[str, ...] | None] = {
    Kind.DIBAO: ("urban", "rural"),
    Kind.EP_CARE: ("full", "partial", "none"),
    Kind.REVIEW_MONTHS: ("A", "B", "C"),
    Kind.DISABILITY_CARE: None,
    Kind.INCOME_NOT_COUNTED: None,  # an income kind
    Kind.CATEGORY_EXTRA: CATEGORIES,
    Kind.CATEGORY_AGE: ("elderly", "child"),
    Kind.EP_DISABILITY: None,  # type:grade
    Kind.DECISION_DAYS: ("normal", "special"),
    Kind.TEMP_MONTHS: ("emergency", "expense"),
    Kind.TEMP_CAP: ("emergency", "expense"),
    Kind.DISABILITY_LIVING: None,  # empty, or the disability grade: amounts by grade
}
# The kinds an entitlement's amount is computed from, per program: a new row of one of them
# recomputes the entitlements it governs (relief.services.entitlements.standard_apply).
AMOUNT_KINDS: dict[str, tuple[str, ...]] = {
    "dibao": (
        Kind.DIBAO,
        Kind.DIBAO_FLOOR,
        Kind.SINGLE_COVERAGE_SHARE,
        Kind.CATEGORY_EXTRA,
        Kind.ROUNDING_UNIT,
    ),
    "extreme_poverty": (Kind.DIBAO, Kind.EP_MULTIPLE, Kind.EP_CARE, Kind.ROUNDING_UNIT),
    "disability_living": (Kind.DISABILITY_LIVING, Kind.ROUNDING_UNIT),
    "disability_care": (Kind.DISABILITY_CARE, Kind.ROUNDING_UNIT),
}


def _care_variant(variant: str) -> str | None:
    if variant.partition(":")[0] not in ("1", "2", "3", "4"):
        return gettext("Give the disability grade (1-4), or grade:type.")
    return None


def _grade_variant(variant: str) -> str | None:
    if variant not in ("", "1", "2", "3", "4"):
        return gettext("Leave empty, or give the disability grade (1-4).")
    return None


def _income_kind_variant(variant: str) -> str | None:
    from .models import IncomeKind

    if variant not in IncomeKind.values:
        return gettext("One of: %(v)s.") % {"v": ", ".join(IncomeKind.values)}
    return None


def _disability_variant(variant: str) -> str | None:
    kind, _sep, grade = variant.partition(":")
    if kind not in DISABILITY_TYPES or grade not in ("1", "2", "3", "4"):
        return gettext("Give type:grade, e.g. intellectual:3 (types: %(t)s).") % {
            "t": ", ".join(DISABILITY_TYPES)
        }
    return None


VARIANT_CHECKS = {
    Kind.DISABILITY_CARE: _care_variant,
    Kind.DISABILITY_LIVING: _grade_variant,
    Kind.INCOME_NOT_COUNTED: _income_kind_variant,
    Kind.EP_DISABILITY: _disability_variant,
}


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
                    "disability grade, or grade:type such as 3:intellectual. Living subsidy: "
                    "empty, or the grade. Temporary assistance: emergency or expense. "
                    "Time limit: normal or special."
                ),
                check_variant=VARIANT_CHECKS.get(kind),
                apply=standard_apply if kind in amount_kinds else None,
            )
        )
