"""The national rules the case flow applies beside the amounts (issue 10, items 4–6).

- delegation of approval: per program and dated (ApprovalDelegation rows);
- working days and the due date of a case (30 working days, 45 in special cases: standards;
  holidays and exchanged working days: Holiday rows);
- temporary assistance: the county's table tied to the dibao standard (months of it by
  kind of case), a cap per case and a yearly limit per household (standards), the township's
  reserve fund (ReserveFund rows); every payment reaches the fund ledger;
- "choose the higher" (择高): no double benefit where the rules say so.

Every figure is a standard or a row; nothing here is a number of its own. Refusals name
the figure that refused.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs import benefits
from civil_affairs.areas.models import Area
from civil_affairs.core.money import ZERO, to_yuan
from civil_affairs.core.months import first_of_month
from civil_affairs.standards import selectors as standards

from .models import Application, ApprovalDelegation, Holiday, Household, ReserveFund
from .standards import Kind

# one-off programs (not in the payroll): each payment is one ledger entry
ONE_OFF_TEMPORARY = "temporary_assistance"
ONE_OFF_MEDICAL_AID = "medical_aid"
ONE_OFF_HOMELESS = "homeless"
ONE_OFF_LABELS = {
    ONE_OFF_TEMPORARY: gettext_lazy("Temporary assistance"),
    ONE_OFF_MEDICAL_AID: gettext_lazy("Charity medical aid"),
    ONE_OFF_HOMELESS: gettext_lazy("Homeless and beggar relief"),
}

# "choose the higher" (择高): a program and the benefits (payroll program codes, in any app)
# it is not paid beside
CHOOSE_THE_HIGHER: dict[str, tuple[str, ...]] = {
    "disability_care": ("extreme_poverty", "orphan_allowance", "unsupported_child_allowance"),
}
PAID = (Application.Status.APPROVED, Application.Status.IN_PAYMENT)


def register_one_offs() -> None:
    from civil_affairs.payments.providers import register_one_off

    for code, label in ONE_OFF_LABELS.items():
        register_one_off(code, label)


# ---- delegation of approval


def delegated(township: Area, program: str, day: datetime.date) -> bool:
    """Whether `township` approves `program` itself on `day`."""
    return (
        ApprovalDelegation.objects.filter(township=township, program=program, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .exists()
    )


# ---- working days and due dates


def _county(area: Area) -> Area:
    while area.parent_id is not None and area.level != Area.Level.COUNTY:
        assert area.parent is not None
        area = area.parent
    return area


def add_working_days(area: Area, start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (weekends off, the county's holidays off,
    its exchanged working days on)."""
    county = _county(area)
    horizon = start + datetime.timedelta(days=days * 2 + 60)
    special = dict(
        Holiday.objects.filter(county=county, day__gt=start, day__lte=horizon).values_list(
            "day", "working"
        )
    )
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        working = special.get(day, day.weekday() < 5)
        if working:
            left -= 1
    return day


def due_date(application: Application) -> datetime.date | None:
    """The day a case must be decided by: the working-day limit from acceptance (from the
    application while it is not yet accepted). None where the county sets no limit."""
    start = application.accepted_on or application.applied_on
    variant = "special" if application.special_case else "normal"
    row = standards.find(
        Kind.DECISION_DAYS, area=application.area, month=first_of_month(start), variant=variant
    )
    if row is None:
        return None
    return add_working_days(application.area, start, int(row.value))


# ---- temporary assistance


def _dibao_standard(area: Area, household: Household | None, month: datetime.date) -> Decimal:
    # a non-resident is helped at the urban standard of the place of the emergency
    variant = household.registered_type if household is not None else "urban"
    return standards.get(Kind.DIBAO, area=area, month=month, variant=variant).value


def paid_this_year(
    *, household: Household | None, person_id: int | None, year: int, exclude: int | None = None
) -> Decimal:
    """Temporary assistance approved for the household (a non-resident: the person) in
    `year`."""
    rows = Application.objects.filter(
        program=Application.Kind.TEMPORARY, status__in=PAID, approved_at__year=year
    )
    if household is not None:
        rows = rows.filter(household=household)
    elif person_id is not None:
        rows = rows.filter(person_id=person_id, household__isnull=True)
    else:
        return ZERO
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(total=Sum("approved_amount"))["total"] or ZERO


