"""Entitlements: what is paid monthly. Every change of amount or status goes through here.

The amount of each month is the EntitlementPeriod covering it (relief/payroll.py reads
them): what is OWED for that month. A period keeps the inputs its amount is computed from
(its basis); `schedule` splits the months at every change of the standards they use and
computes each piece with the standards in force in it, so a month's amount is the standard
of that month whenever the standard's row was entered — a standard entered later, even for
months already paid, rewrites what is owed, and the payroll pays the difference as back pay.
A change of inputs (a review) is written from its effective month on.

Status changes go through core.status.transition (one StatusChange row each);
every row keeps its history (django-simple-history), with the reason.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.core import notes
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import add_months
from civil_affairs.core.status import transition
from civil_affairs.core.validators import clean_text
from civil_affairs.standards.models import Standard
from civil_affairs.standards.selectors import changes_between

from .. import calc
from ..calc import Computed, get_standard
from ..models import (
    Application,
    Entitlement,
    EntitlementPeriod,
    Household,
    Program,
)
from ..standards import Kind

# what the system writes on an entitlement's timeline, read in the reader's language
NOTE_FROM = notes.register("relief.from_month", gettext_lazy("From %(month)s: %(reason)s"))
NOTE_GRADUAL_EXIT = notes.register(
    "relief.gradual_exit",
    gettext_lazy("%(months)d months from %(month)s, last paid %(last)s: %(reason)s"),
)

Status = Entitlement.Status


def check_month(value: Any, field: str = "effective_month") -> datetime.date:
    if not isinstance(value, datetime.date) or value.day != 1:
        raise ValidationError({field: _("A month is given as its first day (YYYY-MM-01).")})
    return value


def _reason(reason: str) -> str:
    return clean_text(reason, "reason", required=True, max_length=300)


def _locked(entitlement: Entitlement) -> Entitlement:
    """Lock the row for this transaction and read it fresh into the caller's object."""
    Entitlement.objects.select_for_update().filter(pk=entitlement.pk).first()
    entitlement.refresh_from_db()
    return entitlement


def _save(entitlement: Entitlement, actor: Any, reason: str) -> None:
    entitlement._history_user = actor  # type: ignore[attr-defined]
    entitlement._change_reason = reason[:100]  # type: ignore[attr-defined]
    entitlement.save()


def _save_period(period: EntitlementPeriod, actor: Any, reason: str) -> None:
    period._history_user = actor  # type: ignore[attr-defined]
    period._change_reason = reason[:100]  # type: ignore[attr-defined]
    period.save()


def _end_periods(entitlement: Entitlement, last_month: datetime.date, actor: Any) -> None:
    """No period goes beyond `last_month`: later ones are removed, the covering one closed."""
    for period in entitlement.periods.select_for_update().order_by("valid_from"):
        if period.valid_from > last_month:
            period._history_user = actor  # type: ignore[attr-defined]
            period.delete()
        elif period.valid_to is None or period.valid_to > last_month:
            period.valid_to = last_month
            _save_period(period, actor, "ended")


def _refresh_amount(entitlement: Entitlement) -> None:
    latest = entitlement.periods.order_by("-valid_from").first()
    if latest is not None:
        entitlement.monthly_amount = latest.monthly_amount


def _same(a: dict[str, Any], b: dict[str, Any], program: str) -> bool:
    """Two periods' bases compute the same way (same inputs, same standard rows)."""
    return _key(a, program) == _key(b, program)


# the ids of the standard rows a basis records (calc.*_amount)
STANDARD_KEYS = ("standard_id", "floor_id", "dibao_standard_id", "care_standard_id")


Piece = tuple[datetime.date, datetime.date | None, Decimal, dict[str, Any]]


def _amounts(pieces: list[Piece]) -> list[tuple[datetime.date, datetime.date | None, Decimal]]:
    """The pieces as (from, to, amount), adjacent pieces of one amount joined: what is owed."""
    out: list[tuple[datetime.date, datetime.date | None, Decimal]] = []
    for start, end, amount, _basis in sorted(pieces, key=lambda p: p[0]):
        last = out[-1] if out else None
        if last and last[1] is not None and add_months(last[1], 1) == start and last[2] == amount:
            out[-1] = (last[0], end, amount)
            continue
        out.append((start, end, amount))
    return out


