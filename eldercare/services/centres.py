"""Home-care service centres: planned → under construction → built → operating."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text, not_future

from ..models import HomeCareCentre
from .common import locked, save

Status = HomeCareCentre.Status
EDITABLE = ("name", "operator", "services", "meal_service")


@transaction.atomic
def centre_create(
    *,
    actor: Any,
    area: Area,
    name: str,
    planned_on: datetime.date,
    operator: str = "",
    services: str = "",
    meal_service: bool = False,
) -> HomeCareCentre:
    policy.require_area_choice(actor, "centre.manage", area)
    if area.level == area.Level.COUNTY:
        raise ValidationError({"area": _("A centre serves a township or a community.")})
    centre = HomeCareCentre(
        area=area,
        name=clean_text(name, "name", required=True, max_length=100),
        operator=clean_text(operator, "operator", max_length=100),
        services=clean_text(services, "services", max_length=300),
        meal_service=meal_service,
        planned_on=planned_on,
    )
    save(centre, actor)
    first_status(centre, actor=actor)
    return centre


@transaction.atomic
def centre_update(*, actor: Any, centre: HomeCareCentre, **changes: Any) -> HomeCareCentre:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    policy.require(actor, "centre.manage", centre)
    for field, value in changes.items():
        if field == "meal_service":
            centre.meal_service = bool(value)
        else:
            setattr(
                centre, field, clean_text(value, field, required=field == "name", max_length=300)
            )
    save(centre, actor)
    return centre


@transaction.atomic
def centre_advance(
    *, actor: Any, centre: HomeCareCentre, status: str, on: datetime.date, operator: str = ""
) -> HomeCareCentre:
    """Move a centre to its next stage on a date (no earlier than the stage before)."""
    policy.require(actor, "centre.manage", centre)
    centre = locked(centre)
    not_future(on, "on", required=False)
    previous = getattr(centre, HomeCareCentre.STATUS_DATES[Status(centre.status)])
    if previous is not None and on < previous:
        raise ValidationError({"on": _("This date is before the previous stage's date.")})
    operator = clean_text(operator, "operator", max_length=100)
    if status == Status.OPERATING:
        if operator:
            centre.operator = operator
        if not centre.operator:
            raise ValidationError({"operator": _("Name the operator of an operating centre.")})
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a stage.")})
    setattr(centre, HomeCareCentre.STATUS_DATES[Status(status)], on)
    centre._history_user = actor  # type: ignore[attr-defined]
    transition(centre, status, actor=actor, note=f"{on:%Y-%m-%d}")
    return centre
