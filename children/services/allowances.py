"""Child allowances: granted from a month, suspended, resumed, stopped.

What an allowance pays each month is read by the payroll from the standards in force that
month (children/payroll.py): the amount by category, the age it ends at unless the child is
in full-time education, the months paid after that birthday. Here: who may be granted one,
and "choose the higher" against benefits of other apps where the standards say so.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs import benefits
from civil_affairs.areas import policy
from civil_affairs.core.months import add_months
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text
from civil_affairs.standards import selectors as standards

from ..models import CATEGORY_PROGRAM, CATEGORY_VARIANT, Allowance, Child
from ..standards import EXCLUSIVE_FACTS, Kind
from ._common import check_month, save

Status = Allowance.Status


def amount_for(child: Child, month: datetime.date) -> Decimal:
    """The monthly amount of the child's category in `month` (a missing standard names itself)."""
    variant = CATEGORY_VARIANT[child.category]  # type: ignore[index]
    return standards.get(Kind.ORPHAN_ALLOWANCE, area=child.area, month=month, variant=variant).value


def last_month_by_age(child: Child, month: datetime.date) -> datetime.date | None:
    """The last month the age rule lets the allowance pay (None: in full-time education)."""
    if child.in_full_time_education:
        return None
    end_age = int(standards.get(Kind.END_AGE, area=child.area, month=month).value)
    after = int(standards.get(Kind.MONTHS_AFTER_BIRTHDAY, area=child.area, month=month).value)
    birth = child.person.birth_date
    birthday_month = datetime.date(birth.year + end_age, birth.month, 1)
    last = add_months(birthday_month, after)
    if child.left_school_on is not None:
        left = child.left_school_on.replace(day=1)
        last = max(last, left)
    return last


def _choose_higher(child: Child, month: datetime.date, amount: Decimal) -> dict[str, Any]:
    """Benefits of other apps the child is not paid together with (standards say which):
    refused when one pays more; otherwise the basis records what the allowance was chosen
    over, for the caseworker of that benefit to stop it."""
    facts = benefits.facts([child.person_id], month).get(child.person_id, set())
    chosen_over: list[dict[str, Any]] = []
    for fact in EXCLUSIVE_FACTS:
        if fact not in facts:
            continue
        row = standards.find(Kind.CHOOSE_HIGHER, area=child.area, month=month, variant=fact)
        if row is None or row.value != 1:
            continue
        for other in benefits.open_benefits([child.person_id]):
            if other.program != fact:
                continue
            other_amount = other.monthly_amount or Decimal(0)
            if other_amount >= amount:
                raise ValidationError(
                    _(
                        "The child receives %(program)s of %(other)s yuan a month, not less "
                        "than this allowance (%(amount)s): the standards pay only the higher."
                    )
                    % {"program": other.program_label, "other": other_amount, "amount": amount}
                )
            chosen_over.append(
                {"ref": other.ref, "program": other.program, "amount": str(other_amount)}
            )
    return {"chosen_over": chosen_over} if chosen_over else {}


@transaction.atomic
def allowance_grant(*, actor: Any, child: Child, start_month: datetime.date) -> Allowance:
    """Grant the allowance of the child's category from `start_month`."""
    policy.require(actor, "child_allowance.manage", child)
    check_month(start_month, "start_month")
    program = CATEGORY_PROGRAM.get(child.category)  # type: ignore[call-overload]
    if program is None:
        raise ValidationError({"category": _("Children of this category receive no allowance.")})
    if child.status != Child.Status.ACTIVE:
        raise ValidationError(_("The child has left the registry."))
    if Allowance.objects.filter(person=child.person).exclude(status=Status.STOPPED).exists():
        raise ValidationError(_("The child already receives an allowance."))
    amount = amount_for(child, start_month)
    last = last_month_by_age(child, start_month)
    if last is not None and last < start_month:
        raise ValidationError(
            {
                "start_month": _("By the standards the child's allowance ended in %(m)s.")
                % {"m": f"{last:%Y-%m}"}
            }
        )
    basis = {"category": child.category, "amount_at_start": str(amount)}
    basis.update(_choose_higher(child, start_month, amount))
    allowance = Allowance(
        child=child,
        person=child.person,
        area=child.area,
        program=program.value,
        variant=CATEGORY_VARIANT[child.category],  # type: ignore[index]
        start_month=start_month,
        basis=basis,
    )
    save(allowance, actor)
    first_status(allowance, actor=actor, note=f"{start_month:%Y-%m}")
    return allowance


def _lock(allowance: Allowance) -> None:
    Allowance.objects.select_for_update().filter(pk=allowance.pk).first()
    allowance.refresh_from_db()


def _reason(reason: str) -> str:
    return clean_text(reason, "reason", required=True, max_length=300)


def _note(month: datetime.date, reason: str) -> str:
    return _("From %(month)s: %(reason)s") % {"month": f"{month:%Y-%m}", "reason": reason}


@transaction.atomic
def allowance_stop(
    *, actor: Any, allowance: Allowance, effective_month: datetime.date, reason: str
) -> Allowance:
    """Nothing is paid from `effective_month` on (end_month = the month before)."""
    policy.require(actor, "child_allowance.stop", allowance)
    return _stop(actor=actor, allowance=allowance, effective_month=effective_month, reason=reason)


def _stop(
    *, actor: Any, allowance: Allowance, effective_month: datetime.date, reason: str
) -> Allowance:
    check_month(effective_month)
    reason = _reason(reason)
    _lock(allowance)
    last = add_months(effective_month, -1)
    if allowance.end_month is None or allowance.end_month > last:
        allowance.end_month = last
    allowance.status_reason = reason
    allowance._history_user = actor  # type: ignore[attr-defined]
    transition(allowance, Status.STOPPED, actor=actor, note=_note(effective_month, reason))
    return allowance


@transaction.atomic
def allowance_suspend(
    *, actor: Any, allowance: Allowance, effective_month: datetime.date, reason: str
) -> Allowance:
    """Nothing is paid from `effective_month` on until it is resumed."""
    policy.require(actor, "child_allowance.stop", allowance)
    check_month(effective_month)
    reason = _reason(reason)
    _lock(allowance)
    if allowance.end_month is not None and effective_month > allowance.end_month:
        raise ValidationError(
            {"effective_month": _("The allowance ends before that month: nothing to suspend.")}
        )
    allowance.suspended_from = effective_month
    allowance.status_reason = reason
    allowance._history_user = actor  # type: ignore[attr-defined]
    transition(allowance, Status.SUSPENDED, actor=actor, note=_note(effective_month, reason))
    return allowance


@transaction.atomic
def allowance_resume(*, actor: Any, allowance: Allowance, reason: str) -> Allowance:
    """Paid again, the suspended months included (the payroll pays them as arrears)."""
    policy.require(actor, "child_allowance.manage", allowance)
    reason = _reason(reason)
    _lock(allowance)
    allowance.suspended_from = None
    allowance.status_reason = reason
    allowance._history_user = actor  # type: ignore[attr-defined]
    transition(allowance, Status.ACTIVE, actor=actor, note=reason)
    return allowance


def allowance_stop_for_category(
    *, actor: Any, child: Child, effective_month: datetime.date, reason: str
) -> None:
    """The child's category ended (a registry event its caller was allowed): their open
    allowance stops from `effective_month`."""
    for allowance in Allowance.objects.filter(child=child).exclude(status=Status.STOPPED):
        _stop(actor=actor, allowance=allowance, effective_month=effective_month, reason=reason)