def schedule(
    *, actor: Any, entitlement: Entitlement, from_month: datetime.date, reason: str
) -> bool:
    """Recompute what is owed for every month from `from_month` on. Each month keeps the
    inputs of the period covering it (its current inputs) and takes the standards in force
    in that month; a piece whose amount was set by hand keeps it. Months without a period
    (suspended, after the end) stay without. Returns whether an amount owed changed."""
    from ..standards import AMOUNT_KINDS

    periods = list(entitlement.periods.select_for_update().order_by("valid_from", "pk"))
    kinds = list(AMOUNT_KINDS.get(entitlement.program, ()))
    old: list[Piece] = []
    new: list[Piece] = []
    for period in periods:
        first = max(period.valid_from, from_month)
        last = period.valid_to
        if last is not None and last < first:
            continue
        basis = period.basis or {}
        old.append((first, last, period.monthly_amount, basis))
        if not calc.computable(entitlement.program, basis):
            new.append((first, last, period.monthly_amount, basis))
            continue
        cuts = [first, *changes_between(kinds, area=entitlement.area, first=first, last=last)]
        for i, start in enumerate(cuts):
            end = last if i == len(cuts) - 1 else add_months(cuts[i + 1], -1)
            computed = calc.recompute(entitlement.program, entitlement.area, basis, start)
            piece = (start, end, computed.amount, computed.basis)
            prev = new[-1] if new else None
            if (
                prev is not None
                and prev[1] is not None
                and add_months(prev[1], 1) == start
                and prev[2] == piece[2]
                and _same(prev[3], piece[3], entitlement.program)
            ):
                new[-1] = (prev[0], end, prev[2], prev[3])
            else:
                new.append(piece)
    if [(a, b, c, _key(d, entitlement.program)) for a, b, c, d in old] == [
        (a, b, c, _key(d, entitlement.program)) for a, b, c, d in new
    ]:
        return False  # already as the standards say
    for period in periods:
        if period.valid_from >= from_month:
            period._history_user = actor  # type: ignore[attr-defined]
            period._change_reason = reason[:100]  # type: ignore[attr-defined]
            period.delete()
        elif period.valid_to is None or period.valid_to >= from_month:
            period.valid_to = add_months(from_month, -1)
            _save_period(period, actor, reason)
    for start, end, amount, basis in new:
        _save_period(
            EntitlementPeriod(
                entitlement=entitlement,
                valid_from=start,
                valid_to=end,
                monthly_amount=amount,
                basis=basis,
            ),
            actor,
            reason,
        )
    _refresh_amount(entitlement)
    latest = new[-1][3] if new else None
    if latest is not None and calc.computable(entitlement.program, latest):
        entitlement.basis = latest
        entitlement.standard_id = latest.get("standard_id")
    _save(entitlement, actor, reason)
    return _amounts(old) != _amounts(new)


def _key(basis: dict[str, Any], program: str) -> tuple[str, ...]:
    keys = (*calc.INPUTS.get(program, ()), *STANDARD_KEYS, "manual")
    return tuple(str(basis.get(k)) for k in keys)


@transaction.atomic
def entitlement_create(
    *,
    actor: Any,
    application: Application | None,
    program: str,
    person_id: int,
    household: Household,
    start_month: datetime.date,
    computed: Computed,
) -> Entitlement:
    """A new active entitlement, owed from `start_month` with the standards of each month
    (periods split where a standard changes, even one entered before the approval for a
    later month). Called by the approval service. Months before the next payroll are paid
    in it as arrears: the payroll pays every month owed and not yet paid."""
    check_month(start_month, "start_month")
    if Entitlement.objects.filter(person_id=person_id, program=program).exclude(
        status=Status.STOPPED
    ):
        raise ValidationError(
            _("This person already has an open entitlement of this program: change that one.")
        )
    entitlement = Entitlement(
        program=program,
        person_id=person_id,
        area=household.area,
        household=household if program == Program.DIBAO else None,
        application=application,
        standard=computed.standard,
        monthly_amount=computed.amount,
        start_month=start_month,
        basis=computed.basis,
    )
    _save(entitlement, actor, "approved")
    period = EntitlementPeriod(
        entitlement=entitlement,
        valid_from=start_month,
        monthly_amount=computed.amount,
        basis=computed.basis,
    )
    _save_period(period, actor, "approved")
    schedule(actor=actor, entitlement=entitlement, from_month=start_month, reason="approved")
    return entitlement


