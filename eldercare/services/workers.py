"""Care workers of institutions and home-care centres, and their training."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.core.validators import clean_text, not_future

from ..models import CareWorker, HomeCareCentre, Institution, Training
from .common import person_for, save


@transaction.atomic
def careworker_create(
    *,
    actor: Any,
    id_number: str,
    name: str,
    employed_from: datetime.date,
    institution: Institution | None = None,
    centre: HomeCareCentre | None = None,
    skill_level: int | None = None,
    certificate_number: str = "",
    certified_on: datetime.date | None = None,
) -> CareWorker:
    employer: Any = institution or centre
    if employer is None or (institution is not None and centre is not None):
        raise ValidationError({"institution": _("Give the institution or the centre.")})
    policy.require(actor, "careworker.manage", employer)
    not_future(employed_from, "employed_from", required=False)
    certificate_number = clean_text(certificate_number, "certificate_number", max_length=50)
    if certificate_number and certified_on is None:
        raise ValidationError({"certified_on": _("Give the date of the certificate.")})
    if skill_level is not None and skill_level not in CareWorker.SkillLevel.values:
        raise ValidationError({"skill_level": _("A skill level is 1 to 5.")})
    not_future(certified_on, "certified_on", required=False)
    person = person_for(
        actor=actor,
        id_number=id_number,
        name=name,
        area=employer.area,
        action="careworker.manage",
    )
    if CareWorker.objects.filter(
        person=person, institution=institution, centre=centre, employed_until__isnull=True
    ).exists():
        raise ValidationError({"id_number": _("Already a care worker of this employer.")})
    worker = CareWorker(
        person=person,
        institution=institution,
        centre=centre,
        area=employer.area,
        skill_level=skill_level,
        certificate_number=certificate_number,
        certified_on=certified_on if certificate_number else None,
        employed_from=employed_from,
    )
    save(worker, actor)
    return worker


@transaction.atomic
def careworker_leave(*, actor: Any, worker: CareWorker, on: datetime.date) -> CareWorker:
    policy.require(actor, "careworker.manage", worker)
    if on < worker.employed_from:
        raise ValidationError({"on": _("This date is before the employment began.")})
    worker.employed_until = on
    save(worker, actor)
    return worker


@transaction.atomic
def training_record(
    *, actor: Any, worker: CareWorker, course: str, attended_on: datetime.date, hours: int
) -> Training:
    policy.require(actor, "careworker.manage", worker)
    not_future(attended_on, "attended_on", required=False)
    if hours <= 0:
        raise ValidationError({"hours": _("Give the hours of training.")})
    training = Training(
        worker=worker,
        course=clean_text(course, "course", required=True, max_length=100),
        attended_on=attended_on,
        hours=hours,
    )
    save(training, actor)
    return training
