"""Mandatory reports of harm to minors, and care activities."""

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

from ..models import CareActivity, Child, MandatoryReport
from ._common import money, save

ReportStatus = MandatoryReport.Status


@transaction.atomic
def mandatory_report_receive(
    *,
    actor: Any,
    area: Area,
    received_at: datetime.datetime,
    reporter: str,
    child_name: str,
    description: str,
    reporter_unit: str = "",
    child: Child | None = None,
) -> MandatoryReport:
    policy.require_area_choice(actor, "mandatory_report.manage", area)
    if not isinstance(received_at, datetime.datetime):
        raise ValidationError({"received_at": _("Enter a date and time.")})
    if received_at > timezone.now():
        raise ValidationError({"received_at": _("This date cannot be in the future.")})
    if child is not None and not policy.may(actor, "child.view", child):
        raise ValidationError({"child": _("This child is not one of yours.")})
    report = MandatoryReport(
        area=area,
        received_at=received_at,
        reporter=clean_text(reporter, "reporter", required=True, max_length=100),
        reporter_unit=clean_text(reporter_unit, "reporter_unit", max_length=100),
        child_name=clean_text(child_name, "child_name", required=True, max_length=50),
        child=child,
        description=clean_text(description, "description", required=True, max_length=4000),
    )
    save(report, actor)
    first_status(report, actor=actor)
    return report


@transaction.atomic
def mandatory_report_refer(
    *,
    actor: Any,
    report: MandatoryReport,
    referred_to: str,
    referred_on: datetime.date,
    police_case_number: str = "",
) -> MandatoryReport:
    policy.require(actor, "mandatory_report.manage", report)
    not_future(referred_on, "referred_on")
    if referred_on < report.received_at.date():
        raise ValidationError({"referred_on": _("It cannot be referred before it was received.")})
    report.referred_to = clean_text(referred_to, "referred_to", required=True, max_length=100)
    report.referred_on = referred_on
    report.police_case_number = clean_text(police_case_number, "police_case_number", max_length=50)
    report._history_user = actor  # type: ignore[attr-defined]
    transition(report, ReportStatus.REFERRED, actor=actor, note=report.referred_to)
    return report


@transaction.atomic
def mandatory_report_close(*, actor: Any, report: MandatoryReport, outcome: str) -> MandatoryReport:
    policy.require(actor, "mandatory_report.manage", report)
    report.outcome = clean_text(outcome, "outcome", required=True, max_length=4000)
    report._history_user = actor  # type: ignore[attr-defined]
    transition(report, ReportStatus.CLOSED, actor=actor)
    return report


@transaction.atomic
def care_activity_record(
    *,
    actor: Any,
    area: Area,
    held_on: datetime.date,
    theme: str,
    organiser: str = "",
    children_reached: Any = 0,
    funds_raised: Any = 0,
    goods_value: Any = 0,
) -> CareActivity:
    policy.require_area_choice(actor, "care_activity.record", area)
    not_future(held_on, "held_on")
    try:
        reached = int(children_reached or 0)
    except (TypeError, ValueError):
        raise ValidationError({"children_reached": _("Enter a whole number.")}) from None
    if reached < 0:
        raise ValidationError({"children_reached": _("Enter a whole number.")})
    activity = CareActivity(
        area=area,
        held_on=held_on,
        theme=clean_text(theme, "theme", required=True, max_length=200),
        organiser=clean_text(organiser, "organiser", max_length=100),
        children_reached=reached,
        funds_raised=money(funds_raised, "funds_raised"),
        goods_value=money(goods_value, "goods_value"),
    )
    save(activity, actor)
    return activity
