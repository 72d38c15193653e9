"""The means test of a household: income over the reference period, deductions and
exclusions, the asset test, the members' categories and the extreme-poverty conditions.

Every limit, multiple, age and list is a standard (relief/standards.py) found for the
household's area in the month assessed; nothing here is a number of its own. Income per
member is kept exact (1000 / 3 is not 333.33): amounts are rounded once, at the end
(relief/calc.py). `Means` keeps each figure's lines so the household page can show how it
was reached.

Income of a member, per month:
- the monthly incomes typed at intake (by source: wages, business, farming, property,
  pension, other) count as they are, each month;
- the income entries (IncomeEntry: a kind, a monthly amount, from a month to a month) are
  averaged over the months entered within the reference period (the N months before the
  month assessed, N a standard, 12 by the national rule);
- a kind the county does not count (a standard per kind: 优抚, awards, assistance money, the
  disability subsidies, the old-age allowance, often the rural basic pension) is shown and
  left out;
- a member earning from work (wages, business) has the cost-of-working deduction taken off
  that income;
- the maintenance that legally bound supporters owe (Supporter) counts as the household's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from civil_affairs.areas.models import Area
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.standards import selectors as standards

from .models import (
    INCOME_FIELD_KINDS,
    WORK_INCOME,
    Household,
    HouseholdMember,
    IncomeKind,
    Supporter,
)
from .standards import Kind

ZERO = Decimal("0")


def value(kind: str, area: Area, month: datetime.date, variant: str = "") -> Decimal | None:
    row = standards.find(kind, area=area, month=month, variant=variant)
    return row.value if row is not None else None


def age_at(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


@dataclass
class IncomeLine:
    kind: str
    label: str
    monthly: Decimal  # exact
    counted: bool
    source: str  # "typed" or "entries"


@dataclass
class MemberMeans:
    member: HouseholdMember
    lines: list[IncomeLine] = field(default_factory=list)
    deduction: Decimal = ZERO
    categories: list[str] = field(default_factory=list)
    age: int | None = None

    @property
    def counted(self) -> Decimal:
        return sum((ln.monthly for ln in self.lines if ln.counted), ZERO)

    @property
    def net(self) -> Decimal:
        """The member's own counted income less the cost-of-working deduction."""
        return self.counted - self.deduction


@dataclass
class Means:
    household: Household
    month: datetime.date
    reference: tuple[datetime.date, datetime.date] | None
    members: list[MemberMeans]
    maintenance: Decimal
    financial_assets: Decimal
    vehicles: int
    vehicles_exempt: int
    homes: int
    floor_area: Decimal
    asset_failures: list[str]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def total_income(self) -> Decimal:
        return sum((m.net for m in self.members), ZERO) + self.maintenance

    @property
    def income_per_member(self) -> Decimal:
        return self.total_income / self.size if self.size else ZERO

    def of(self, person_id: int) -> MemberMeans | None:
        return next((m for m in self.members if m.member.person_id == person_id), None)


def _not_counted(area: Area, month: datetime.date) -> set[str]:
    return {
        kind
        for kind in IncomeKind.values
        if (value(Kind.INCOME_NOT_COUNTED, area, month, kind) or ZERO) >= 1
    }


def _entry_lines(
    member: HouseholdMember, window: tuple[datetime.date, datetime.date], excluded: set[str]
) -> list[IncomeLine]:
    """A member's income entries averaged over the months entered in the window."""
    first, last = window
    entries = [
        e
        for e in member.incomes.all()
        if e.first_month <= last and e.last_month >= first and e.monthly_amount
    ]
    months: set[datetime.date] = set()
    totals: dict[str, Decimal] = {}
    for entry in entries:
        month = max(entry.first_month, first)
        end = min(entry.last_month, last)
        while month <= end:
            months.add(month)
            totals[entry.kind] = totals.get(entry.kind, ZERO) + entry.monthly_amount
            month = add_months(month, 1)
    if not months:
        return []
    return [
        IncomeLine(
            kind=kind,
            label=str(IncomeKind(kind).label),
            monthly=total / len(months),
            counted=kind not in excluded,
            source="entries",
        )
        for kind, total in sorted(totals.items())
    ]