@transaction.atomic
def entitlement_stop(
    *, actor: Any, entitlement: Entitlement, effective_month: datetime.date, reason: str
) -> Entitlement:
    """Nothing is paid from `effective_month` on: end_month = effective_month − 1 month."""
    policy.require(actor, "entitlement.manage", entitlement)
    check_month(effective_month)
    reason = _reason(reason)
    _locked(entitlement)
    last = add_months(effective_month, -1)
    if entitlement.end_month is None or entitlement.end_month > last:
        entitlement.end_month = last
    entitlement.status_reason = reason
    entitlement._history_user = actor  # type: ignore[attr-defined]
    transition(
        entitlement,
        Status.STOPPED,
        actor=actor,
        note_code=NOTE_FROM,
        note_params={"month": f"{effective_month:%Y-%m}", "reason": reason},
    )
    _end_periods(entitlement, entitlement.end_month, actor)
    return entitlement


@transaction.atomic
def entitlement_suspend(
    *, actor: Any, entitlement: Entitlement, effective_month: datetime.date, reason: str
) -> Entitlement:
    """Nothing is paid from `effective_month` on until it is resumed."""
    policy.require(actor, "entitlement.manage", entitlement)
    check_month(effective_month)
    reason = _reason(reason)
    _locked(entitlement)
    if entitlement.end_month is not None and effective_month > entitlement.end_month:
        raise ValidationError(
            {"effective_month": _("The entitlement ends before that month: nothing to suspend.")}
        )
    entitlement.suspended_from = effective_month
    entitlement.status_reason = reason
    entitlement._history_user = actor  # type: ignore[attr-defined]
    transition(
        entitlement,
        Status.SUSPENDED,
        actor=actor,
        note_code=NOTE_FROM,
        note_params={"month": f"{effective_month:%Y-%m}", "reason": reason},
    )
    return entitlement


@transaction.atomic
def entitlement_resume(
    *, actor: Any, entitlement: Entitlement, effective_month: datetime.date, reason: str
) -> Entitlement:
    """Paid again from `effective_month`; the suspended months before it stay unpaid."""
    policy.require(actor, "entitlement.manage", entitlement)
    check_month(effective_month)
    reason = _reason(reason)
    _locked(entitlement)
    suspended_from = entitlement.suspended_from
    if entitlement.status == Status.SUSPENDED and suspended_from is not None:
        if effective_month < suspended_from:
            raise ValidationError(
                {
                    "effective_month": _("It cannot resume before it was suspended (%(m)s).")
                    % {"m": f"{suspended_from:%Y-%m}"}
                }
            )
        _cut_gap(entitlement, suspended_from, add_months(effective_month, -1), actor)
    entitlement.suspended_from = None
    entitlement.status_reason = reason
    entitlement._history_user = actor  # type: ignore[attr-defined]
    transition(
        entitlement,
        Status.ACTIVE,
        actor=actor,
        note_code=NOTE_FROM,
        note_params={"month": f"{effective_month:%Y-%m}", "reason": reason},
    )
    return entitlement


def _cut_gap(
    entitlement: Entitlement, first: datetime.date, last: datetime.date, actor: Any
) -> None:
    """Leave the months first..last without a period, so that they are never paid."""
    if last < first:
        return
    after = add_months(last, 1)
    for period in entitlement.periods.select_for_update().order_by("valid_from"):
        ends = period.valid_to
        if (ends is not None and ends < first) or period.valid_from > last:
            continue
        if period.valid_from < first:
            if ends is None or ends > last:
                EntitlementPeriod.objects.create(
                    entitlement=entitlement,
                    valid_from=after,
                    valid_to=ends,
                    monthly_amount=period.monthly_amount,
                    basis=period.basis,
                )
            period.valid_to = add_months(first, -1)
            _save_period(period, actor, "suspended months")
        elif ends is None or ends > last:
            period.valid_from = after
            _save_period(period, actor, "suspended months")
        else:
            period._history_user = actor  # type: ignore[attr-defined]
            period.delete()


