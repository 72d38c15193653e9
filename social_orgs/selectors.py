"""Reads of social_orgs, always through the access policy; the report's figures."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.money import ZERO

from .models import (
    Charity,
    Donation,
    EnforcementCase,
    Evaluation,
    FundUse,
    Inspection,
    ListEntry,
    LotterySales,
    Organisation,
    Station,
    Volunteer,
    VolunteerService,
)
from .standards import Kind, whole


def organisations(
    *, user: Any, query: str = "", status: str = "", registration: str = ""
) -> QuerySet[Organisation]:
    rows = policy.scope(user, Organisation.objects.select_related("area"))
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(credit_code=query.upper()))
    if status:
        rows = rows.filter(status=status)
    if registration:
        rows = rows.filter(registration=registration)
    return rows


def organisation_get(*, user: Any, pk: int) -> Organisation:
    return get_object_or_404(organisations(user=user), pk=pk)


def _registered_active(user: Any) -> QuerySet[Organisation]:
    return organisations(
        user=user,
        status=Organisation.Status.ACTIVE,
        registration=Organisation.Registration.REGISTERED,
    )


def not_inspected(*, user: Any, year: int) -> QuerySet[Organisation]:
    """Active registered organisations that owe an annual inspection of `year` (registered by
    its last day) and have none recorded."""
    return (
        _registered_active(user)
        .filter(registered_on__lte=datetime.date(year, 12, 31))
        .exclude(inspections__year=year)
        .order_by("name", "pk")
    )


def revocation_candidates(*, user: Any, year: int) -> list[Organisation]:
    """Active registered organisations with no inspection in the last N years up to `year`
    (N a standard, 2 by the regulations), that owed each of them: flagged for revocation."""
    out = []
    span_of: dict[int, int] = {}
    for organisation in not_inspected(user=user, year=year):
        if organisation.area_id not in span_of:
            span_of[organisation.area_id] = whole(
                Kind.REVOCATION_YEARS, area=organisation.area, on=datetime.date(year + 1, 1, 1)
            )
        span = span_of[organisation.area_id]
        first = year - span + 1
        if organisation.registered_on > datetime.date(first, 12, 31):
            continue
        if not organisation.inspections.filter(year__gte=first, year__lte=year).exists():
            out.append(organisation)
    return out


def inspections(*, user: Any, year: int | None = None) -> QuerySet[Inspection]:
    rows = policy.scope(user, Inspection.objects.select_related("organisation__area"))
    return rows.filter(year=year) if year else rows


def list_entries(*, user: Any, kind: str, current_only: bool = False) -> QuerySet[ListEntry]:
    rows = policy.scope(user, ListEntry.objects.select_related("organisation")).filter(kind=kind)
    return rows.filter(removed_on__isnull=True) if current_only else rows


def list_entry_get(*, user: Any, pk: int) -> ListEntry:
    return get_object_or_404(policy.scope(user, ListEntry.objects.all()), pk=pk)


def evaluations(*, user: Any) -> QuerySet[Evaluation]:
    return policy.scope(user, Evaluation.objects.select_related("organisation"))


def enforcement_cases(*, user: Any) -> QuerySet[EnforcementCase]:
    return policy.scope(user, EnforcementCase.objects.select_related("area"))


def enforcement_case_get(*, user: Any, pk: int) -> EnforcementCase:
    return get_object_or_404(enforcement_cases(user=user), pk=pk)


def charities(*, user: Any) -> QuerySet[Charity]:
    return policy.scope(
        user,
        Charity.objects.select_related("organisation").annotate(donated=Sum("donations__amount")),
    )


def charity_get(*, user: Any, pk: int) -> Charity:
    return get_object_or_404(
        policy.scope(user, Charity.objects.select_related("organisation")), pk=pk
    )


def donations(*, user: Any) -> QuerySet[Donation]:
    return policy.scope(user, Donation.objects.select_related("charity__organisation"))


def stations(*, user: Any) -> QuerySet[Station]:
    return policy.scope(
        user,
        Station.objects.select_related("area").prefetch_related("villages", "staff"),
    )


def station_get(*, user: Any, pk: int) -> Station:
    return get_object_or_404(stations(user=user), pk=pk)


def volunteers(*, user: Any) -> QuerySet[Volunteer]:
    return policy.scope(
        user,
        Volunteer.objects.select_related("area")
        .annotate(total_hours=Sum("services__hours"))
        .order_by("area__code", "name", "pk"),
    )


def volunteer_get(*, user: Any, pk: int) -> Volunteer:
    return get_object_or_404(policy.scope(user, Volunteer.objects.all()), pk=pk)


def volunteer_services(*, user: Any) -> QuerySet[VolunteerService]:
    return policy.scope(user, VolunteerService.objects.select_related("volunteer"))


def lottery_sales(*, user: Any, year: int | None = None) -> QuerySet[LotterySales]:
    rows = policy.scope(user, LotterySales.objects.select_related("area"))
    return rows.filter(month__year=year) if year else rows


def lottery_by_channel(*, user: Any, year: int) -> list[dict[str, Any]]:
    """Sales per channel in `year`, and the total."""
    rows = (
        lottery_sales(user=user, year=year)
        .values("channel")
        .annotate(total=Sum("amount"))
        .order_by("channel")
    )
    return [dict(row) for row in rows]


def fund_uses(*, user: Any, year: int | None = None) -> QuerySet[FundUse]:
    rows = policy.scope(user, FundUse.objects.select_related("area"))
    return rows.filter(year=year) if year else rows


def fund_by_project(*, user: Any, year: int) -> list[dict[str, Any]]:
    rows = (
        fund_uses(user=user, year=year)
        .values("project")
        .annotate(total=Sum("amount"), reached=Sum("beneficiaries"))
        .order_by("project")
    )
    return [dict(row) for row in rows]


# ---- the report's figures: (*, user, area, period) -> int | Decimal | None


def _inspected(user: Any, area: Area, period: Any) -> QuerySet[Inspection]:
    rows = policy.within(inspections(user=user), area)
    return rows.filter(reported_on__gte=period.first, reported_on__lte=period.end_day)


def figure_inspected(*, user: Any, area: Area, period: Any) -> int | None:
    return _inspected(user, area, period).count()


def figure_passed(*, user: Any, area: Area, period: Any) -> int | None:
    return _inspected(user, area, period).filter(result=Inspection.Result.PASS).count()


def figure_basic_passed(*, user: Any, area: Area, period: Any) -> int | None:
    return _inspected(user, area, period).filter(result=Inspection.Result.BASIC_PASS).count()


def station_coverage(*, user: Any, area: Area, on: datetime.date) -> dict[str, Any]:
    """Townships in `area` (and the user's areas) with an open social-work station on `on`."""
    townships = policy.scope(
        user, Area.objects.filter(level=Area.Level.TOWNSHIP, code__startswith=area.code)
    )
    open_station = Station.objects.filter(area=OuterRef("pk"), opened_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )
    counts = townships.annotate(has=Exists(open_station)).aggregate(
        total=Count("pk"), covered=Count("pk", filter=Q(has=True))
    )
    total, covered = counts["total"], counts["covered"]
    share = (
        (Decimal(covered) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if total
        else None
    )
    return {"townships": total, "covered": covered, "share": share}


def figure_social_work_coverage(*, user: Any, area: Area, period: Any) -> Decimal | None:
    coverage = station_coverage(user=user, area=area, on=period.end_day)
    share: Decimal | None = coverage["share"]
    return share


def donations_total(*, user: Any, year: int) -> Decimal:
    total = donations(user=user).filter(received_on__year=year).aggregate(s=Sum("amount"))["s"]
    return total or ZERO
