"""The old-age allowance in the shared benefits registry (civil_affairs/benefits.py): the
cross-check matches lists against open allowances, and a confirmed death stops them through
the allowance services here, with every overpaid month listed by the payments app."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from civil_affairs import benefits

from . import services
from .models import OldAgeAllowance
from .payroll import LABEL, PROGRAM

KEY = "eldercare.allowance"
Status = OldAgeAllowance.Status

OPEN_SQL = f"""
SELECT a.id, a.person_id, '{PROGRAM}' AS program, a.area_id
FROM eldercare_oldageallowance a
WHERE a.status <> 'stopped'
"""  # noqa: S608 - a constant


def open_benefits(person_ids: Sequence[int]) -> list[benefits.Benefit]:
    rows = (
        OldAgeAllowance.objects.filter(person_id__in=list(person_ids))
        .exclude(status=Status.STOPPED)
        .select_related("person", "area")
        .order_by("pk")
    )
    found = []
    for a in rows:
        month = max(a.first_month, a.end_month or a.first_month)
        tier = services.tier_in(a.person, a.area, month)
        found.append(
            benefits.Benefit(
                ref=f"{KEY}:{a.pk}",
                program=PROGRAM,
                program_label=str(LABEL),
                person_id=a.person_id,
                area_id=a.area_id,
                status=a.status,
                status_label=str(a.get_status_display()),
                start_month=a.first_month,
                end_month=a.end_month,
                monthly_amount=tier.amount if tier is not None else None,
                url=reverse("eldercare:allowance_detail", args=[a.pk]),
                extra={"tier": tier.variant if tier is not None else ""},
            )
        )
    return found


def _each(ids: Sequence[int]) -> list[OldAgeAllowance]:
    return list(OldAgeAllowance.objects.filter(pk__in=list(ids)).order_by("pk"))


def stop(*, actor: Any, ids: Sequence[int], effective_month: datetime.date, reason: str) -> None:
    for allowance in _each(ids):
        services.allowance_stop(
            actor=actor, allowance=allowance, effective_month=effective_month, reason=reason
        )


def suspend(*, actor: Any, ids: Sequence[int], effective_month: datetime.date, reason: str) -> None:
    for allowance in _each(ids):
        services.allowance_suspend(
            actor=actor, allowance=allowance, effective_month=effective_month, reason=reason
        )


def register_benefits() -> None:
    # no change_amount: the amount is the tier's standard, never set by hand
    benefits.register(
        benefits.BenefitSource(
            key=KEY,
            programs=(PROGRAM,),
            open_sql=OPEN_SQL,
            open_benefits=open_benefits,
            stop=stop,
            suspend=suspend,
        )
    )
