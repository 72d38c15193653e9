"""Low-income monitoring (低收入人口动态监测, issue 10 item 8).

Low-income edge households (低保边缘) and households with heavy necessary expenses (刚性支出
困难) are registered and watched. Each month a job (relief.monitoring_check, a
django-celery-beat task) computes each watched household's income per member — less its
necessary expenses per member for a heavy-expense household — from the means on file, and
lists those below the dibao standard for a caseworker to act on (an alert per household and
month, never two).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.core.money import ZERO, to_yuan
from civil_affairs.core.months import first_of_month
from civil_affairs.core.validators import clean_text
from civil_affairs.standards import selectors as standards

from .. import means
from ..models import Household, MonitoredHousehold, MonitoringAlert
from ..standards import Kind


@transaction.atomic
def monitoring_register(
    *,
    actor: Any,
    household: Household,
    kind: str,
    monthly_expenses: Any = 0,
    note: str = "",
    registered_on: datetime.date | None = None,
) -> MonitoredHousehold:
    """Register a household for monitoring (once per kind while it is watched)."""
    policy.require(actor, "monitoring.manage", household)
    errors: dict[str, str] = {}
    if kind not in MonitoredHousehold.Kind.values:
        errors["kind"] = _("Choose edge household or heavy necessary expenses.")
    try:
        expenses = to_yuan(monthly_expenses or 0)
    except (ArithmeticError, TypeError, ValueError):
        errors["monthly_expenses"] = _("Give an amount in yuan.")
        expenses = ZERO
    if expenses < 0:
        errors["monthly_expenses"] = _("Expenses cannot be negative.")
    if kind == MonitoredHousehold.Kind.HEAVY_EXPENSE and expenses <= 0 and not errors:
        errors["monthly_expenses"] = _("Give the necessary expenses each month.")
    try:
        note = clean_text(note, "note", max_length=300)
    except ValidationError as exc:
        errors["note"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    if MonitoredHousehold.objects.filter(
        household=household, kind=kind, ended_on__isnull=True
    ).exists():
        raise ValidationError({"kind": _("This household is already watched for this.")})
    row = MonitoredHousehold(
        household=household,
        kind=kind,
        monthly_expenses=expenses,
        note=note,
        registered_on=registered_on or timezone.localdate(),
        registered_by=actor,
    )
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    return row


@transaction.atomic
def monitoring_end(
    *, actor: Any, monitored: MonitoredHousehold, on: datetime.date | None = None
) -> MonitoredHousehold:
    policy.require(actor, "monitoring.manage", monitored)
    monitored.ended_on = on or timezone.localdate()
    monitored._history_user = actor  # type: ignore[attr-defined]
    monitored.save()
    return monitored


def watched_income(monitored: MonitoredHousehold, month: datetime.date) -> Decimal:
    """Income per member in `month`, less the necessary expenses per member."""
    found = means.household_means(monitored.household, month)
    income = found.income_per_member
    if monitored.kind == MonitoredHousehold.Kind.HEAVY_EXPENSE and found.size:
        income -= monitored.monthly_expenses / found.size
    return income


def monitoring_check_month(*, month: datetime.date | None = None) -> int:
    """The monthly job: an alert for each watched household below the dibao standard in
    `month` (default this month). Returns how many alerts are new."""
    month = first_of_month(month or timezone.localdate())
    new = 0
    watched = (
        MonitoredHousehold.objects.filter(registered_on__lt=_next(month))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=month))
        .select_related("household__area")
    )
    for monitored in watched:
        household = monitored.household
        row = standards.find(
            Kind.DIBAO, area=household.area, month=month, variant=household.registered_type
        )
        if row is None:
            continue
        income = watched_income(monitored, month)
        if income >= row.value:
            continue
        try:
            with transaction.atomic():
                MonitoringAlert.objects.create(
                    monitored=monitored,
                    month=month,
                    income_per_member=to_yuan(income),
                    standard=row.value,
                )
        except IntegrityError:  # listed already this month
            continue
        new += 1
    return new


def _next(month: datetime.date) -> datetime.date:
    from civil_affairs.core.months import add_months

    return add_months(month, 1)


@transaction.atomic
def monitoring_act(*, actor: Any, alert: MonitoringAlert, note: str) -> MonitoringAlert:
    """The caseworker records what was done (an application started, a visit, nothing
    needed and why)."""
    policy.require(actor, "monitoring.manage", alert)
    alert.action_note = clean_text(note, "note", required=True, max_length=300)
    alert.status = MonitoringAlert.Status.DONE
    alert.done_by = actor
    alert._history_user = actor  # type: ignore[attr-defined]
    alert.save()
    return alert
