"""Reads of the children's app, always through the access policy.

Mandatory reports are read only through `mandatory_reports` / `mandatory_report_get`, scoped
to the areas where the user holds a role that may see them (policy action
mandatory_report.view): for everyone else they do not exist (404, absent from every list).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.money import ZERO
from civil_affairs.core.validators import clean_id_number
from civil_affairs.standards import selectors as standards

from .models import (
    Allowance,
    Appointment,
    CareActivity,
    Category,
    Child,
    FollowUp,
    MandatoryReport,
    Visit,
)
from .standards import Kind


def children(
    *,
    user: Any,
    query: str = "",
    category: str = "",
    area: Area | None = None,
    risk_level: str = "",
) -> QuerySet[Child]:
    """The registry in the user's areas; `query` is a full ID number or a name prefix."""
    rows = policy.scope(user, Child.objects.select_related("person", "area"), "child.view")
    query = query.strip()
    if query:
        try:
            number = clean_id_number(query)
        except ValidationError:
            rows = rows.filter(person__name__startswith=query)
        else:
            rows = rows.filter(person__id_number=number)
    if category:
        rows = rows.filter(category=category)
    if risk_level:
        rows = rows.filter(risk_level=risk_level)
    return policy.within(rows, area).order_by("area__code", "person__name", "id")


def child_get(*, user: Any, pk: int) -> Child:
    return get_object_or_404(
        policy.scope(user, Child.objects.select_related("person", "area"), "child.view"), pk=pk
    )


def allowances(*, user: Any, program: str = "", status: str = "") -> QuerySet[Allowance]:
    rows = policy.scope(
        user, Allowance.objects.select_related("person", "area", "child"), "child.view"
    )
    if program:
        rows = rows.filter(program=program)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("area__code", "person__name", "id")


def allowance_get(*, user: Any, pk: int) -> Allowance:
    return get_object_or_404(
        policy.scope(user, Allowance.objects.select_related("person", "child"), "child.view"),
        pk=pk,
    )


def follow_ups(*, user: Any, open_only: bool = True) -> QuerySet[FollowUp]:
    """Follow-ups of high-risk visits in the user's areas, soonest deadline first."""
    rows = policy.scope(
        user,
        FollowUp.objects.select_related("child__person", "child__area", "visit__visitor"),
        "child.view",
    )
    if open_only:
        rows = rows.filter(status=FollowUp.Status.OPEN)
    return rows.order_by("deadline", "id")


def follow_up_get(*, user: Any, pk: int) -> FollowUp:
    return get_object_or_404(follow_ups(user=user, open_only=False), pk=pk)


def visits(*, user: Any) -> QuerySet[Visit]:
    return policy.scope(
        user, Visit.objects.select_related("child__person", "child__area", "visitor"), "child.view"
    )


# ---- directors and supervisors


def appointments(*, user: Any, current_only: bool = True) -> QuerySet[Appointment]:
    rows = policy.scope(user, Appointment.objects.select_related("area", "user"), "child.view")
    if current_only:
        rows = rows.filter(ended_on__isnull=True)
    return rows.order_by("area__code", "post", "-appointed_on")


def appointment_get(*, user: Any, pk: int) -> Appointment:
    return get_object_or_404(appointments(user=user, current_only=False), pk=pk)


