"""The children's allowances in the shared benefits registry (civil_affairs/benefits.py).

The cross-check matches lists against the open allowances; a confirmed warning (a death, the
age of 18 with no full-time education) stops or suspends them through the allowance services.
The children's app states `in_full_time_education` (in `facts` and `facts_sql`): the age
rule "18 ends child allowances" names it as its exception.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from civil_affairs import benefits

from . import services
from .models import Allowance, Child, Program

KEY = "children.allowance"
Status = Allowance.Status

OPEN_SQL = """
SELECT a.id, a.person_id, a.program, a.area_id
FROM children_allowance a
WHERE a.status <> 'stopped'
"""

FACTS_SQL = f"""
SELECT c.person_id, '{benefits.IN_FULL_TIME_EDUCATION}' AS fact
FROM children_child c
WHERE c.in_full_time_education AND c.status = 'active'
"""  # noqa: S608 - a constant


def open_benefits(person_ids: Sequence[int]) -> list[benefits.Benefit]:
    rows = (
        Allowance.objects.filter(person_id__in=list(person_ids))
        .exclude(status=Status.STOPPED)
        .order_by("program", "pk")
    )
    return [
        benefits.Benefit(
            ref=f"{KEY}:{a.pk}",
            program=a.program,
            program_label=str(a.get_program_display()),
            person_id=a.person_id,
            area_id=a.area_id,
            status=a.status,
            status_label=str(a.get_status_display()),
            start_month=a.start_month,
            end_month=a.end_month,
            url=reverse("children:child_detail", args=[a.child_id]),
        )
        for a in rows
    ]


def _each(ids: Sequence[int]) -> list[Allowance]:
    return list(Allowance.objects.filter(pk__in=list(ids)).order_by("pk"))


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


def facts(person_ids: Sequence[int], month: datetime.date) -> dict[int, set[str]]:
    """In full-time education (today's record), and the children's programs paying them."""
    ids = list(person_ids)
    result: dict[int, set[str]] = {pk: set() for pk in ids}
    for person_id in Child.objects.filter(
        person_id__in=ids, in_full_time_education=True, status=Child.Status.ACTIVE
    ).values_list("person_id", flat=True):
        result[person_id].add(benefits.IN_FULL_TIME_EDUCATION)
    paying = Allowance.objects.filter(person_id__in=ids, start_month__lte=month).exclude(
        status=Status.STOPPED, end_month__isnull=True
    )
    for allowance in paying:
        if allowance.end_month is not None and allowance.end_month < month:
            continue
        if allowance.suspended_from is not None and allowance.suspended_from <= month:
            continue
        result[allowance.person_id].add(f"children:{allowance.program}")
    return result


def register_benefits() -> None:
    benefits.register(
        benefits.BenefitSource(
            key=KEY,
            programs=tuple(p.value for p in Program),
            open_sql=OPEN_SQL,
            open_benefits=open_benefits,
            stop=stop,
            suspend=suspend,
            facts=facts,
            facts_sql=FACTS_SQL,
        )
    )
