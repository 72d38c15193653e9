"""The old-age allowance: enrolment with its first month, stop, suspend, resume.

The tiers are standards (eldercare/standards.py): a tier starts in the month a person reaches
its age — the birthday month, or the month after, as `old_age_tier_start` says — and pays its
amount from then. `tier_in` computes the tier of one month the way the payroll provider
(payroll.py) does for everyone at once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import notes
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text
from civil_affairs.people.models import Person
from civil_affairs.standards import selectors as standards

from ..models import OldAgeAllowance
from ..standards import TIERS, Kind

Status = OldAgeAllowance.Status
NOTE_FROM = notes.register("eldercare.from_month", gettext_lazy("From %(month)s: %(reason)s"))


@dataclass(frozen=True)
class Tier:
    variant: str  # "80", "90", "100"
    age: int
    starts: datetime.date  # the first month of the tier for this person
    amount: Decimal | None  # the monthly amount in force, None when no row is set


def tiers_of(person: Person, area: Area, month: datetime.date) -> list[Tier]:
    """The tiers the standards in force in `month` set, youngest first, with the month each
    starts for this person."""
    start = standards.find(Kind.TIER_START, area=area, month=month)
    offset = int(start.value) if start is not None else 0
    found = []
    for variant in TIERS:
        row = standards.find(Kind.TIER_AGE, area=area, month=month, variant=variant)
        if row is None:
            continue
        age = int(row.value)
        born = person.birth_date
        starts = add_months(datetime.date(born.year + age, born.month, 1), offset)
        amount = standards.find(Kind.ALLOWANCE, area=area, month=month, variant=variant)
        found.append(Tier(variant, age, starts, amount.value if amount is not None else None))
    return sorted(found, key=lambda t: t.age)


def tier_in(person: Person, area: Area, month: datetime.date) -> Tier | None:
    """The person's tier in `month` (the oldest one reached), or None."""
    reached = [t for t in tiers_of(person, area, month) if t.starts <= month]
    return reached[-1] if reached else None


def first_month_of(person: Person, area: Area, applied_on: datetime.date) -> datetime.date:
    """The first month an allowance applied for on `applied_on` pays: the month the youngest
    tier starts, or the month of the application if later (no back pay before applying)."""
    month = first_of_month(applied_on)
    tiers = tiers_of(person, area, month)
    if not tiers:
        raise ValidationError(
            _(
                "No old-age allowance tiers are set for %(area)s in %(month)s: an "
                "administrator must add them first."
            )
            % {"area": area.name, "month": f"{month:%Y-%m}"},
            code="no_standard",
        )
    youngest = tiers[0]
    birthday_month = datetime.date(
        person.birth_date.year + youngest.age, person.birth_date.month, 1
    )
    if month < birthday_month:
        raise ValidationError(
            {
                "id_number": _("Reaches %(age)d in %(month)s: enrol from that month.")
                % {"age": youngest.age, "month": f"{birthday_month:%Y-%m}"}
            }
        )
    return max(month, youngest.starts)


@transaction.atomic
def allowance_enrol(
    *, actor: Any, person: Person, applied_on: datetime.date | None = None
) -> OldAgeAllowance:
    """Enrol a registered resident (paid where the person is registered)."""
    policy.require(actor, "allowance.enrol", person)
    applied_on = applied_on or timezone.localdate()
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("This date is in the future.")})
    if person.death_date is not None:
        raise ValidationError({"id_number": _("This person has died.")})
    if OldAgeAllowance.objects.filter(person=person).exclude(status=Status.STOPPED).exists():
        raise ValidationError({"id_number": _("This person is already enrolled.")})
    allowance = OldAgeAllowance(
        person=person,
        area=person.area,
        applied_on=applied_on,
        first_month=first_month_of(person, person.area, applied_on),
    )
    allowance._history_user = actor  # type: ignore[attr-defined]
    allowance.full_clean()
    allowance.save()
    first_status(allowance, actor=actor)
    return allowance


def _reason(reason: str) -> str:
    return clean_text(reason, "reason", required=True, max_length=300)


def _locked(allowance: OldAgeAllowance) -> OldAgeAllowance:
    return OldAgeAllowance.objects.select_for_update().get(pk=allowance.pk)


@transaction.atomic
def allowance_stop(
    *, actor: Any, allowance: OldAgeAllowance, effective_month: datetime.date, reason: str
) -> OldAgeAllowance:
    """Nothing is paid from `effective_month` on (a death, a move away)."""
    policy.require(actor, "allowance.manage", allowance)
    reason = _reason(reason)
    allowance = _locked(allowance)
    effective_month = first_of_month(effective_month)
    last = add_months(effective_month, -1)
    if allowance.end_month is None or allowance.end_month > last:
        allowance.end_month = last
    allowance.status_reason = reason
    allowance._history_user = actor  # type: ignore[attr-defined]
    transition(
        allowance,
        Status.STOPPED,
        actor=actor,
        note_code=NOTE_FROM,
        note_params={"month": f"{effective_month:%Y-%m}", "reason": reason},
    )
    return allowance


@transaction.atomic
def allowance_suspend(
    *, actor: Any, allowance: OldAgeAllowance, effective_month: datetime.date, reason: str
) -> OldAgeAllowance:
    """Nothing is paid from `effective_month` on until it is resumed."""
    policy.require(actor, "allowance.manage", allowance)
    reason = _reason(reason)
    allowance = _locked(allowance)
    effective_month = first_of_month(effective_month)
    allowance.suspended_from = effective_month
    allowance.status_reason = reason
    allowance._history_user = actor  # type: ignore[attr-defined]
    transition(
        allowance,
        Status.SUSPENDED,
        actor=actor,
        note_code=NOTE_FROM,
        note_params={"month": f"{effective_month:%Y-%m}", "reason": reason},
    )
    return allowance


@transaction.atomic
def allowance_resume(*, actor: Any, allowance: OldAgeAllowance, reason: str) -> OldAgeAllowance:
    """Pay again, the suspended months included (the payroll pays them as arrears)."""
    policy.require(actor, "allowance.manage", allowance)
    reason = _reason(reason)
    allowance = _locked(allowance)
    allowance.suspended_from = None
    allowance.status_reason = reason
    allowance._history_user = actor  # type: ignore[attr-defined]
    transition(allowance, Status.ACTIVE, actor=actor, note=reason)
    return allowance