@transaction.atomic
def entitlement_change_amount(
    *,
    actor: Any,
    entitlement: Entitlement,
    effective_month: datetime.date,
    monthly_amount: Decimal,
    reason: str,
    basis: dict[str, Any] | None = None,
    standard: Standard | None = None,
) -> Entitlement:
    """The amount is `monthly_amount` from `effective_month` on.

    The period covering that month is closed at effective_month − 1 and a new one opened;
    periods that start later take the new amount too (a later change supersedes them), and
    months left unpaid by a suspension stay unpaid.
    """
    policy.require(actor, "entitlement.manage", entitlement)
    return apply_amount_change(
        actor=actor,
        entitlement=entitlement,
        effective_month=effective_month,
        monthly_amount=monthly_amount,
        reason=reason,
        basis=basis,
        standard=standard,
    )


@transaction.atomic
def apply_amount_change(
    *,
    actor: Any,
    entitlement: Entitlement,
    effective_month: datetime.date,
    monthly_amount: Decimal,
    reason: str,
    basis: dict[str, Any] | None = None,
    standard: Standard | None = None,
) -> Entitlement:
    """entitlement_change_amount without its policy check, for services that have checked
    their own. With a `basis` holding the program's inputs (a review), the months from
    `effective_month` are computed from those inputs with each month's standards; without
    (an amount set by hand, a cross-check's change), the amount stays as given."""
    check_month(effective_month)
    if basis is None or not calc.computable(entitlement.program, basis):
        basis = {**(basis or {}), "manual": True, "reason": reason[:100]}
    reason = _reason(reason)
    try:
        amount = to_yuan(monthly_amount)
    except (ArithmeticError, TypeError, ValueError):
        raise ValidationError({"monthly_amount": _("Enter an amount in yuan.")}) from None
    if amount <= 0:
        raise ValidationError(
            {"monthly_amount": _("The amount must be above zero; to pay nothing, stop it.")}
        )
    _locked(entitlement)
    if entitlement.status == Status.STOPPED:
        raise ValidationError(_("This entitlement is stopped: its amount can no longer change."))
    if effective_month < entitlement.start_month:
        raise ValidationError(
            {
                "effective_month": _("The entitlement starts in %(m)s.")
                % {"m": f"{entitlement.start_month:%Y-%m}"}
            }
        )
    if entitlement.end_month is not None and effective_month > entitlement.end_month:
        raise ValidationError(
            {
                "effective_month": _("The entitlement ends in %(m)s.")
                % {"m": f"{entitlement.end_month:%Y-%m}"}
            }
        )
    periods = list(entitlement.periods.select_for_update().order_by("valid_from"))
    covering = next(
        (
            p
            for p in periods
            if p.valid_from <= effective_month
            and (p.valid_to is None or p.valid_to >= effective_month)
        ),
        None,
    )
    for period in periods:
        if period.valid_from >= effective_month:
            period.monthly_amount = amount
            if basis is not None:
                period.basis = basis
            _save_period(period, actor, reason)
    if covering is not None and covering.valid_from < effective_month:
        EntitlementPeriod.objects.create(
            entitlement=entitlement,
            valid_from=effective_month,
            valid_to=covering.valid_to,
            monthly_amount=amount,
            basis=basis if basis is not None else covering.basis,
        )
        covering.valid_to = add_months(effective_month, -1)
        _save_period(covering, actor, reason)
    elif not periods:
        EntitlementPeriod.objects.create(
            entitlement=entitlement,
            valid_from=effective_month,
            valid_to=entitlement.end_month,
            monthly_amount=amount,
            basis=basis or {},
        )
    _refresh_amount(entitlement)
    entitlement.basis = basis
    if standard is not None:
        entitlement.standard = standard
    _save(entitlement, actor, reason)
    schedule(actor=actor, entitlement=entitlement, from_month=effective_month, reason=reason)
    return entitlement


