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
from civil_affairs.core.money import ZERO, round_benefit, to_yuan
from civil_affairs.standards import selectors as standards
from civil_affairs.standards.models import Standard

from . import means
from .models import Application, Entitlement, Household, HouseholdMember, Program
from .standards import Kind

find_standard = standards.find
get_standard = standards.get


def _money(value: Decimal) -> str:
    return str(to_yuan(value))


household_means = means.household_means


def rounding_unit(area: Area, month: datetime.date) -> Decimal:
    """The county's unit for benefits (a standard: the fen unless it says the yuan)."""
    row = find_standard(Kind.ROUNDING_UNIT, area=area, month=month)
    return row.value if row is not None else Decimal("0.01")


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
    coverage: str = "household",
    own_income: Decimal | None = None,
    categories: list[list[str]] | None = None,
) -> Computed:
    """What dibao pays a month, rounded once at the end to the county's unit:

    - the household: (standard − income per member) × members covered;
    - one member alone (单人保): the county's share of the standard where it sets one, else
      as a one-person household, standard − the member's own income;
    - plus the classified extras (分类施保): for each member covered, the largest share of the
      standard among their categories (elderly, child, severe disability, serious illness);
    - raised to the floor where one is set. Zero when nothing is below the standard.
    """
    standard = get_standard(Kind.DIBAO, area=area, month=month, variant=registered_type)
    share = None
    if coverage == Application.Coverage.SINGLE:
        share = find_standard(Kind.SINGLE_COVERAGE_SHARE, area=area, month=month)
        if share is not None:
            base = standard.value * share.value / 100
        else:
            base = max(standard.value - (own_income or ZERO), ZERO)
    else:
        gap = standard.value - income_per_member  # exact: rounded once, below
        base = gap * members_covered if gap > 0 else ZERO
    extras = ZERO
    extra_rows: dict[str, Standard] = {}
    for member_categories in categories or []:
        shares = []
        for category in member_categories:
            if category not in extra_rows:
                row = find_standard(Kind.CATEGORY_EXTRA, area=area, month=month, variant=category)
                if row is None:
                    continue
                extra_rows[category] = row
            shares.append(extra_rows[category].value)
        if shares:
            extras += standard.value * max(shares) / 100
    amount = base + extras if base > 0 else ZERO
    floor = find_standard(Kind.DIBAO_FLOOR, area=area, month=month)
    if amount > 0 and floor is not None and amount < floor.value:
        amount = floor.value
    unit = rounding_unit(area, month)
    amount = round_benefit(amount, unit)
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
            "coverage": coverage,
            "own_income": str(own_income) if own_income is not None else None,
            "categories": categories or [],
            "single_share_id": share.pk if share else None,
            "extra_ids": sorted(r.pk for r in extra_rows.values()),
            "extras": _money(extras),
            "floor_id": floor.pk if floor else None,
            "floor": _money(floor.value) if floor else None,
            "rounding": str(unit),
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
    basic = dibao.value * multiple.value
    amount = round_benefit(basic + care.value, rounding_unit(area, month))
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


