"""Safety inspections, their findings, and the fund-raising screening."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text, not_future

from ..models import (
    Finding,
    FundraisingScreening,
    HomeCareCentre,
    Inspection,
    Institution,
)
from .common import locked, save

# the word a unit's name must carry for the "other units" count of the screening
ELDERCARE_WORD = "养老"


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    institution: Institution,
    kind: str,
    inspected_on: datetime.date,
    inspectors: str,
    notes: str = "",
) -> Inspection:
    policy.require(actor, "inspection.record", institution)
    if kind not in Inspection.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of inspection.")})
    not_future(inspected_on, "inspected_on", required=False)
    inspection = Inspection(
        institution=institution,
        kind=kind,
        inspected_on=inspected_on,
        inspectors=clean_text(inspectors, "inspectors", required=True, max_length=200),
        notes=clean_text(notes, "notes", max_length=2000),
        recorded_by=actor,
    )
    save(inspection, actor)
    return inspection


@transaction.atomic
def finding_add(
    *,
    actor: Any,
    inspection: Inspection,
    description: str,
    severity: str,
    deadline: datetime.date,
) -> Finding:
    policy.require(actor, "inspection.record", inspection)
    if severity not in Finding.Severity.values:
        raise ValidationError({"severity": _("Choose minor or major.")})
    if deadline < inspection.inspected_on:
        raise ValidationError({"deadline": _("The deadline comes after the inspection.")})
    finding = Finding(
        inspection=inspection,
        description=clean_text(description, "description", required=True, max_length=2000),
        severity=severity,
        deadline=deadline,
    )
    save(finding, actor)
    first_status(finding, actor=actor)
    return finding


@transaction.atomic
def finding_close(
    *,
    actor: Any,
    finding: Finding,
    fixed_on: datetime.date,
    evidence: str = "",
    verified: bool = False,
) -> Finding:
    """Close a fixed finding. A major hazard needs the evidence and the actor's verification
    (that they checked it on site or in the documents): without either it stays open."""
    policy.require(actor, "finding.close", finding)
    finding = locked(finding)
    evidence = clean_text(evidence, "evidence", max_length=2000)
    not_future(fixed_on, "fixed_on", required=False)
    if fixed_on < finding.inspection.inspected_on:
        raise ValidationError({"fixed_on": _("A hazard is fixed after it was found.")})
    if finding.severity == Finding.Severity.MAJOR:
        errors = {}
        if not evidence:
            errors["evidence"] = _("A major hazard is closed only with evidence of the fix.")
        if not verified:
            errors["verified"] = _("A major hazard is closed only once you have verified the fix.")
        if errors:
            raise ValidationError(errors)
    finding.fixed_on = fixed_on
    finding.evidence = evidence
    if verified:
        finding.verified_by = actor
        finding.verified_on = timezone.localdate()
    finding._history_user = actor  # type: ignore[attr-defined]
    transition(finding, Finding.Status.CLOSED, actor=actor, note=evidence[:200])
    return finding


@transaction.atomic
def screening_record(
    *,
    actor: Any,
    screened_on: datetime.date,
    result: str,
    institution: Institution | None = None,
    centre: HomeCareCentre | None = None,
    unit_name: str = "",
    area: Area | None = None,
    notes: str = "",
) -> FundraisingScreening:
    """Record one unit screened: an institution, a home-care centre, or another unit whose
    name has 养老 in it (given by name and area)."""
    if institution is not None and centre is not None:
        raise ValidationError(_("Screen one unit at a time."))
    if institution is not None:
        policy.require(actor, "screening.record", institution)
        kind, name, where = (
            FundraisingScreening.UnitKind.INSTITUTION,
            institution.name,
            institution.area,
        )
    elif centre is not None:
        policy.require(actor, "screening.record", centre)
        kind, name, where = FundraisingScreening.UnitKind.CENTRE, centre.name, centre.area
    else:
        name = clean_text(unit_name, "unit_name", required=True, max_length=100)
        if ELDERCARE_WORD not in name:
            raise ValidationError(
                {"unit_name": _("Only units with 养老 in their name are screened here.")}
            )
        if area is None:
            raise ValidationError({"area": _("This field is required.")})
        policy.require_area_choice(actor, "screening.record", area)
        kind, where = FundraisingScreening.UnitKind.OTHER, area
    if result not in FundraisingScreening.Result.values:
        raise ValidationError({"result": _("Choose a result.")})
    not_future(screened_on, "screened_on", required=False)
    screening = FundraisingScreening(
        unit_kind=kind,
        unit_name=name,
        institution=institution,
        centre=centre,
        area=where,
        screened_on=screened_on,
        result=result,
        notes=clean_text(notes, "notes", max_length=300),
    )
    save(screening, actor)
    return screening
