"""Homeless and beggar relief, and charity medical aid for dibao patients."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import first_of_month
from civil_affairs.core.status import transition
from civil_affairs.core.validators import clean_text, not_future
from civil_affairs.people.models import Person

from .. import calc, rules
from ..models import HomelessCase, HomelessService, HouseholdMember, MedicalAid, PatrolZone


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = to_yuan(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


@transaction.atomic
def patrol_zone_create(*, actor: Any, area: Area, name: str, description: str = "") -> PatrolZone:
    policy.require(actor, "homeless.manage", area=area)
    zone = PatrolZone(
        area=area,
        name=clean_text(name, "name", required=True),
        description=clean_text(description, "description"),
    )
    zone._history_user = actor  # type: ignore[attr-defined]
    zone.save()
    return zone


@transaction.atomic
def patrol_zone_update(*, actor: Any, zone: PatrolZone, **changes: Any) -> PatrolZone:
    unknown = set(changes) - {"name", "description", "active"}
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    policy.require(actor, "homeless.manage", zone)
    if "name" in changes:
        changes["name"] = clean_text(changes["name"], "name", required=True)
    if "description" in changes:
        changes["description"] = clean_text(changes["description"], "description")
    for field, value in changes.items():
        setattr(zone, field, value)
    zone._history_user = actor  # type: ignore[attr-defined]
    zone.save()
    return zone


@transaction.atomic
def homeless_intake(
    *,
    actor: Any,
    area: Area,
    name: str,
    found_on: datetime.date,
    found_place: str = "",
    zone: PatrolZone | None = None,
    person: Person | None = None,
) -> HomelessCase:
    """Take a person into the relief station."""
    policy.require(actor, "homeless.manage", area=area)
    not_future(found_on, "found_on")
    if zone is not None and not policy.may(actor, "homeless.manage", zone):
        raise ValidationError({"zone": _("This patrol zone is not one of yours.")})
    case = HomelessCase(
        area=area,
        zone=zone,
        person=person,
        name=clean_text(name, "name", required=True),
        found_on=found_on,
        found_place=clean_text(found_place, "found_place"),
    )
    case._history_user = actor  # type: ignore[attr-defined]
    case.save()
    return case


@transaction.atomic
def homeless_give_service(
    *,
    actor: Any,
    case: HomelessCase,
    kind: str,
    given_on: datetime.date,
    cost: Any = 0,
    note: str = "",
) -> HomelessService:
    policy.require(actor, "homeless.manage", case)
    if case.status not in HomelessCase.OPEN:
        raise ValidationError(_("The person has left the station."))
    if kind not in HomelessService.Kind.values:
        raise ValidationError({"kind": _("Choose the service.")})
    not_future(given_on, "given_on")
    if given_on < case.found_on:
        raise ValidationError({"given_on": _("The service cannot be before the intake.")})
    service = HomelessService(
        case=case,
        kind=kind,
        given_on=given_on,
        cost=_money(cost, "cost"),
        note=clean_text(note, "note"),
    )
    service._history_user = actor  # type: ignore[attr-defined]
    service.save()
    if service.cost > 0:  # what the station spends leaves the fund: one ledger entry
        rules.pay_one_off(
            actor=actor,
            program=rules.ONE_OFF_HOMELESS,
            person=case.person,
            area=case.area,
            amount=service.cost,
            source=f"relief.homelessservice:{service.pk}",
            note=str(service.get_kind_display()),
            day=given_on,
        )
    return service


@transaction.atomic
def homeless_close(
    *,
    actor: Any,
    case: HomelessCase,
    outcome: str,
    on: datetime.date,
    destination: str = "",
) -> HomelessCase:
    """Returned home, placed, long-stay resident, or left on their own."""
    policy.require(actor, "homeless.manage", case)
    not_future(on, "on")
    destination = clean_text(destination, "destination")
    if outcome in (HomelessCase.Status.RETURNED, HomelessCase.Status.PLACED) and not destination:
        raise ValidationError(
            {"destination": _("Give the home address or the institution placed in.")}
        )
    if outcome != HomelessCase.Status.LONG_STAY:
        case.closed_on = on
    case.destination = destination
    case._history_user = actor  # type: ignore[attr-defined]
    transition(case, outcome, actor=actor, note=destination)
    return case


@transaction.atomic
def medical_aid_record(
    *,
    actor: Any,
    person: Person,
    hospital: str,
    treated_on: datetime.date,
    total_cost: Any,
    insurance_paid: Any,
    aid_amount: Any,
) -> MedicalAid:
    """One person-time of charity medical aid, for a member of a household in dibao."""
    membership = (
        HouseholdMember.objects.filter(person=person).select_related("household__area").first()
    )
    if membership is None:
        policy.require(actor, "medical_aid.record", person)
        raise ValidationError({"person": _("The patient is in no household on file.")})
    household = membership.household
    policy.require(actor, "medical_aid.record", household)
    not_future(treated_on, "treated_on")
    total = _money(total_cost, "total_cost")
    insurance = _money(insurance_paid, "insurance_paid")
    aid = _money(aid_amount, "aid_amount")
    if insurance > total:
        raise ValidationError({"insurance_paid": _("Insurance cannot pay more than the cost.")})
    if aid <= 0 or aid > total - insurance:
        raise ValidationError(
            {
                "aid_amount": _("The aid is above zero and at most what insurance left: %(x)s.")
                % {"x": total - insurance}
            }
        )
    if not calc.household_in_dibao(household, first_of_month(treated_on)):
        raise ValidationError(
            {"person": _("Charity medical aid is for members of households receiving dibao.")}
        )
    aid_row = MedicalAid(
        person=person,
        household=household,
        hospital=clean_text(hospital, "hospital", required=True),
        treated_on=treated_on,
        total_cost=total,
        insurance_paid=insurance,
        aid_amount=aid,
        recorded_by=actor,
    )
    aid_row._history_user = actor  # type: ignore[attr-defined]
    aid_row.save()
    rules.pay_one_off(
        actor=actor,
        program=rules.ONE_OFF_MEDICAL_AID,
        person=person,
        area=household.area,
        amount=aid,
        source=f"relief.medicalaid:{aid_row.pk}",
        note=aid_row.hospital,
        day=treated_on,
    )
    return aid_row