def categories(member: HouseholdMember, area: Area, month: datetime.date) -> list[str]:
    """The classified-extra categories (分类施保) the member is in, in `month`."""
    found = []
    age = age_at(member.person.birth_date, month)
    elderly = value(Kind.CATEGORY_AGE, area, month, "elderly")
    child = value(Kind.CATEGORY_AGE, area, month, "child")
    if age is not None and elderly is not None and age >= elderly:
        found.append("elderly")
    if age is not None and child is not None and age < child:
        found.append("child")
    if member.disability_grade is not None and member.disability_grade <= 2:
        found.append("severe_disability")
    if member.health == HouseholdMember.Health.SERIOUS:
        found.append("serious_illness")
    return found


def dead_by(member: HouseholdMember, month: datetime.date) -> bool:
    """A member who died before `month` (a death in the month counts from the next one)."""
    death = member.person.death_date
    return death is not None and first_of_month(death) < first_of_month(month)


@standards.held()
def household_means(household: Household, month: datetime.date | None = None) -> Means:
    """The household's means in `month` (default: this month), as the standards then say."""
    from django.utils import timezone

    month = first_of_month(month or timezone.localdate())
    area = household.area
    members = [
        m
        for m in household.members.select_related("person").prefetch_related(
            "incomes", "supporters"
        )
        if not dead_by(m, month)  # the dead are no longer members for the means
    ]
    excluded = _not_counted(area, month)
    window = None
    if any(m.incomes.all() for m in members):
        reference = int(standards.get(Kind.INCOME_REFERENCE_MONTHS, area=area, month=month).value)
        window = (add_months(month, -reference), add_months(month, -1))
    deduction = value(Kind.WORK_COST_DEDUCTION, area, month) or ZERO
    result = []
    for member in members:
        mm = MemberMeans(member=member, age=age_at(member.person.birth_date, month))
        for field_name, kind in INCOME_FIELD_KINDS.items():
            amount = getattr(member, field_name)
            if amount:
                mm.lines.append(
                    IncomeLine(
                        kind=kind,
                        label=str(IncomeKind(kind).label),
                        monthly=amount,
                        counted=kind not in excluded,
                        source="typed",
                    )
                )
        if window is not None:
            mm.lines.extend(_entry_lines(member, window, excluded))
        work = sum((ln.monthly for ln in mm.lines if ln.counted and ln.kind in WORK_INCOME), ZERO)
        mm.deduction = min(deduction, work)
        mm.categories = categories(member, area, month)
        result.append(mm)
    maintenance = ZERO
    if IncomeKind.MAINTENANCE not in excluded:
        maintenance = sum((s.maintenance_owed for m in members for s in m.supporters.all()), ZERO)
    means = Means(
        household=household,
        month=month,
        reference=window,
        members=result,
        maintenance=maintenance,
        financial_assets=sum((m.financial_assets for m in members), ZERO),
        vehicles=sum(max(0, m.vehicles - m.vehicles_exempt) for m in members),
        vehicles_exempt=sum(min(m.vehicles, m.vehicles_exempt) for m in members),
        homes=sum(m.real_estate for m in members),
        floor_area=sum((m.home_floor_area for m in members), ZERO),
        asset_failures=[],
    )
    means.asset_failures = asset_failures(
        area=area,
        month=month,
        registered_type=household.registered_type,
        size=means.size,
        financial=means.financial_assets,
        vehicles=means.vehicles,
        homes=means.homes,
        floor_area=means.floor_area,
    )
    return means


def asset_failures(
    *,
    area: Area,
    month: datetime.date,
    registered_type: str,
    size: int,
    financial: Decimal,
    vehicles: int,
    homes: int,
    floor_area: Decimal,
) -> list[str]:
    """The reasons the assets fail the test for `size` members (empty when they pass).

    Deposits, securities and insurance per member: at most the configured multiple of the
    annual dibao standard (or, where the county sets an amount instead, that amount per
    member); vehicles not exempt and homes by count; floor area per member where set."""
    failures = []
    multiple = value(Kind.ASSET_FINANCIAL_MULTIPLE, area, month)
    if multiple is not None:
        standard = standards.get(Kind.DIBAO, area=area, month=month, variant=registered_type)
        limit = multiple * standard.value * 12
    else:
        limit = standards.get(Kind.ASSET_DEPOSITS, area=area, month=month).value
    if size and financial > limit * size:
        failures.append(
            _("Deposits, securities and insurance of %(amount)s are above %(limit)s per member.")
            % {"amount": f"{financial:.2f}", "limit": f"{limit:.2f}"}
        )
    most_vehicles = standards.get(Kind.ASSET_VEHICLES, area=area, month=month).value
    if vehicles > most_vehicles:
        failures.append(
            _("The household owns %(count)d vehicles; at most %(limit)d are allowed.")
            % {"count": vehicles, "limit": int(most_vehicles)}
        )
    most_homes = standards.get(Kind.ASSET_HOMES, area=area, month=month).value
    if homes > most_homes:
        failures.append(
            _("The household owns %(count)d homes; at most %(limit)d are allowed.")
            % {"count": homes, "limit": int(most_homes)}
        )
    area_limit = value(Kind.ASSET_HOME_AREA, area, month)
    if area_limit is not None and size and floor_area > area_limit * size:
        failures.append(
            _("The homes' floor area of %(area)s m² is above %(limit)s m² per member.")
            % {"area": floor_area, "limit": area_limit}
        )
    return failures


