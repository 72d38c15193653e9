"""Benefit amounts and means tests, computed from the standards tables.

Every amount, multiple, limit and period comes from a shared `Standard` row found for the area by
walking up the tree (village → township → county) for the month in question; nothing here
is a number of its own. The inputs each amount used are returned as a JSON-ready `basis`
that is frozen on the entitlement, so that a later standard can recompute the amount from
the same inputs (`recompute`), and a review from the household as it is now
(`compute_for_entitlement`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from civil_affairs.areas.models import Area
from civil_affairs.core.money import ZERO, to_yuan
from civil_affairs.standards import selectors as standards
from civil_affairs.standards.models import Standard

from .models import Application, Entitlement, Household, HouseholdMember, Program
from .standards import Kind

find_standard = standards.find
get_standard = standards.get


def _money(value: Decimal) -> str:
    return str(to_yuan(value))


@dataclass(frozen=True)
class Means:
    """What the means test of a household computes from its members' rows."""

    size: int
    total_income: Decimal
    income_per_member: Decimal
    deposits: Decimal
    vehicles: int
    homes: int


def household_means(household: Household) -> Means:
    """The household's figures; income per member is kept exact (1000 / 3 is not 333.33):
    an amount is rounded once, at the end."""
    members = list(household.members.all())
    size = len(members)
    total = sum((m.monthly_income for m in members), ZERO)
    return Means(
        size=size,
        total_income=to_yuan(total),
        income_per_member=total / size if size else ZERO,
        deposits=to_yuan(sum((m.deposits for m in members), ZERO)),
        vehicles=sum(m.vehicles for m in members),
        homes=sum(m.real_estate for m in members),
    )


def asset_failures(household: Household, means: Means, month: datetime.date) -> list[str]:
    """The reasons the household fails the dibao asset test (empty when it passes)."""
    area = household.area
    failures = []
    deposits = get_standard(Kind.ASSET_DEPOSITS, area=area, month=month)
    if means.size and means.deposits > deposits.value * means.size:
        failures.append(
            _("Deposits of %(deposits)s are above %(limit)s per member.")
            % {"deposits": means.deposits, "limit": deposits.value}
        )
    vehicles = get_standard(Kind.ASSET_VEHICLES, area=area, month=month)
    if means.vehicles > vehicles.value:
        failures.append(
            _("The household owns %(count)d vehicles; at most %(limit)d are allowed.")
            % {"count": means.vehicles, "limit": int(vehicles.value)}
        )
    homes = get_standard(Kind.ASSET_HOMES, area=area, month=month)
    if means.homes > homes.value:
        failures.append(
            _("The household owns %(count)d homes; at most %(limit)d are allowed.")
            % {"count": means.homes, "limit": int(homes.value)}
        )
    return failures


@dataclass
class Computed:
    """A monthly amount, the main standard row it used, and everything it used."""

    amount: Decimal
    standard: Standard
    basis: dict[str, Any] = field(default_factory=dict)


def dibao_amount(
    *,
    area: Area,
    registered_type: str,
    income_per_member: Decimal,
    members_covered: int,
    month: datetime.date,
) -> Computed:
    """(standard − income per member) × members covered, raised to the floor if one is set.

    Zero when the income per member is not below the standard.
    """
    standard = get_standard(Kind.DIBAO, area=area, month=month, variant=registered_type)
    gap = standard.value - income_per_member  # exact: rounded once, below
    amount = to_yuan(gap * members_covered) if gap > 0 else ZERO
    floor = find_standard(Kind.DIBAO_FLOOR, area=area, month=month)
    if amount > 0 and floor is not None and amount < floor.value:
        amount = to_yuan(floor.value)
    return Computed(
        amount=amount,
        standard=standard,
        basis={
            "program": Program.DIBAO.value,
            "month": f"{month:%Y-%m}",
            "standard_id": standard.pk,
            "standard": _money(standard.value),
            "registered_type": registered_type,
            "income_per_member": str(income_per_member),  # exact, e.g. 333.333…
            "members_covered": members_covered,
            "floor_id": floor.pk if floor else None,
            "floor": _money(floor.value) if floor else None,
            "amount": _money(amount),
        },
    )


