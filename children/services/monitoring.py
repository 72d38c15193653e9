"""Child directors and supervisors, their training, visits and the follow-ups of high risk."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text, not_future

from ..models import Appointment, Child, FollowUp, Risk, Training, Visit
from ..standards import Kind
from ._common import require_level, save, standard_int


@transaction.atomic
def appointment_create(
    *,
    actor: Any,
    post: str,
    area: Area,
    name: str,
    appointed_on: datetime.date,
    phone: str = "",
    user: Any = None,
) -> Appointment:
    """Appoint a child director to a village or community, or a supervisor to a township."""
    if post not in Appointment.Post.values:
        raise ValidationError({"post": _("Choose the post.")})
    policy.require_area_choice(actor, "child_staff.manage", area)
    require_level(area, Appointment.POST_LEVEL[Appointment.Post(post)])
    not_future(appointed_on, "appointed_on")
    appointment = Appointment(
        post=post,
        area=area,
        name=clean_text(name, "name", required=True, max_length=50),
        phone=clean_text(phone, "phone", max_length=20),
        user=user,
        appointed_on=appointed_on,
    )
    save(appointment, actor)
    return appointment


@transaction.atomic
def appointment_end(
    *, actor: Any, appointment: Appointment, ended_on: datetime.date
) -> Appointment:
    policy.require(actor, "child_staff.manage", appointment)
    not_future(ended_on, "ended_on")
    if appointment.ended_on is not None:
        raise ValidationError({"ended_on": _("This appointment has already ended.")})
    if ended_on < appointment.appointed_on:
        raise ValidationError({"ended_on": _("It cannot end before the appointment.")})
    appointment.ended_on = ended_on
    save(appointment, actor)
    return appointment


@transaction.atomic
def training_record(
    *,
    actor: Any,
    appointment: Appointment,
    trained_on: datetime.date,
    topic: str,
    hours: Any,
) -> Training:
    policy.require(actor, "child_staff.manage", appointment)
    not_future(trained_on, "trained_on")
    try:
        hours_value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Enter a number of hours.")}) from None
    if hours_value <= 0 or hours_value > 1000:
        raise ValidationError({"hours": _("Enter a number of hours above zero.")})
    training = Training(
        appointment=appointment,
        trained_on=trained_on,
        topic=clean_text(topic, "topic", required=True, max_length=200),
        hours=hours_value,
    )
    save(training, actor)
    return training


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    child: Child,
    visited_on: datetime.date,
    findings: str,
    risk_level: str,
    referral: str = "",
) -> Visit:
    """A visit to a child. Its risk level becomes the child's; a high risk opens a follow-up
    due within the days the standards give."""
    policy.require(actor, "child_visit.record", child)
    not_future(visited_on, "visited_on")
    if visited_on < child.person.birth_date:
        raise ValidationError({"visited_on": _("The child was not born yet on this date.")})
    if risk_level not in Risk.values:
        raise ValidationError({"risk_level": _("Choose the risk level.")})
    deadline = None
    if risk_level == Risk.HIGH:
        days = standard_int(Kind.FOLLOW_UP_DAYS, area=child.area, day=visited_on)
        deadline = visited_on + datetime.timedelta(days=days)
    visit = Visit(
        child=child,
        visited_on=visited_on,
        visitor=actor,
        findings=clean_text(findings, "findings", required=True, max_length=4000),
        risk_level=risk_level,
        referral=clean_text(referral, "referral", max_length=200),
    )
    save(visit, actor)
    latest = Visit.objects.filter(child=child).order_by("-visited_on", "-id").first()
    if latest is not None and latest.pk == visit.pk and child.risk_level != risk_level:
        child.risk_level = risk_level
        save(child, actor)
    if deadline is not None:
        follow_up = FollowUp(visit=visit, child=child, deadline=deadline)
        save(follow_up, actor)
        first_status(follow_up, actor=actor, note=visit.findings[:200])
    return visit


@transaction.atomic
def follow_up_close(
    *, actor: Any, follow_up: FollowUp, done_on: datetime.date, outcome: str
) -> FollowUp:
    policy.require(actor, "child_followup.close", follow_up)
    not_future(done_on, "done_on")
    if done_on < follow_up.visit.visited_on:
        raise ValidationError({"done_on": _("It cannot be done before the visit.")})
    follow_up.outcome = clean_text(outcome, "outcome", required=True, max_length=4000)
    follow_up.done_on = done_on
    follow_up._history_user = actor  # type: ignore[attr-defined]
    transition(follow_up, FollowUp.Status.DONE, actor=actor, note=follow_up.outcome[:200])
    return follow_up