def _serving(day: datetime.date) -> Q:
    return Q(appointed_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def areas_without(*, user: Any, post: str, day: datetime.date | None = None) -> QuerySet[Area]:
    """Villages/communities without a child director, or townships without a supervisor, on
    `day` (today), in the user's areas."""
    day = day or timezone.localdate()
    level = Appointment.POST_LEVEL[Appointment.Post(post)]
    served = Appointment.objects.filter(_serving(day), post=post).values("area_id")
    return (
        policy.scope(user, Area.objects.filter(level=level), "child.view")
        .exclude(pk__in=served)
        .order_by("code")
    )


@dataclass(frozen=True)
class Overdue:
    child: Child
    last_visit: datetime.date | None
    due_on: datetime.date
    director: str
    supervisor: str


def overdue_visits(
    *, user: Any, day: datetime.date | None = None, area: Area | None = None
) -> list[Overdue]:
    """Children whose next visit is past due: the last visit (or the registration) plus the
    interval the standards give for their category, with the director of their village and
    the supervisor of their township, to be listed per director and supervisor."""
    day = day or timezone.localdate()
    rows = (
        children(user=user, area=area)
        .filter(status=Child.Status.ACTIVE)
        .annotate(last_visit=Max("visits__visited_on"))
    )
    areas = {a.pk: a for a in Area.objects.filter(pk__in={c.area_id for c in rows})}
    staff: dict[tuple[str, int], str] = {}
    for appointment in Appointment.objects.filter(_serving(day)).order_by("appointed_on"):
        staff[(appointment.post, appointment.area_id)] = appointment.name
    intervals: dict[tuple[int, str], int | None] = {}
    found: list[Overdue] = []
    for child in rows:
        key = (child.area_id, child.category)
        if key not in intervals:
            row = standards.find(
                Kind.VISIT_INTERVAL,
                area=areas[child.area_id],
                month=day.replace(day=1),
                variant=child.category,
            )
            intervals[key] = int(row.value) if row is not None else None
        interval = intervals[key]
        if interval is None:
            continue
        since = child.last_visit or child.registered_on  # type: ignore[attr-defined]
        due = since + datetime.timedelta(days=interval)
        if due < day:
            area = areas[child.area_id]
            found.append(
                Overdue(
                    child=child,
                    last_visit=child.last_visit,  # type: ignore[attr-defined]
                    due_on=due,
                    director=staff.get((Appointment.Post.DIRECTOR, area.pk), ""),
                    supervisor=staff.get((Appointment.Post.SUPERVISOR, area.parent_id or 0), ""),
                )
            )
    return sorted(found, key=lambda o: (o.supervisor, o.director, o.due_on))


# ---- mandatory reports: only where the user may see them


def mandatory_reports(*, user: Any, query: str = "") -> QuerySet[MandatoryReport]:
    policy.require(user, "mandatory_report.view")
    rows = policy.scope(
        user, MandatoryReport.objects.select_related("area"), "mandatory_report.view"
    )
    query = query.strip()
    if query:
        rows = rows.filter(Q(child_name__startswith=query) | Q(reporter__startswith=query))
    return rows.order_by("-received_at", "-id")


def mandatory_report_get(*, user: Any, pk: int) -> MandatoryReport:
    """404 for anyone who may not see mandatory reports there, whatever their areas."""
    rows = policy.scope(
        user, MandatoryReport.objects.select_related("area", "child"), "mandatory_report.view"
    )
    return get_object_or_404(rows, pk=pk)


# ---- care activities and figures


def care_activities(
    *,
    user: Any,
    area: Area | None = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> QuerySet[CareActivity]:
    rows = policy.scope(user, CareActivity.objects.select_related("area"), "care_activity.view")
    rows = policy.within(rows, area)
    if first is not None:
        rows = rows.filter(held_on__gte=first)
    if last is not None:
        rows = rows.filter(held_on__lte=last)
    return rows.order_by("-held_on", "-id")


def _period_activities(user: Any, area: Area, period: Any) -> QuerySet[CareActivity]:
    return care_activities(user=user, area=area, first=period.first, last=period.end_day)


def figure_care_activities(*, user: Any, area: Area, period: Any) -> int | None:
    rows = _period_activities(user, area, period)
    return rows.count()


def figure_care_funds_raised(*, user: Any, area: Area, period: Any) -> Decimal | None:
    totals = _period_activities(user, area, period).aggregate(
        funds=Sum("funds_raised"), goods=Sum("goods_value")
    )
    return (totals["funds"] or ZERO) + (totals["goods"] or ZERO)


def figure_director_coverage(*, user: Any, area: Area, period: Any) -> Decimal | None:
    """Percent of villages/communities in the area with a child director at the period's end."""
    villages = policy.scope(
        user, Area.objects.filter(level=Area.Level.VILLAGE, code__startswith=area.code)
    )
    total = villages.count()
    if not total:
        return None
    day = period.end_day
    covered = villages.filter(
        pk__in=Appointment.objects.filter(_serving(day), post=Appointment.Post.DIRECTOR).values(
            "area_id"
        )
    ).count()
    return (Decimal(covered) * 100 / total).quantize(Decimal("0.1"))


def registry_counts(*, user: Any) -> dict[str, int]:
    counts = dict.fromkeys(Category.values, 0)
    for row in children(user=user).filter(status=Child.Status.ACTIVE).values("category"):
        counts[row["category"]] += 1
    return counts
