"""Institutions, their grades and residents."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import clean_credit_code, clean_text, not_future

from ..models import Grade, Institution, Resident
from .common import person_for, save

INSTITUTION_FIELDS = (
    "name",
    "nature",
    "filing_date",
    "filing_number",
    "beds",
    "nursing_beds",
    "operator",
)


def clean_institution(values: dict[str, Any]) -> dict[str, Any]:
    """Typed, checked values of an institution (the form, the API and the import alike)."""
    out = dict(values)
    if "credit_code" in out:
        try:
            out["credit_code"] = clean_credit_code(str(out["credit_code"] or ""))
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from None
    if "name" in out:
        out["name"] = clean_text(out["name"], "name", required=True, max_length=100)
    for field in ("filing_number", "operator"):
        if field in out:
            out[field] = clean_text(out[field], field, max_length=100)
    if "nature" in out and out["nature"] not in Institution.Nature.values:
        raise ValidationError({"nature": _("Choose public, public-private or private.")})
    not_future(out.get("filing_date"), "filing_date", required=False)
    return out


@transaction.atomic
def institution_create(
    *,
    actor: Any,
    area: Area,
    credit_code: str,
    name: str,
    nature: str,
    beds: int,
    nursing_beds: int = 0,
    filing_date: datetime.date | None = None,
    filing_number: str = "",
    operator: str = "",
) -> Institution:
    policy.require_area_choice(actor, "institution.manage", area)
    values = clean_institution(
        {
            "credit_code": credit_code,
            "name": name,
            "nature": nature,
            "beds": beds,
            "nursing_beds": nursing_beds,
            "filing_date": filing_date,
            "filing_number": filing_number,
            "operator": operator,
        }
    )
    if Institution.objects.filter(credit_code=values["credit_code"]).exists():
        raise ValidationError(
            {"credit_code": _("An institution with this credit code is already on file.")}
        )
    institution = Institution(area=area, **values)
    save(institution, actor)
    return institution


@transaction.atomic
def institution_update(*, actor: Any, institution: Institution, **changes: Any) -> Institution:
    unknown = set(changes) - {*INSTITUTION_FIELDS, "area"}
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    policy.require(actor, "institution.manage", institution)
    if "area" in changes:
        policy.require_area_choice(actor, "institution.manage", changes["area"])
    for field, value in clean_institution(changes).items():
        setattr(institution, field, value)
    save(institution, actor)
    return institution


@transaction.atomic
def grade_record(
    *,
    actor: Any,
    institution: Institution,
    level: int,
    rated_on: datetime.date,
    valid_until: datetime.date,
    evidence: str = "",
) -> Grade:
    policy.require(actor, "institution.manage", institution)
    not_future(rated_on, "rated_on", required=False)
    if valid_until <= rated_on:
        raise ValidationError({"valid_until": _("A grade is valid until after it is rated.")})
    if level not in range(1, 6):
        raise ValidationError({"level": _("A grade is a level from 1 to 5.")})
    grade = Grade(
        institution=institution,
        level=level,
        rated_on=rated_on,
        valid_until=valid_until,
        evidence=clean_text(evidence, "evidence", max_length=300),
    )
    save(grade, actor)
    return grade


@transaction.atomic
def resident_admit(
    *,
    actor: Any,
    institution: Institution,
    id_number: str,
    name: str,
    admitted_on: datetime.date,
    ability_level: int | None = None,
    assessed_on: datetime.date | None = None,
    vaccinated: bool = False,
    vaccinated_on: datetime.date | None = None,
) -> Resident:
    """Admit a person (found by ID number, or registered in the institution's area)."""
    policy.require(actor, "resident.manage", institution)
    not_future(admitted_on, "admitted_on", required=False)
    person = person_for(
        actor=actor, id_number=id_number, name=name, area=institution.area, action="resident.manage"
    )
    if person.death_date is not None:
        raise ValidationError({"id_number": _("This person has died.")})
    current = Resident.objects.filter(person=person, discharged_on__isnull=True).first()
    if current is not None:
        where = (
            current.institution.name
            if policy.may(actor, "eldercare.view", current)
            else _("another institution")
        )
        raise ValidationError(
            {"id_number": _("This person already lives in %(where)s.") % {"where": where}}
        )
    resident = Resident(institution=institution, person=person, admitted_on=admitted_on)
    _set_care(resident, ability_level, assessed_on, vaccinated, vaccinated_on)
    save(resident, actor)
    return resident


def _set_care(
    resident: Resident,
    ability_level: int | None,
    assessed_on: datetime.date | None,
    vaccinated: bool,
    vaccinated_on: datetime.date | None,
) -> None:
    if ability_level is not None and assessed_on is None:
        raise ValidationError({"assessed_on": _("Give the date of the ability assessment.")})
    not_future(assessed_on, "assessed_on", required=False)
    not_future(vaccinated_on, "vaccinated_on", required=False)
    if vaccinated_on is not None and not vaccinated:
        vaccinated = True
    resident.ability_level = ability_level
    resident.assessed_on = assessed_on if ability_level is not None else None
    resident.vaccinated = vaccinated
    resident.vaccinated_on = vaccinated_on if vaccinated else None


@transaction.atomic
def resident_update(
    *,
    actor: Any,
    resident: Resident,
    ability_level: int | None,
    assessed_on: datetime.date | None,
    vaccinated: bool,
    vaccinated_on: datetime.date | None = None,
) -> Resident:
    """Record an ability assessment or a vaccination."""
    policy.require(actor, "resident.manage", resident)
    _set_care(resident, ability_level, assessed_on, vaccinated, vaccinated_on)
    save(resident, actor)
    return resident


@transaction.atomic
def resident_discharge(*, actor: Any, resident: Resident, discharged_on: datetime.date) -> Resident:
    policy.require(actor, "resident.manage", resident)
    if resident.discharged_on is not None:
        raise ValidationError({"discharged_on": _("Already discharged.")})
    not_future(discharged_on, "discharged_on", required=False)
    if discharged_on < resident.admitted_on:
        raise ValidationError({"discharged_on": _("Discharge comes after admission.")})
    resident.discharged_on = discharged_on
    save(resident, actor)
    return resident