@transaction.atomic
def entitlement_gradual_exit(
    *,
    actor: Any,
    entitlement: Entitlement,
    effective_month: datetime.date,
    reason: str,
    months: int | None = None,
) -> Entitlement:
    """Income rose above the standard: paid on for the exit months from `effective_month`,
    then it ends. At most the configured gradual-exit months (the default)."""
    policy.require(actor, "entitlement.manage", entitlement)
    check_month(effective_month)
    reason = _reason(reason)
    _locked(entitlement)
    limit = int(
        get_standard(Kind.GRADUAL_EXIT_MONTHS, area=entitlement.area, month=effective_month).value
    )
    months = limit if months is None else months
    if not 1 <= months <= limit:
        raise ValidationError(
            {"months": _("Gradual exit lasts 1 to %(limit)d months.") % {"limit": limit}}
        )
    last = add_months(effective_month, months - 1)
    if entitlement.end_month is None or entitlement.end_month > last:
        entitlement.end_month = last
    entitlement.status_reason = reason
    entitlement._history_user = actor  # type: ignore[attr-defined]
    transition(
        entitlement,
        Status.GRADUAL_EXIT,
        actor=actor,
        note_code=NOTE_GRADUAL_EXIT,
        note_params={
            "months": months,
            "month": f"{effective_month:%Y-%m}",
            "last": f"{last:%Y-%m}",
            "reason": reason,
        },
    )
    _end_periods(entitlement, entitlement.end_month, actor)
    return entitlement


def basis_in(entitlement: Entitlement, month: datetime.date) -> dict[str, Any]:
    """The inputs of the period covering `month` (empty if none does)."""
    period = (
        entitlement.periods.filter(valid_from__lte=month)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .order_by("-valid_from")
        .first()
    )
    return dict(period.basis or {}) if period else {}


def amount_in(entitlement: Entitlement, month: datetime.date) -> Decimal | None:
    """The monthly amount of the period covering `month`, or None if none does."""
    period = (
        entitlement.periods.filter(valid_from__lte=month)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .first()
    )
    return period.monthly_amount if period else None


def affected_entitlements(standard: Standard) -> Any:
    """The open entitlements a standard row governs: of the programs whose amount uses its
    kind, in its area's subtree but not under an area with its own row of that kind and
    variant for the same months (that row governs them), paying in or after its first month."""
    from civil_affairs.areas.models import Area

    from ..standards import AMOUNT_KINDS

    programs = [p for p, kinds in AMOUNT_KINDS.items() if standard.kind in kinds]
    overriding = (
        Standard.objects.filter(
            kind=standard.kind,
            variant=standard.variant,
            area__code__startswith=standard.area.code,
            valid_from__lte=standard.valid_from,
        )
        .exclude(area=standard.area)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=standard.valid_to or _FAR))
        .values_list("area__code", flat=True)
    )
    rows = (
        Entitlement.objects.filter(
            program__in=programs,
            area__in=Area.objects.within(standard.area.code),
            status__in=[
                Entitlement.Status.ACTIVE,
                Entitlement.Status.SUSPENDED,
                Entitlement.Status.GRADUAL_EXIT,
            ],
        )
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=standard.valid_from))
        .select_related("area")
    )
    codes = list(overriding)
    if codes:
        rows = rows.exclude(area__in=Area.objects.within(*codes))
    return rows.order_by("id")


_FAR = datetime.date(9999, 12, 1)


def standard_apply(*, actor: Any, standard: Standard) -> int:
    """The hook of relief's amount kinds (relief/standards.py): what is owed by the
    entitlements the row governs is recomputed from its first month (or the entitlement's),
    each month with its inputs of the time and the standards in force in it — months
    already paid included: the next payroll pays the difference of a raise as back pay, and
    the reconciliation lists what a cut leaves overpaid. Returns how many changed. Safe to run
    again: an amount already right is left alone."""
    changed = 0
    reason = _("Standard from %(month)s") % {"month": f"{standard.valid_from:%Y-%m}"}
    for entitlement in affected_entitlements(standard):
        month = max(standard.valid_from, entitlement.start_month)
        if entitlement.end_month is not None and month > entitlement.end_month:
            continue
        if schedule(actor=actor, entitlement=entitlement, from_month=month, reason=reason):
            changed += 1
    return changed
