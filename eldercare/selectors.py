"""Elder care's reads, every one through the access policy, and its report figures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from civil_affairs import benefits
from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.months import first_of_month
from civil_affairs.dashboard.figures import Period

from .models import (
    CareWorker,
    Finding,
    FundraisingScreening,
    HomeCareCentre,
    Inspection,
    Institution,
    Modification,
    OldAgeAllowance,
    Resident,
)

VIEW = "eldercare.view"


def _scoped(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    return policy.scope(user, qs, VIEW)


def get(user: Any, model: type[Any], pk: int, qs: QuerySet[Any] | None = None) -> Any:
    """One row by id: 404 outside the user's areas, 403 for a role that may not view it."""
    obj = get_object_or_404(policy.scope(user, qs if qs is not None else model.objects), pk=pk)
    policy.require(user, VIEW, obj)
    return obj


# ---- lists


def institutions(*, user: Any, area: Area | None = None, q: str = "") -> QuerySet[Institution]:
    qs = _scoped(user, Institution.objects.select_related("area"))
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(credit_code=q.upper()))
    return (
        policy.within(qs, area)
        .annotate(
            residents_now=Count("residents", filter=Q(residents__discharged_on__isnull=True)),
            open_findings=Count(
                "inspections__findings",
                filter=Q(inspections__findings__status=Finding.Status.OPEN),
                distinct=True,
            ),
        )
        .order_by("area__code", "name")
    )


def current_grade(institution: Institution) -> Any:
    today = timezone.localdate()
    return institution.grades.filter(rated_on__lte=today, valid_until__gte=today).first()


def residents(*, user: Any, institution: Institution | None = None) -> QuerySet[Resident]:
    qs = _scoped(user, Resident.objects.select_related("person", "institution"))
    if institution is not None:
        qs = qs.filter(institution=institution)
    return qs.order_by("discharged_on", "person__name")


def centralised_support(person_ids: list[int], month: datetime.date | None = None) -> set[int]:
    """Who among these people receives extreme-poverty support in a care home (relief's fact,
    asked through the benefits registry)."""
    found = benefits.facts(person_ids, month or first_of_month(timezone.localdate()))
    return {pk for pk, facts in found.items() if benefits.EXTREME_POVERTY_CENTRALISED in facts}


def inspections(*, user: Any, institution: Institution | None = None) -> QuerySet[Inspection]:
    qs = _scoped(user, Inspection.objects.select_related("institution", "institution__area"))
    if institution is not None:
        qs = qs.filter(institution=institution)
    return qs.annotate(findings_count=Count("findings")).order_by("-inspected_on", "-id")


def findings(*, user: Any) -> QuerySet[Finding]:
    return _scoped(
        user, Finding.objects.select_related("inspection__institution", "verified_by")
    ).order_by("deadline", "id")


def overdue_findings(*, user: Any, today: datetime.date | None = None) -> QuerySet[Finding]:
    """Open findings past their deadline (the rectifications overdue), major ones first."""
    day = today or timezone.localdate()
    return (
        findings(user=user)
        .filter(status=Finding.Status.OPEN, deadline__lt=day)
        .order_by("-severity", "deadline", "id")
    )


def screenings(*, user: Any) -> QuerySet[FundraisingScreening]:
    return _scoped(user, FundraisingScreening.objects.select_related("area")).order_by(
        "-screened_on", "-id"
    )


