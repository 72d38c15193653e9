"""Entitlements: what is paid monthly. Every change of amount or status goes through here.

The amount of each month is the EntitlementPeriod covering it (relief/payroll.py reads
them), so each change is written from an effective month on and never rewrites a month
before it. Status changes go through core.status.transition (one StatusChange row each);
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

from civil_affairs.areas import policy
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import add_months
from civil_affairs.core.status import transition
from civil_affairs.core.validators import clean_text
from civil_affairs.standards.models import Standard

from ..calc import Computed, get_standard
from ..models import (
    Application,
    Entitlement,
    EntitlementPeriod,
    Household,
    Program,
)
from ..standards import Kind

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


@transaction.atomic
def entitlement_create(
    *,
    actor: Any,
    application: Application | None,
    program: str,
    person_id: int,
    household: Household,
    start_month: datetime.date,
    first_payroll_month: datetime.date,
    computed: Computed,
) -> Entitlement:
    """A new active entitlement with its first period. Called by the approval service."""
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
        first_payroll_month=first_payroll_month,
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
        note=_("From %(month)s: %(reason)s")
        % {"month": f"{effective_month:%Y-%m}", "reason": reason},
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
        note=_("From %(month)s: %(reason)s")
        % {"month": f"{effective_month:%Y-%m}", "reason": reason},
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
        note=_("From %(month)s: %(reason)s")
        % {"month": f"{effective_month:%Y-%m}", "reason": reason},
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
    their own (standard_apply: an administrator applying a standard)."""
    check_month(effective_month)
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
    if basis is not None:
        entitlement.basis = basis
    if standard is not None:
        entitlement.standard = standard
    _save(entitlement, actor, reason)
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
        note=_("%(months)d months from %(month)s, last paid %(last)s: %(reason)s")
        % {
            "months": months,
            "month": f"{effective_month:%Y-%m}",
            "last": f"{last:%Y-%m}",
            "reason": reason,
        },
    )
    _end_periods(entitlement, entitlement.end_month, actor)
    return entitlement


def amount_in(entitlement: Entitlement, month: datetime.date) -> Decimal | None:
    """The monthly amount of the period covering `month`, or None if none does."""
    period = (
        entitlement.periods.filter(valid_from__lte=month)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .first()
    )
    return period.monthly_amount if period else None


def affected_entitlements(standard: Standard) -> Any:
    """Open entitlements of the programs whose amount uses the standard's kind, in its area's
    subtree, paying in or after its first month."""
    from civil_affairs.areas.models import Area

    from ..standards import AMOUNT_KINDS

    programs = [p for p, kinds in AMOUNT_KINDS.items() if standard.kind in kinds]
    rows = (
        Entitlement.objects.filter(
            program__in=programs,
            area__in=Area.objects.within(standard.area.code),
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.SUSPENDED],
        )
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=standard.valid_from))
        .select_related("area")
    )
    if standard.kind == Kind.DIBAO:
        rows = rows.filter(basis__registered_type=standard.variant)
    elif standard.kind == Kind.EP_CARE:
        rows = rows.filter(basis__self_care=standard.variant)
    return rows.order_by("id")


def standard_apply(*, actor: Any, standard: Standard) -> int:
    """The hook of relief's amount kinds (relief/standards.py): re-compute the entitlements a
    standard row changes, from its first month, with the inputs frozen on each (the household
    is not re-read): months before stay as they were. Returns how many changed. Safe to run
    again: an amount already right is left alone."""
    from .. import calc

    changed = 0
    for entitlement in affected_entitlements(standard):
        month = max(standard.valid_from, entitlement.start_month)
        if entitlement.end_month is not None and month > entitlement.end_month:
            continue
        computed = calc.recompute(entitlement, month)
        if computed.amount <= 0 or computed.amount == amount_in(entitlement, month):
            continue
        apply_amount_change(
            actor=actor,
            entitlement=entitlement,
            effective_month=month,
            monthly_amount=computed.amount,
            reason=_("New standard from %(month)s") % {"month": f"{standard.valid_from:%Y-%m}"},
            basis={**entitlement.basis, **computed.basis},
            standard=computed.standard,
        )
        changed += 1
    return changed
