"""Aging-friendly home modification: apply → assess → works → acceptance.

Who qualifies is decided on facts other apps state (civil_affairs/benefits.py), never by
importing them: an elder in special hardship (dispersed extreme-poverty support, dibao, or a
low-income edge household) who is very old (the `modification_age` standard), disabled
(receives a disability subsidy) or dependent (assessed as losing ability)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs import benefits
from civil_affairs.areas import policy
from civil_affairs.core.money import ZERO, to_yuan
from civil_affairs.core.months import first_of_month
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text, not_future
from civil_affairs.people.models import Person
from civil_affairs.standards import selectors as standards

from ..models import Modification, ModificationItem, ModificationLine
from ..standards import Kind
from .common import locked, save

Status = Modification.Status
HARDSHIP = (
    benefits.EXTREME_POVERTY_DISPERSED,
    benefits.DIBAO,
    benefits.DIBAO_HOUSEHOLD,
    benefits.EDGE_HOUSEHOLD,
)
DISABILITY = (benefits.DISABILITY_LIVING, benefits.DISABILITY_CARE)


def eligibility(*, person: Person, applied_on: datetime.date, dependent: bool) -> dict[str, Any]:
    """The facts a modification is granted on, or a ValidationError saying what is missing."""
    month = first_of_month(applied_on)
    facts = benefits.facts([person.pk], month).get(person.pk, set())
    hardship = sorted(f for f in HARDSHIP if f in facts)
    if not hardship:
        raise ValidationError(
            {
                "id_number": _(
                    "Only elders in special hardship qualify (dispersed extreme-poverty "
                    "support, dibao or a low-income edge household): none is on file for "
                    "this person in %(month)s."
                )
                % {"month": f"{month:%Y-%m}"}
            }
        )
    age = person.age_on(applied_on)
    very_old_at = int(standards.get(Kind.MODIFICATION_AGE, area=person.area, month=month).value)
    disability = sorted(f for f in DISABILITY if f in facts)
    if age < very_old_at and not disability and not dependent:
        raise ValidationError(
            {
                "dependent": _("Under %(age)d, an elder qualifies only if disabled or dependent.")
                % {"age": very_old_at}
            }
        )
    return {
        "hardship": hardship,
        "age": age,
        "very_old_at": very_old_at,
        "disability": disability,
        "dependent": dependent,
    }


@transaction.atomic
def modification_apply(
    *,
    actor: Any,
    person: Person,
    address: str,
    applied_on: datetime.date,
    dependent: bool = False,
) -> Modification:
    policy.require(actor, "modification.apply", person)
    not_future(applied_on, "applied_on", required=False)
    if person.death_date is not None:
        raise ValidationError({"id_number": _("This person has died.")})
    if Modification.objects.filter(person=person).exclude(status=Status.REFUSED).exists():
        raise ValidationError({"id_number": _("This home already has a modification on file.")})
    modification = Modification(
        person=person,
        area=person.area,
        address=clean_text(address, "address", required=True, max_length=200),
        dependent=dependent,
        applied_on=applied_on,
        eligibility=eligibility(person=person, applied_on=applied_on, dependent=dependent),
    )
    save(modification, actor)
    first_status(modification, actor=actor)
    return modification


@transaction.atomic
def modification_assess(
    *,
    actor: Any,
    modification: Modification,
    assessed_on: datetime.date,
    lines: Sequence[tuple[ModificationItem, Decimal]],
) -> Modification:
    """The items to fit and their costs: at least one, from the active lists, in total at
    most the cap per household in force in the month of the assessment."""
    policy.require(actor, "modification.manage", modification)
    modification = locked(modification)
    not_future(assessed_on, "assessed_on", required=False)
    if assessed_on < modification.applied_on:
        raise ValidationError({"assessed_on": _("The assessment comes after the application.")})
    if not lines:
        raise ValidationError({"items": _("Choose at least one item.")})
    seen: set[int] = set()
    total = ZERO
    for item, cost in lines:
        if not item.active:
            raise ValidationError({"items": _("%(item)s is no longer listed.") % {"item": item}})
        if item.pk in seen:
            raise ValidationError({"items": _("%(item)s is listed twice.") % {"item": item}})
        if cost is None or cost <= 0:
            raise ValidationError({"items": _("Give the cost of %(item)s.") % {"item": item}})
        seen.add(item.pk)
        total += to_yuan(cost)
    cap = standards.get(
        Kind.MODIFICATION_CAP, area=modification.area, month=first_of_month(assessed_on)
    ).value
    if total > cap:
        raise ValidationError(
            {
                "items": _("The items cost %(total)s yuan: the cap per household is %(cap)s.")
                % {"total": total, "cap": cap}
            }
        )
    modification.lines.all().delete()
    for item, cost in lines:
        line = ModificationLine(modification=modification, item=item, cost=to_yuan(cost))
        save(line, actor)
    modification.assessed_on = assessed_on
    modification.total_cost = total
    modification._history_user = actor  # type: ignore[attr-defined]
    transition(modification, Status.ASSESSED, actor=actor, note=f"{total}")
    return modification


@transaction.atomic
def modification_start_works(
    *, actor: Any, modification: Modification, started_on: datetime.date, contractor: str
) -> Modification:
    policy.require(actor, "modification.manage", modification)
    modification = locked(modification)
    not_future(started_on, "started_on", required=False)
    if modification.assessed_on and started_on < modification.assessed_on:
        raise ValidationError({"started_on": _("Works start after the assessment.")})
    modification.works_started_on = started_on
    modification.contractor = clean_text(contractor, "contractor", required=True, max_length=100)
    modification._history_user = actor  # type: ignore[attr-defined]
    transition(modification, Status.WORKS, actor=actor)
    return modification


@transaction.atomic
def modification_accept(
    *, actor: Any, modification: Modification, accepted_on: datetime.date, notes: str = ""
) -> Modification:
    """The acceptance check (验收): the modification counts as completed from this date."""
    policy.require(actor, "modification.accept", modification)
    modification = locked(modification)
    not_future(accepted_on, "accepted_on", required=False)
    if modification.works_started_on and accepted_on < modification.works_started_on:
        raise ValidationError({"accepted_on": _("Acceptance comes after the works started.")})
    modification.accepted_on = accepted_on
    modification.acceptance_notes = clean_text(notes, "notes", max_length=300)
    modification._history_user = actor  # type: ignore[attr-defined]
    transition(modification, Status.ACCEPTED, actor=actor, note=modification.acceptance_notes)
    return modification


@transaction.atomic
def modification_refuse(*, actor: Any, modification: Modification, reason: str) -> Modification:
    policy.require(actor, "modification.manage", modification)
    modification = locked(modification)
    reason = clean_text(reason, "reason", required=True, max_length=300)
    modification._history_user = actor  # type: ignore[attr-defined]
    transition(modification, Status.REFUSED, actor=actor, note=reason)
    return modification
