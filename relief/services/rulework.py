"""The county's spot checks of delegated approvals, and the townships' reserve funds."""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import first_of_month
from civil_affairs.core.validators import clean_text
from civil_affairs.standards import selectors as standards

from ..models import Application, ReserveFund, SpotCheck
from ..standards import Kind


@transaction.atomic
def spot_check_draw(
    *,
    actor: Any,
    since: datetime.date,
    until: datetime.date | None = None,
    today: datetime.date | None = None,
) -> list[SpotCheck]:
    """Draw the county's sample of the approvals townships made under delegation between
    `since` and `until`: the share the county's standard sets (at least one), from those not
    drawn before."""
    today = today or timezone.localdate()
    until = until or today
    if since > until:
        raise ValidationError({"since": _("The period starts after it ends.")})
    county = next(
        (a.area for a in policy.assignments(actor) if a.area.level == Area.Level.COUNTY), None
    )
    if county is None and not policy.is_unrestricted(actor):
        raise ValidationError(_("Spot checks are drawn by the county."))
    if county is not None:
        policy.require(actor, "spotcheck.manage", area=county)
    candidates = list(
        policy.scope(
            actor,
            Application.objects.filter(
                approved_delegated=True,
                approved_at__date__gte=since,
                approved_at__date__lte=until,
                spot_check__isnull=True,
            ),
        ).order_by("pk")
    )
    if not candidates:
        return []
    area = county or candidates[0].area
    share = standards.get(Kind.SPOT_CHECK_SHARE, area=area, month=first_of_month(today)).value
    size = min(len(candidates), max(1, math.ceil(len(candidates) * share / Decimal(100))))
    chosen = random.SystemRandom().sample(candidates, size)
    drawn = []
    for application in sorted(chosen, key=lambda a: a.pk):
        check = SpotCheck(application=application, drawn_on=today, drawn_by=actor)
        check._history_user = actor  # type: ignore[attr-defined]
        check.save()
        drawn.append(check)
    return drawn


@transaction.atomic
def spot_check_record(
    *, actor: Any, check: SpotCheck, result: str, note: str, on: datetime.date | None = None
) -> SpotCheck:
    """Record what the check found: the approval confirmed, or the problem found."""
    policy.require(actor, "spotcheck.manage", check)
    if result not in (SpotCheck.Result.CONFIRMED, SpotCheck.Result.PROBLEM):
        raise ValidationError({"result": _("Choose confirmed or problem found.")})
    note = clean_text(note, "note", required=result == SpotCheck.Result.PROBLEM)
    check.result = result
    check.note = note
    check.checked_on = on or timezone.localdate()
    check.checked_by = actor
    check._history_user = actor  # type: ignore[attr-defined]
    check.save()
    return check


@transaction.atomic
def reserve_fund_set(
    *, actor: Any, township: Area, year: int, amount: Any, reference: str = ""
) -> ReserveFund:
    """Set the township's reserve fund (备用金) for temporary assistance of a year."""
    policy.require(actor, "reserve.manage", area=township)
    if township.level != Area.Level.TOWNSHIP:
        raise ValidationError({"township": _("A reserve fund is a township's.")})
    value = to_yuan(amount)
    if value < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    row, _created = ReserveFund.objects.get_or_create(
        township=township, year=year, defaults={"amount": value}
    )
    row.amount = value
    row.reference = clean_text(reference, "reference", max_length=100)
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    return row