def centres(*, user: Any, status: str = "") -> QuerySet[HomeCareCentre]:
    qs = _scoped(user, HomeCareCentre.objects.select_related("area"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("area__code", "name")


def modifications(*, user: Any, status: str = "") -> QuerySet[Modification]:
    qs = _scoped(user, Modification.objects.select_related("person", "area"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-applied_on", "-id")


def care_workers(*, user: Any) -> QuerySet[CareWorker]:
    return _scoped(
        user, CareWorker.objects.select_related("person", "institution", "centre", "area")
    ).order_by("area__code", "person__name")


def allowances(*, user: Any, status: str = "") -> QuerySet[OldAgeAllowance]:
    qs = _scoped(user, OldAgeAllowance.objects.select_related("person", "area"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("area__code", "person__name")


# ---- figures (civil_affairs/dashboard/figures.py): each takes a period and an area


def _figure_scope(user: Any, qs: QuerySet[Any], area: Area | None) -> QuerySet[Any]:
    return policy.within(_scoped(user, qs), area)


def figure_centres_built(*, user: Any, area: Area | None, period: Period) -> int | None:
    """Centres built (or operating) by the end of the period."""
    qs = _figure_scope(user, HomeCareCentre.objects.all(), area)
    if not qs.exists():
        return None
    return qs.filter(built_on__lte=period.end_day).count()


def figure_centres_under_construction(
    *, user: Any, area: Area | None, period: Period
) -> int | None:
    """Centres whose construction had started but that were not built at the period's end."""
    qs = _figure_scope(user, HomeCareCentre.objects.all(), area)
    if not qs.exists():
        return None
    end = period.end_day
    return (
        qs.filter(construction_started_on__lte=end)
        .filter(Q(built_on__isnull=True) | Q(built_on__gt=end))
        .count()
    )


def figure_modifications_completed(*, user: Any, area: Area | None, period: Period) -> int | None:
    qs = _figure_scope(user, Modification.objects.all(), area)
    if not qs.exists():
        return None
    return qs.filter(
        status=Modification.Status.ACCEPTED,
        accepted_on__gte=period.first,
        accepted_on__lte=period.end_day,
    ).count()


def _screened(user: Any, area: Area | None, period: Period) -> QuerySet[FundraisingScreening]:
    return _figure_scope(user, FundraisingScreening.objects.all(), area).filter(
        screened_on__gte=period.first, screened_on__lte=period.end_day
    )


def figure_units_screened(*, user: Any, area: Area | None, period: Period) -> int | None:
    """Distinct units with 养老 in their name (institutions and other units) screened."""
    if not _figure_scope(user, FundraisingScreening.objects.all(), area).exists():
        return None
    return (
        _screened(user, area, period)
        .exclude(unit_kind=FundraisingScreening.UnitKind.CENTRE)
        .values("unit_kind", "unit_name", "area")
        .distinct()
        .count()
    )


def figure_centres_screened(*, user: Any, area: Area | None, period: Period) -> int | None:
    if not _figure_scope(user, FundraisingScreening.objects.all(), area).exists():
        return None
    return (
        _screened(user, area, period)
        .filter(unit_kind=FundraisingScreening.UnitKind.CENTRE)
        .values("centre")
        .distinct()
        .count()
    )


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def figure_vaccination_rate(*, user: Any, area: Area | None, period: Period) -> Decimal | None:
    """Percent of the residents living in institutions at the period's end who are
    vaccinated (by then)."""
    end = period.end_day
    living = _figure_scope(user, Resident.objects.all(), area).filter(
        Q(admitted_on__lte=end) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=end))
    )
    whole = living.count()
    if not whole:
        return None
    part = living.filter(vaccinated=True).filter(
        Q(vaccinated_on__isnull=True) | Q(vaccinated_on__lte=end)
    )
    return _percent(part.count(), whole)


def figure_care_workers_certified_share(
    *, user: Any, area: Area | None, period: Period
) -> Decimal | None:
    """Percent of the care workers employed at the period's end who hold a certificate."""
    end = period.end_day
    employed = _figure_scope(user, CareWorker.objects.all(), area).filter(
        Q(employed_from__lte=end) & (Q(employed_until__isnull=True) | Q(employed_until__gt=end))
    )
    whole = employed.count()
    if not whole:
        return None
    part = employed.exclude(certificate_number="").filter(certified_on__lte=end)
    return _percent(part.count(), whole)


def records_url(name: str) -> Any:
    """The list behind a figure, filtered by the area and the period (`?area=&from=&to=`)."""

    def url(area: Area | None, period: Period) -> str:
        where = f"area={area.code}&" if area is not None else ""
        return f"{reverse(name)}?{where}from={period.first:%Y-%m-%d}&to={period.end_day:%Y-%m-%d}"

    return url
