"""Relief's benefits in the shared registry (civil_affairs/benefits.py).

Relief's benefits are its entitlements (dibao, extreme-poverty support, the two disability
subsidies): the cross-check matches lists against the open ones, and a confirmed warning
stops, suspends or changes them through the entitlement services here. Relief also keeps the
households: their ties (members, and whom a dibao is paid for) let household-wide rules reach
the other members and find one person tied to two households, and each household's urban or
rural registration is the variant of the standards it is assessed under. Other apps ask
relief's facts (`facts`) without importing relief: the funeral fee waiver, home modification,
a child's "choose the higher".
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from civil_affairs import benefits
from civil_affairs.core.months import add_months

from . import services
from .models import Application, Entitlement, HouseholdMember, Program
from .services import payees

KEY = "relief.entitlement"
HOUSEHOLDS_KEY = "relief.household"
Status = Entitlement.Status

OPEN_SQL = """
SELECT e.id, e.person_id, e.program, e.area_id
FROM relief_entitlement e
WHERE e.status <> 'stopped'
"""

# Members of a household, and the open benefits paid for a household (a dibao, to its
# head): a person paid for one household while a member of another is tied to both.
HOUSEHOLDS_SQL = """
SELECT m.household_id, m.person_id, true AS member, h.registered_type AS variant
FROM relief_householdmember m
LEFT JOIN relief_household h ON h.id = m.household_id
UNION ALL
SELECT e.household_id, e.person_id, false AS member, h.registered_type AS variant
FROM relief_entitlement e
LEFT JOIN relief_household h ON h.id = e.household_id
WHERE e.household_id IS NOT NULL AND e.status <> 'stopped'
"""

PROGRAM_FACTS = {
    Program.DIBAO: benefits.DIBAO,
    Program.EXTREME_POVERTY: benefits.EXTREME_POVERTY,
    Program.DISABILITY_LIVING: benefits.DISABILITY_LIVING,
    Program.DISABILITY_CARE: benefits.DISABILITY_CARE,
}
SUPPORT_MODE_FACTS: dict[str, str] = {
    Application.SupportMode.CENTRALISED: benefits.EXTREME_POVERTY_CENTRALISED,
    Application.SupportMode.DISPERSED: benefits.EXTREME_POVERTY_DISPERSED,
}


def _ref(entitlement: Entitlement) -> str:
    return f"{KEY}:{entitlement.pk}"


def open_benefits(person_ids: Sequence[int]) -> list[benefits.Benefit]:
    rows = (
        Entitlement.objects.filter(person_id__in=list(person_ids))
        .exclude(status=Status.STOPPED)
        .order_by("program", "pk")
    )
    return [
        benefits.Benefit(
            ref=_ref(e),
            program=e.program,
            program_label=str(e.get_program_display()),
            person_id=e.person_id,
            area_id=e.area_id,
            status=e.status,
            status_label=str(e.get_status_display()),
            start_month=e.start_month,
            end_month=e.end_month,
            monthly_amount=e.monthly_amount,
            url=reverse("relief:entitlement_detail", args=[e.pk]),
        )
        for e in rows
    ]


def _each(ids: Sequence[int]) -> list[Entitlement]:
    return list(Entitlement.objects.filter(pk__in=list(ids)).order_by("pk"))


def stop(*, actor: Any, ids: Sequence[int], effective_month: datetime.date, reason: str) -> None:
    """Stop each benefit; but a household dibao whose payee died continues for the others with
    a new payee (only the dead person's own benefits stop)."""
    for entitlement in _each(ids):
        if payees.dibao_continues_after_death(
            actor=actor, entitlement=entitlement, effective_month=effective_month, reason=reason
        ):
            continue
        services.entitlement_stop(
            actor=actor, entitlement=entitlement, effective_month=effective_month, reason=reason
        )


def suspend(*, actor: Any, ids: Sequence[int], effective_month: datetime.date, reason: str) -> None:
    for entitlement in _each(ids):
        services.entitlement_suspend(
            actor=actor, entitlement=entitlement, effective_month=effective_month, reason=reason
        )


def change_amount(
    *,
    actor: Any,
    ids: Sequence[int],
    effective_month: datetime.date,
    monthly_amount: Decimal,
    reason: str,
) -> None:
    for entitlement in _each(ids):
        services.entitlement_change_amount(
            actor=actor,
            entitlement=entitlement,
            effective_month=effective_month,
            monthly_amount=monthly_amount,
            reason=reason,
        )


def _paying(month: datetime.date) -> Q:
    """Entitlements that pay `month` (as relief's payroll provider reads them)."""
    return (
        Q(start_month__lte=month)
        & (Q(end_month__isnull=True) | Q(end_month__gte=month))
        & ~Q(status=Status.STOPPED, end_month__isnull=True)
        & ~Q(status=Status.SUSPENDED, suspended_from__lte=month)
    )


def _edge_household_members(person_ids: Sequence[int], month: datetime.date) -> set[int]:
    """Members of the low-income edge households (低保边缘) registered for monitoring in
    `month` (registered by then, not ended before it)."""
    from .models import MonitoredHousehold

    watched = MonitoredHousehold.objects.filter(
        kind=MonitoredHousehold.Kind.EDGE, registered_on__lt=add_months(month, 1)
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=month))
    return set(
        HouseholdMember.objects.filter(
            person_id__in=list(person_ids), household__in=watched.values("household")
        ).values_list("person_id", flat=True)
    )