def extreme_poverty_amount(
    *, area: Area, registered_type: str, self_care: str, month: datetime.date
) -> Computed:
    """Basic living (dibao standard × the configured multiple) plus the care amount."""
    dibao = get_standard(Kind.DIBAO, area=area, month=month, variant=registered_type)
    multiple = get_standard(Kind.EP_MULTIPLE, area=area, month=month)
    care = get_standard(Kind.EP_CARE, area=area, month=month, variant=self_care)
    basic = to_yuan(dibao.value * multiple.value)
    amount = to_yuan(basic + care.value)
    return Computed(
        amount=amount,
        standard=multiple,
        basis={
            "program": Program.EXTREME_POVERTY.value,
            "month": f"{month:%Y-%m}",
            "registered_type": registered_type,
            "self_care": self_care,
            "dibao_standard_id": dibao.pk,
            "dibao_standard": _money(dibao.value),
            "standard_id": multiple.pk,
            "multiple": str(multiple.value),
            "basic": _money(basic),
            "care_standard_id": care.pk,
            "care": _money(care.value),
            "amount": _money(amount),
        },
    )


def disability_living_amount(*, area: Area, month: datetime.date) -> Computed:
    row = get_standard(Kind.DISABILITY_LIVING, area=area, month=month)
    amount = to_yuan(row.value)
    return Computed(
        amount=amount,
        standard=row,
        basis={
            "program": Program.DISABILITY_LIVING.value,
            "month": f"{month:%Y-%m}",
            "standard_id": row.pk,
            "amount": _money(amount),
        },
    )


def care_subsidy_row(
    *, area: Area, grade: int | None, disability_type: str, month: datetime.date
) -> Standard | None:
    """The care subsidy row for a grade and type ("3:intellectual") or a grade ("1").

    No row: the county does not list that grade, so there is no care subsidy for it.
    """
    if grade is None:
        return None
    row = find_standard(
        Kind.DISABILITY_CARE, area=area, month=month, variant=f"{grade}:{disability_type}"
    )
    return row or find_standard(Kind.DISABILITY_CARE, area=area, month=month, variant=str(grade))


def disability_care_amount(
    *, area: Area, grade: int | None, disability_type: str, month: datetime.date
) -> Computed:
    row = care_subsidy_row(area=area, grade=grade, disability_type=disability_type, month=month)
    if row is None:
        raise ValidationError(
            _(
                "The care subsidy is for severe disability: grade %(grade)s (%(type)s) is not "
                "one the county lists for %(month)s."
            )
            % {"grade": grade or "-", "type": disability_type or "-", "month": f"{month:%Y-%m}"},
            code="not_eligible",
        )
    amount = to_yuan(row.value)
    return Computed(
        amount=amount,
        standard=row,
        basis={
            "program": Program.DISABILITY_CARE.value,
            "month": f"{month:%Y-%m}",
            "grade": grade,
            "disability_type": disability_type,
            "standard_id": row.pk,
            "amount": _money(amount),
        },
    )


def _member(household: Household, person_id: int) -> HouseholdMember:
    for member in household.members.all():
        if member.person_id == person_id:
            return member
    raise ValidationError(
        {"person": _("This person is not a member of the household.")}, code="not_member"
    )


def _not_eligible(message: str) -> ValidationError:
    return ValidationError(message, code="not_eligible")


def compute(
    *,
    program: str,
    household: Household,
    person_id: int,
    month: datetime.date,
    coverage: str = "",
    self_care: str = "",
) -> Computed:
    """The monthly amount for a program from the household as it is now, with the checks.

    Raises ValidationError with the reason when the household or person does not qualify.
    """
    area = household.area
    member = _member(household, person_id)
    if program == Program.DIBAO:
        means = household_means(household)
        covered = 1 if coverage == Application.Coverage.SINGLE else means.size
        if coverage == Application.Coverage.SINGLE and not (
            (member.disability_grade or 9) <= 2 or member.health == HouseholdMember.Health.SERIOUS
        ):
            raise _not_eligible(
                _(
                    "Only a severely disabled (grade 1 or 2) or seriously ill member can be "
                    "covered alone."
                )
            )
        result = dibao_amount(
            area=area,
            registered_type=household.registered_type,
            income_per_member=means.income_per_member,
            members_covered=covered,
            month=month,
        )
        if result.amount <= 0:
            raise _not_eligible(
                _(
                    "The income per member of %(income)s is not below the dibao standard of "
                    "%(standard)s: there is no entitlement."
                )
                % {"income": to_yuan(means.income_per_member), "standard": result.standard.value}
            )
        failures = asset_failures(household, means, month)
        if failures:
            raise _not_eligible(" ".join(failures))
        result.basis.update(
            {
                "household_id": household.pk,
                "household_size": means.size,
                "total_income": _money(means.total_income),
                "coverage": coverage or Application.Coverage.HOUSEHOLD,
            }
        )
        return result
    if program == Program.EXTREME_POVERTY:
        if member.work_capacity != HouseholdMember.WorkCapacity.NONE:
            raise _not_eligible(_("Extreme-poverty support is for people unable to work."))
        if member.monthly_income > 0:
            raise _not_eligible(
                _("Extreme-poverty support is for people without income; this person has %(x)s.")
                % {"x": member.monthly_income}
            )
        if not self_care:
            raise ValidationError({"self_care": _("Say how far the person can care for self.")})
        return extreme_poverty_amount(
            area=area, registered_type=household.registered_type, self_care=self_care, month=month
        )
    if program in (Program.DISABILITY_LIVING, Program.DISABILITY_CARE):
        if not member.disability_certificate:
            raise _not_eligible(_("The person has no disability certificate on file."))
        if program == Program.DISABILITY_LIVING:
            if not household_in_dibao(household, month):
                raise _not_eligible(
                    _("The living subsidy is for disabled people in a household receiving dibao.")
                )
            return disability_living_amount(area=area, month=month)
        return disability_care_amount(
            area=area,
            grade=member.disability_grade,
            disability_type=member.disability_type,
            month=month,
        )
    raise ValueError(f"not a monthly program: {program}")