def severely_disabled_or_ill(member: HouseholdMember) -> bool:
    """Who can be covered alone (单人保): disability grade 1 or 2, grade 3 intellectual or
    mental, or a serious illness."""
    grade = member.disability_grade
    if grade is not None and (
        grade <= 2 or (grade == 3 and member.disability_type in ("intellectual", "mental"))
    ):
        return True
    return member.health == HouseholdMember.Health.SERIOUS


@dataclass
class Condition:
    met: bool
    text: str


def extreme_poverty_conditions(
    means: Means, person_id: int, registered_type: str
) -> list[Condition]:
    """The three conditions of extreme-poverty support, each with what decided it."""
    mm = means.of(person_id)
    assert mm is not None
    member = mm.member
    area, month = means.household.area, means.month
    # (1) no work capacity: derived from age (ID number) and the disability certificate
    reasons = []
    age = mm.age
    elderly = value(Kind.EP_ELDERLY_AGE, area, month)
    child = value(Kind.EP_CHILD_AGE, area, month)
    school = value(Kind.EP_SCHOOL_AGE, area, month)
    if age is not None and elderly is not None and age >= elderly:
        reasons.append(_("aged %(age)d (from %(limit)s)") % {"age": age, "limit": elderly})
    if age is not None and child is not None and age < child:
        reasons.append(_("aged %(age)d (under %(limit)s)") % {"age": age, "limit": child})
    if age is not None and school is not None and age < school and member.in_full_time_school:
        reasons.append(
            _("aged %(age)d and in school (under %(limit)s)") % {"age": age, "limit": school}
        )
    if member.disability_grade is not None:
        listed = value(
            Kind.EP_DISABILITY, area, month, f"{member.disability_type}:{member.disability_grade}"
        )
        if listed is not None and listed >= 1:
            reasons.append(
                _("disability %(type)s grade %(grade)d")
                % {"type": member.disability_type, "grade": member.disability_grade}
            )
    if member.unable_to_work_by_illness:
        reasons.append(_("illness (recorded exception: %(note)s)") % {"note": member.illness_note})
    conditions = [
        Condition(
            bool(reasons),
            _("No work capacity: %(why)s.") % {"why": "; ".join(reasons)}
            if reasons
            else _("Able to work: not old or young enough, and no listed disability."),
        )
    ]
    # (2) no means of living: own income below the dibao standard, own assets within the rules
    standard = standards.get(Kind.DIBAO, area=area, month=month, variant=registered_type).value
    income = mm.net
    conditions.append(
        Condition(
            income < standard,
            _("Own income of %(income)s a month against the dibao standard of %(standard)s.")
            % {"income": f"{income:.2f}", "standard": standard},
        )
    )
    failures = asset_failures(
        area=area,
        month=month,
        registered_type=registered_type,
        size=1,
        financial=member.financial_assets,
        vehicles=max(0, member.vehicles - member.vehicles_exempt),
        homes=member.real_estate,
        floor_area=member.home_floor_area,
    )
    conditions.append(
        Condition(not failures, " ".join(failures) or _("Own assets within the rules."))
    )
    # (3) no one legally bound to support them is able to
    able = [s for s in member.supporters.all() if s.situation == Supporter.Situation.ABLE]
    conditions.append(
        Condition(
            not able,
            _("Supporters able to support: %(names)s.")
            % {"names": "、".join(f"{s.name}（{s.get_relationship_display()}）" for s in able)}
            if able
            else _("No legally bound supporter is able to support them."),
        )
    )
    return conditions


def self_care_level(member: HouseholdMember) -> str | None:
    """The level of the member's latest six-activity assessment (None: not assessed)."""
    latest = member.assessments.order_by("-assessed_on", "-id").first()
    return latest.level if latest else None