def temporary_limits(
    *,
    area: Area,
    household: Household | None,
    person_id: int | None,
    kind: str,
    amount: Decimal,
    day: datetime.date,
    exclude: int | None = None,
) -> None:
    """Refuse an amount above the county's table (months of the dibao standard for the kind
    of case), above its cap, or over the household's yearly limit, naming the figure."""
    month = first_of_month(day)
    label = Application.AssistanceKind(kind).label
    months = standards.find(Kind.TEMP_MONTHS, area=area, month=month, variant=kind)
    if months is not None:
        standard = _dibao_standard(area, household, month)
        table = to_yuan(months.value * standard)
        if amount > table:
            raise ValidationError(
                _(
                    "%(amount)s is above the county's table for %(kind)s: %(months)s months × "
                    "the dibao standard of %(standard)s = %(table)s."
                )
                % {
                    "amount": amount,
                    "kind": label,
                    "months": months.value.normalize(),
                    "standard": standard,
                    "table": table,
                },
                code="above_table",
            )
    cap = standards.find(Kind.TEMP_CAP, area=area, month=month, variant=kind)
    if cap is not None and amount > cap.value:
        raise ValidationError(
            _("%(amount)s is above the cap of %(cap)s for one case of %(kind)s.")
            % {"amount": amount, "cap": cap.value, "kind": label},
            code="above_cap",
        )
    limit = standards.find(Kind.TEMP_YEARLY_LIMIT, area=area, month=month)
    if limit is not None:
        paid = paid_this_year(
            household=household, person_id=person_id, year=day.year, exclude=exclude
        )
        if paid + amount > limit.value:
            raise ValidationError(
                _(
                    "%(amount)s would exceed the yearly limit of %(limit)s per household: "
                    "%(paid)s was already given in %(year)d, at most %(left)s more."
                )
                % {
                    "amount": amount,
                    "limit": limit.value,
                    "paid": paid,
                    "year": day.year,
                    "left": max(limit.value - paid, ZERO),
                },
                code="yearly_limit",
            )


def reserve_spent(township: Area, year: int, exclude: int | None = None) -> Decimal:
    rows = Application.objects.filter(
        program=Application.Kind.TEMPORARY,
        status__in=PAID,
        approved_delegated=True,
        area__code__startswith=township.code,
        approved_at__year=year,
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(total=Sum("approved_amount"))["total"] or ZERO


def reserve_check(*, application: Application, amount: Decimal, day: datetime.date) -> None:
    """What a township approves itself is paid from its reserve fund (备用金) of the year."""
    from django.core.exceptions import PermissionDenied

    township = application.area.township
    reserve = (
        ReserveFund.objects.filter(township=township, year=day.year).first()
        if township is not None
        else None
    )
    if reserve is None:
        raise PermissionDenied(
            _("The township has no reserve fund for %(year)d: the county approves this case.")
            % {"year": day.year}
        )
    spent = reserve_spent(reserve.township, day.year, exclude=application.pk)
    if spent + amount > reserve.amount:
        raise PermissionDenied(
            _(
                "The township's reserve fund of %(reserve)s for %(year)d has %(left)s left: "
                "%(amount)s must be approved by the county."
            )
            % {
                "reserve": reserve.amount,
                "year": day.year,
                "left": max(reserve.amount - spent, ZERO),
                "amount": amount,
            }
        )


def pay_one_off(
    *,
    actor: Any,
    program: str,
    person: Any,
    area: Area,
    amount: Decimal,
    source: str,
    note: str = "",
    day: datetime.date | None = None,
) -> Any:
    """The payment leaves the county's special account: one ledger entry naming the person
    and the record (payments' service; the fund must hold it)."""
    from civil_affairs.payments.services import ledger_pay_one_off

    return ledger_pay_one_off(
        actor=actor,
        program=program,
        person=person,
        area=area,
        amount=amount,
        source=source,
        note=note,
        booked_on=day,
    )


# ---- choose the higher


def choose_the_higher(program: str, person_id: int, month: datetime.date) -> None:
    """Refuse a benefit the person may not have beside one they receive, naming it."""
    others = CHOOSE_THE_HIGHER.get(program)
    if not others:
        return
    for benefit in benefits.open_benefits([person_id]):
        ended = benefit.end_month is not None and benefit.end_month < month
        if benefit.program in others and not ended:
            raise ValidationError(
                {
                    "program": _(
                        "This person receives %(other)s, which is not paid beside this "
                        "benefit: choose the higher of the two (择高)."
                    )
                    % {"other": benefit.program_label}
                },
                code="choose_the_higher",
            )