def household_in_dibao(household: Household, month: datetime.date) -> bool:
    """True when the household, or one of its members alone, has dibao not ended by `month`."""
    members = [m.person_id for m in household.members.all()]
    return (
        Entitlement.objects.filter(program=Program.DIBAO)
        .filter(Q(household=household) | Q(person_id__in=members))
        .exclude(status=Entitlement.Status.STOPPED)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .exists()
    )


# The inputs each program's amount is computed from: a basis holding them can be recomputed
# with another month's standards; one without (an amount set by hand) keeps its amount.
INPUTS: dict[str, tuple[str, ...]] = {
    Program.DIBAO: ("registered_type", "income_per_member", "members_covered"),
    Program.EXTREME_POVERTY: ("registered_type", "self_care"),
    Program.DISABILITY_LIVING: (),
    Program.DISABILITY_CARE: ("grade",),
}


def computable(program: str, basis: dict[str, Any]) -> bool:
    return not basis.get("manual") and all(key in basis for key in INPUTS.get(program, ("?",)))


def recompute(program: str, area: Area, basis: dict[str, Any], month: datetime.date) -> Computed:
    """The amount for `month` from the inputs in `basis`, with the standards of `month`.

    What a new standard does: nothing about the household is re-read. The result's basis
    keeps the inputs (and what else the basis said) and records the standards used.
    """
    if program == Program.DIBAO:
        result = dibao_amount(
            area=area,
            registered_type=basis["registered_type"],
            income_per_member=Decimal(basis["income_per_member"]),
            members_covered=int(basis["members_covered"]),
            month=month,
        )
    elif program == Program.EXTREME_POVERTY:
        result = extreme_poverty_amount(
            area=area,
            registered_type=basis["registered_type"],
            self_care=basis["self_care"],
            month=month,
        )
    elif program == Program.DISABILITY_LIVING:
        result = disability_living_amount(area=area, month=month)
    else:
        result = disability_care_amount(
            area=area,
            grade=basis.get("grade"),
            disability_type=basis.get("disability_type", ""),
            month=month,
        )
    result.basis = {**basis, **result.basis}
    return result


def compute_for_entitlement(entitlement: Entitlement, month: datetime.date) -> Computed:
    """The amount from the household as it is now (a review), with the standards of `month`.

    Unlike `compute`, a dibao income at or above the standard gives amount zero instead of
    an error: the review decides between gradual exit and stopping.
    """
    household = entitlement.household or _household_of(entitlement)
    if entitlement.program == Program.DIBAO:
        means = household_means(household)
        coverage = entitlement.basis.get("coverage", Application.Coverage.HOUSEHOLD)
        covered = 1 if coverage == Application.Coverage.SINGLE else means.size
        result = dibao_amount(
            area=entitlement.area,
            registered_type=household.registered_type,
            income_per_member=means.income_per_member,
            members_covered=covered,
            month=month,
        )
        result.basis.update(
            {
                "household_id": household.pk,
                "household_size": means.size,
                "total_income": _money(means.total_income),
                "coverage": coverage,
                "asset_failures": asset_failures(household, means, month),
            }
        )
        return result
    return compute(
        program=entitlement.program,
        household=household,
        person_id=entitlement.person_id,
        month=month,
        self_care=entitlement.basis.get("self_care", ""),
    )


def _household_of(entitlement: Entitlement) -> Household:
    membership = (
        HouseholdMember.objects.filter(person_id=entitlement.person_id)
        .select_related("household__area")
        .first()
    )
    if membership is None:
        raise ValidationError(_("The beneficiary is in no household on file."))
    return membership.household