def disability_living_amount(
    *, area: Area, month: datetime.date, grade: int | None = None
) -> Computed:
    """The living subsidy: the county's row for the grade where it sets amounts by grade,
    else its one amount."""
    row = None
    if grade is not None:
        row = find_standard(Kind.DISABILITY_LIVING, area=area, month=month, variant=str(grade))
    row = row or get_standard(Kind.DISABILITY_LIVING, area=area, month=month)
    amount = round_benefit(row.value, rounding_unit(area, month))
    return Computed(
        amount=amount,
        standard=row,
        basis={
            "program": Program.DISABILITY_LIVING.value,
            "month": f"{month:%Y-%m}",
            "standard_id": row.pk,
            "grade": grade,
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
    amount = round_benefit(row.value, rounding_unit(area, month))
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


@standards.held()
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
    For extreme-poverty support the self-care level is that of the person's latest
    six-activity assessment (`self_care`, the level of an entitlement approved before
    assessments were recorded, only where none is on file).
    """
    area = household.area
    member = _member(household, person_id)
    found = means.household_means(household, month)
    if program == Program.DIBAO:
        return _dibao(household, member, found, month, coverage)
    if program == Program.EXTREME_POVERTY:
        unmet = [
            c.text
            for c in means.extreme_poverty_conditions(found, person_id, household.registered_type)
            if not c.met
        ]
        if unmet:
            raise _not_eligible(" ".join(unmet))
        level = means.self_care_level(member) or self_care
        if not level:
            raise ValidationError(
                {"self_care": _("Record the six-activity self-care assessment first.")}
            )
        return extreme_poverty_amount(
            area=area, registered_type=household.registered_type, self_care=level, month=month
        )
    if program in (Program.DISABILITY_LIVING, Program.DISABILITY_CARE):
        if not member.disability_certificate:
            raise _not_eligible(_("The person has no disability certificate on file."))
        if program == Program.DISABILITY_LIVING:
            if not household_in_dibao(household, month) and not _edge_counts(household, month):
                raise _not_eligible(
                    _("The living subsidy is for disabled people in a household receiving dibao.")
                )
            return disability_living_amount(area=area, month=month, grade=member.disability_grade)
        return disability_care_amount(
            area=area,
            grade=member.disability_grade,
            disability_type=member.disability_type,
            month=month,
        )
    raise ValueError(f"not a monthly program: {program}")


def _dibao(
    household: Household,
    member: HouseholdMember,
    found: means.Means,
    month: datetime.date,
    coverage: str,
    *,
    check: bool = True,
) -> Computed:
    """Dibao for the household, or for one member alone (单人保), from its means. With
    `check`, a household that does not qualify is refused with the reason; without (a review),
    the amount is what it is (zero included) and the asset failures are in the basis."""
    area = household.area
    standard = get_standard(
        Kind.DIBAO, area=area, month=month, variant=household.registered_type
    ).value
    ipm = found.income_per_member
    shown = {"income": f"{ipm:.2f}", "standard": standard}
    if check and found.asset_failures:
        raise _not_eligible(" ".join(found.asset_failures))
    if coverage == Application.Coverage.SINGLE:
        edge = find_standard(Kind.DIBAO_EDGE_MULTIPLE, area=area, month=month)
        if check and edge is None:  # refused, naming the standard to add
            get_standard(Kind.DIBAO_EDGE_MULTIPLE, area=area, month=month)
        if check and ipm < standard:
            raise _not_eligible(
                _(
                    "The household's income per member of %(income)s is below the dibao "
                    "standard of %(standard)s: the whole household applies, not one member."
                )
                % shown
            )
        if check and edge is not None and ipm >= standard * edge.value:
            raise _not_eligible(
                _(
                    "Single-person coverage is for a low-income edge household: the income per "
                    "member of %(income)s is not below %(edge)s (%(multiple)s × the standard of "
                    "%(standard)s)."
                )
                % {**shown, "edge": f"{standard * edge.value:.2f}", "multiple": edge.value}
            )
        if check and not means.severely_disabled_or_ill(member):
            raise _not_eligible(
                _(
                    "Only a member with a disability of grade 1 or 2 (grade 3 intellectual or "
                    "mental) or a serious illness can be covered alone."
                )
            )
        own = found.of(member.person_id)
        assert own is not None
        result = dibao_amount(
            area=area,
            registered_type=household.registered_type,
            income_per_member=ipm,
            members_covered=1,
            month=month,
            coverage=coverage,
            own_income=own.net,
            categories=[own.categories],
        )
    else:
        result = dibao_amount(
            area=area,
            registered_type=household.registered_type,
            income_per_member=ipm,
            members_covered=found.size,
            month=month,
            coverage=Application.Coverage.HOUSEHOLD,
            categories=[m.categories for m in found.members],
        )
        if check and result.amount <= 0:
            raise _not_eligible(
                _(
                    "The income per member of %(income)s is not below the dibao standard of "
                    "%(standard)s: there is no entitlement."
                )
                % shown
            )
    result.basis.update(
        {
            "household_id": household.pk,
            "household_size": found.size,
            "total_income": _money(found.total_income),
            "asset_failures": found.asset_failures,
        }
    )
    if check:
        result.basis.pop("asset_failures")
    return result


def dibao_for(
    household: Household, member: HouseholdMember, found: means.Means, month: datetime.date
) -> Computed:
    """The household's dibao with `member` as its payee, as the means now give it (zero
    included): a new payee after the head's death."""
    return _dibao(household, member, found, month, Application.Coverage.HOUSEHOLD, check=False)


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


def _edge_counts(household: Household, month: datetime.date) -> bool:
    """Where the county extends the living subsidy to low-income edge households: whether
    this one is registered as such (low-income monitoring)."""
    from .models import MonitoredHousehold

    row = find_standard(Kind.DISABILITY_LIVING_EDGE, area=household.area, month=month)
    if row is None or row.value != 1:
        return False
    return MonitoredHousehold.objects.filter(
        household=household, kind=MonitoredHousehold.Kind.EDGE, ended_on__isnull=True
    ).exists()


# The inputs each program's amount is computed from: a basis holding them can be recomputed
# with another month's standards; one without (an amount set by hand) keeps its amount.
INPUTS: dict[str, tuple[str, ...]] = {
    Program.DIBAO: ("registered_type", "income_per_member", "members_covered", "coverage"),
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
        own = basis.get("own_income")
        result = dibao_amount(
            area=area,
            registered_type=basis["registered_type"],
            income_per_member=Decimal(basis["income_per_member"]),
            members_covered=int(basis["members_covered"]),
            month=month,
            coverage=basis["coverage"],
            own_income=Decimal(own) if own is not None else None,
            categories=basis.get("categories") or [],
        )
    elif program == Program.EXTREME_POVERTY:
        result = extreme_poverty_amount(
            area=area,
            registered_type=basis["registered_type"],
            self_care=basis["self_care"],
            month=month,
        )
    elif program == Program.DISABILITY_LIVING:
        grade = basis.get("grade")
        result = disability_living_amount(
            area=area, month=month, grade=int(grade) if grade is not None else None
        )
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
    an error, and the asset failures are in the basis: the review decides between gradual
    exit and stopping.
    """
    household = entitlement.household or _household_of(entitlement)
    if entitlement.program == Program.DIBAO:
        coverage = entitlement.basis.get("coverage", Application.Coverage.HOUSEHOLD)
        member = _member(household, entitlement.person_id)
        found = means.household_means(household, month)
        return _dibao(household, member, found, month, coverage, check=False)
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
