"""Whom a benefit is paid to (issue 10, item 7).

- When the head of household dies, the household's dibao continues for the others with a
  new payee: the dead head's entitlement stops from the month after the death and a new one,
  paid to the new head, continues it from that month, computed for the members left. Only the
  dead person's own benefits stop (relief/benefits.py applies this to a confirmed death from
  a cross-check list). The payroll pays each entitlement's person: the new payee.
- Centralised extreme-poverty support is paid to the care home (an institution payee: its
  name and account on the entitlement); the care amount of dispersed support to the
  contracted caregiver.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.core.validators import clean_text, compact_account
from civil_affairs.payments.providers import with_parts
from civil_affairs.payments.selectors import months_in_payrolls
from civil_affairs.people.models import Person

from .. import calc, means
from ..models import Application, Entitlement, Household, HouseholdMember, Program
from .entitlements import check_month, entitlement_create, entitlement_stop

Relationship = HouseholdMember.Relationship


def next_head(household: Household, month: datetime.date) -> HouseholdMember | None:
    """Who takes over when the head dies: the living spouse, else the oldest living adult,
    else the oldest living member."""
    living = [
        m
        for m in household.members.select_related("person")
        if m.relationship != Relationship.HEAD and not means.dead_by(m, month)
    ]
    if not living:
        return None
    spouses = [m for m in living if m.relationship == Relationship.SPOUSE]
    if spouses:
        return spouses[0]
    return min(living, key=lambda m: (m.person.birth_date, m.pk))


def _set_head(actor: Any, household: Household, new: HouseholdMember) -> None:
    for member in household.members.filter(relationship=Relationship.HEAD).exclude(pk=new.pk):
        member.relationship = Relationship.OTHER
        member._history_user = actor  # type: ignore[attr-defined]
        member.save(update_fields=["relationship", "updated_at"])
    new.relationship = Relationship.HEAD
    new._history_user = actor  # type: ignore[attr-defined]
    new.save(update_fields=["relationship", "updated_at"])


@transaction.atomic
def household_change_payee(
    *,
    actor: Any,
    household: Household,
    person_id: int,
    effective_month: datetime.date,
    reason: str,
) -> Entitlement | None:
    """The member `person_id` becomes the head and the payee of the household's dibao from
    `effective_month`: the current entitlement stops before that month and a new one for the
    same household continues it, computed for the living members. Returns the new one (None
    when the household has no open dibao, or none is due for the members left)."""
    policy.require(actor, "household.change_payee", household)
    return _change_payee(
        actor=actor,
        household=household,
        person_id=person_id,
        effective_month=effective_month,
        reason=reason,
    )


def _change_payee(
    *,
    actor: Any,
    household: Household,
    person_id: int,
    effective_month: datetime.date,
    reason: str,
) -> Entitlement | None:
    effective_month = check_month(effective_month)
    reason = clean_text(reason, "reason", required=True, max_length=200)
    new = (
        HouseholdMember.objects.filter(household=household, person_id=person_id)
        .select_related("person")
        .first()
    )
    if new is None:
        raise ValidationError({"person": _("The new payee must be a member of the household.")})
    if means.dead_by(new, effective_month) or new.person.death_date is not None:
        raise ValidationError({"person": _("The new payee must be living.")})
    current = (
        Entitlement.objects.filter(household=household, program=Program.DIBAO)
        .exclude(status=Entitlement.Status.STOPPED)
        .first()
    )
    if current is not None and current.person_id == person_id:
        raise ValidationError({"person": _("This member is already the payee.")})
    _set_head(actor, household, new)
    if current is None:
        return None
    coverage = current.basis.get("coverage") or Application.Coverage.HOUSEHOLD
    if coverage != Application.Coverage.HOUSEHOLD:
        raise ValidationError(
            _("Single-person coverage is the covered member's own: it is not paid to another.")
        )
    entitlement_stop(
        actor=actor,
        entitlement=current,
        effective_month=effective_month,
        reason=_("New payee %(name)s: %(reason)s") % {"name": new.person.name, "reason": reason},
    )
    household.refresh_from_db()
    if calc.computable(Program.DIBAO, current.basis):
        found = means.household_means(household, effective_month)
        computed = calc.dibao_for(household, new, found, effective_month)
    else:  # an amount set by hand (no inputs to recompute from) continues as it was
        computed = calc.Computed(
            amount=current.monthly_amount,
            standard=current.standard,  # type: ignore[arg-type]
            basis={**current.basis, "manual": True},
        )
    if computed.amount <= 0:
        return None
    computed.basis["continues"] = current.pk
    computed.basis["application_id"] = current.application_id
    return entitlement_create(
        actor=actor,
        application=current.application,
        program=Program.DIBAO,
        person_id=new.person_id,
        household=household,
        start_month=effective_month,
        computed=computed,
    )


def dibao_continues_after_death(
    *, actor: Any, entitlement: Entitlement, effective_month: datetime.date, reason: str
) -> bool:
    """For a confirmed death of the person a household dibao is paid to: give the household
    a new payee instead of stopping it. False when it is not such a case (stop it)."""
    person = entitlement.person
    if (
        entitlement.program != Program.DIBAO
        or entitlement.household_id is None
        or person.death_date is None
        or (entitlement.basis.get("coverage") or "household") != Application.Coverage.HOUSEHOLD
    ):
        return False
    household = entitlement.household
    assert household is not None
    month = max(effective_month, add_months(first_of_month(person.death_date), 1))
    successor = next_head(household, month)
    if successor is None:
        return False
    # whoever may stop the benefit (a cross-check's confirmation) may continue it so
    policy.require(actor, "entitlement.manage", entitlement)
    _change_payee(
        actor=actor,
        household=household,
        person_id=successor.person_id,
        effective_month=effective_month,
        reason=reason[:200],
    )
    return True


@transaction.atomic
def entitlement_set_payee(
    *,
    actor: Any,
    entitlement: Entitlement,
    payee_name: str = "",
    payee_bank_name: str = "",
    payee_account: str = "",
    caregiver_id: int | None = None,
    caregiver_from: datetime.date | None = None,
    caregiver_to: datetime.date | None = None,
) -> Entitlement:
    """Extreme-poverty support: centralised, paid to the care home (its name and account);
    dispersed, its care amount to the contracted caregiver (a person on file) in the months
    of the care agreement (relief/payroll.py splits those months).

    Months already in a payroll keep how they were split: the agreement's months may change
    only after them (end an agreement with its last month; a new caregiver takes over the
    months not yet approved)."""
    policy.require(actor, "entitlement.manage", entitlement)
    if entitlement.program != Program.EXTREME_POVERTY:
        raise ValidationError(_("Only extreme-poverty support has a care home or caregiver."))
    mode = entitlement.basis.get("support_mode")
    errors: dict[str, str] = {}
    if mode == Application.SupportMode.CENTRALISED:
        payee_name = clean_text(payee_name, "payee_name", required=True, max_length=100)
        payee_bank_name = clean_text(payee_bank_name, "payee_bank_name", max_length=100)
        account = compact_account(payee_account)
        if not account:
            errors["payee_account"] = _("Give the care home's account.")
        if errors:
            raise ValidationError(errors)
        entitlement.payee_name = payee_name
        entitlement.payee_bank_name = payee_bank_name
        entitlement.payee_account = account
        entitlement.caregiver = None
        entitlement.caregiver_from = entitlement.caregiver_to = None
    else:
        if caregiver_id is None:
            raise ValidationError({"caregiver": _("Choose the contracted caregiver.")})
        if caregiver_id == entitlement.person_id:
            raise ValidationError({"caregiver": _("The caregiver is someone else.")})
        caregiver = policy.scope(actor, Person.objects.filter(pk=caregiver_id)).first()
        if caregiver is None:
            raise ValidationError(
                {"caregiver": _("No one with this ID number is on file in your areas.")}
            )
        # a dead caregiver's own agreement may still be ended with its last month
        if caregiver.death_date is not None and caregiver_id != entitlement.caregiver_id:
            raise ValidationError(
                {"caregiver": _("This person's death is on file: choose another caregiver.")}
            )
        if caregiver_from is None:
            raise ValidationError({"caregiver_from": _("Give the agreement's first month.")})
        caregiver_from = first_of_month(caregiver_from)
        caregiver_to = first_of_month(caregiver_to) if caregiver_to else None
        if caregiver_to is not None and caregiver_to < caregiver_from:
            raise ValidationError(
                {"caregiver_to": _("The last month cannot be before the first month.")}
            )
        if caregiver_from < entitlement.start_month:
            raise ValidationError(
                {
                    "caregiver_from": _(
                        "The agreement cannot start before the support's first month (%(month)s)."
                    )
                    % {"month": f"{entitlement.start_month:%Y-%m}"}
                }
            )
        _keep_paid_months(entitlement, caregiver_from, caregiver_to)
        entitlement.caregiver_id = caregiver_id
        entitlement.caregiver_from = caregiver_from
        entitlement.caregiver_to = caregiver_to
        entitlement.payee_name = ""
        entitlement.payee_bank_name = ""
        entitlement.payee_account = ""
    entitlement._history_user = actor  # type: ignore[attr-defined]
    entitlement.save()
    return entitlement


def _in_agreement(
    month: datetime.date, first: datetime.date | None, last: datetime.date | None
) -> bool:
    return first is not None and first <= month and (last is None or month <= last)


def _keep_paid_months(
    entitlement: Entitlement, first: datetime.date, last: datetime.date | None
) -> None:
    """Refuse an agreement that would split a month already in a payroll differently."""
    paid = months_in_payrolls(
        person_id=entitlement.person_id,
        source_id=entitlement.pk,
        programs=with_parts([Program.EXTREME_POVERTY.value]),
    )
    before = entitlement.caregiver_from if entitlement.caregiver_id else None
    before_last = entitlement.caregiver_to
    died = entitlement.caregiver.death_date if entitlement.caregiver else None
    if died is not None:  # the agreement ended with its caregiver's death (relief/payroll.py)
        died_month = first_of_month(died)
        before_last = died_month if before_last is None else min(before_last, died_month)
    changed = sorted(
        month
        for month in paid
        if _in_agreement(month, before, before_last) != _in_agreement(month, first, last)
    )
    if changed:
        raise ValidationError(
            _(
                "%(month)s is already in a payroll, split as the agreement was: change the "
                "agreement's months only after the months paid."
            )
            % {"month": f"{changed[0]:%Y-%m}"}
        )