def facts(person_ids: Sequence[int], month: datetime.date) -> dict[int, set[str]]:
    """What relief states about these people in `month`: the programs paying them that month
    (extreme-poverty support with its mode), dibao for every member of a household whose dibao
    covers the whole household, dibao_household for every member of a household with dibao."""
    ids = list(person_ids)
    result: dict[int, set[str]] = {pk: set() for pk in ids}
    paying = Entitlement.objects.filter(_paying(month))
    for person_id, program, basis in paying.filter(person_id__in=ids).values_list(
        "person_id", "program", "basis"
    ):
        result[person_id].add(PROGRAM_FACTS[Program(program)])
        mode = SUPPORT_MODE_FACTS.get((basis or {}).get("support_mode") or "")
        if program == Program.EXTREME_POVERTY and mode is not None:
            result[person_id].add(mode)
    households = dict(
        HouseholdMember.objects.filter(person_id__in=ids).values_list("person_id", "household_id")
    )
    covered: dict[int, bool] = {}  # household -> its dibao covers every member
    for household_id, basis in paying.filter(
        program=Program.DIBAO, household_id__in=set(households.values())
    ).values_list("household_id", "basis"):
        coverage = (basis or {}).get("coverage") or Application.Coverage.HOUSEHOLD
        whole = coverage == Application.Coverage.HOUSEHOLD
        covered[household_id] = covered.get(household_id, False) or whole
    for person_id, household_id in households.items():
        if household_id in covered:
            result[person_id].add(benefits.DIBAO_HOUSEHOLD)
            if covered[household_id]:
                result[person_id].add(benefits.DIBAO)
    for person_id in _edge_household_members(ids, month):
        result[person_id].add(benefits.EDGE_HOUSEHOLD)
    return result


def household_of(person_id: int) -> benefits.Household | None:
    membership = (
        HouseholdMember.objects.filter(person_id=person_id)
        .select_related("household__area")
        .first()
    )
    if membership is None:
        return None
    household = membership.household
    return benefits.Household(
        ref=f"{HOUSEHOLDS_KEY}:{household.pk}",
        area=household.area,
        members=[
            benefits.Member(
                person_id=m.person_id,
                name=m.person.name,
                relationship=str(m.get_relationship_display()),
            )
            for m in household.members.select_related("person").order_by("pk")
        ],
        view_action="household.view",
        url=reverse("relief:household_detail", args=[household.pk]),
    )


def caseworker_people(user: Any) -> QuerySet[HouseholdMember, int]:
    return HouseholdMember.objects.filter(household__caseworker=user).values_list(
        "person_id", flat=True
    )


def register_benefits() -> None:
    benefits.register(
        benefits.BenefitSource(
            key=KEY,
            programs=tuple(p.value for p in Program),
            open_sql=OPEN_SQL,
            open_benefits=open_benefits,
            stop=stop,
            suspend=suspend,
            change_amount=change_amount,
            facts=facts,
            households=benefits.Households(
                key=HOUSEHOLDS_KEY,
                sql=HOUSEHOLDS_SQL,
                of=household_of,
                caseworker_people=caseworker_people,
            ),
        )
    )
