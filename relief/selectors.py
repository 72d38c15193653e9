"""Reads of the relief app, always through the access policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civil_affairs.areas import policy
from civil_affairs.core.money import ZERO
from civil_affairs.core.months import first_of_month
from civil_affairs.core.search import PatternOrderBy, starts_with
from civil_affairs.core.status import history
from civil_affairs.core.validators import clean_id_number

from . import calc
from .models import (
    Application,
    Entitlement,
    EntitlementPeriod,
    HomelessCase,
    Household,
    HouseholdMember,
    MedicalAid,
    PatrolZone,
    Program,
    Review,
)
from .services import reviews

SEARCH_LIMIT = 50


def _members(user: Any) -> QuerySet[HouseholdMember]:
    return policy.scope(user, HouseholdMember.objects.select_related("person", "household__area"))


def case_search(
    *, user: Any, query: str, limit: int = SEARCH_LIMIT, offset: int = 0
) -> list[HouseholdMember]:
    """The case search page: household members matching a full ID number exactly, or whose
    name starts with `query`, in the user's areas; at most `limit` + 1 rows (the extra one
    says there is a next page), so that a common surname never counts a million rows."""
    query = query.strip()
    if not query:
        return []
    members = _members(user)
    try:
        number = clean_id_number(query)
    except ValidationError:
        rows = members.filter(starts_with("person__name", query)).order_by(
            PatternOrderBy(F("person__name")), "id"
        )
    else:
        rows = members.filter(person__id_number=number)
    # the columns the results show: a page of 50 rows spent more time reading and building
    # the rest (timestamps, incomes, addresses) than the query took
    rows = rows.only(
        "relationship",
        "person__name",
        "person__id_number",
        "household__area__name",
    )
    return list(rows[offset : offset + limit + 1])


def recent_households(*, user: Any, limit: int = SEARCH_LIMIT, offset: int = 0) -> list[Household]:
    return list(
        policy.scope(user, Household.objects.select_related("area"))
        .prefetch_related("members__person")
        .order_by("-id")[offset : offset + limit + 1]
    )


def member_get(*, user: Any, pk: int) -> HouseholdMember:
    return get_object_or_404(
        policy.scope(user, HouseholdMember.objects.select_related("person", "household__area")),
        pk=pk,
    )


def household_get(*, user: Any, pk: int) -> Household:
    return get_object_or_404(
        policy.scope(
            user, Household.objects.select_related("area__parent", "caseworker")
        ).prefetch_related("members__person"),
        pk=pk,
    )


def household_applications(*, user: Any, household: Household) -> QuerySet[Application]:
    return policy.scope(
        user, Application.objects.filter(household=household).select_related("person")
    ).order_by("-applied_on", "-id")


def household_entitlements(*, user: Any, household: Household) -> QuerySet[Entitlement]:
    # The members' ids as a list, not a subquery: with a subquery inside the OR PostgreSQL
    # reads every entitlement (300 ms at a million); with a list it reads two indexes.
    members = list(household.members.values_list("person_id", flat=True))
    return policy.scope(
        user,
        Entitlement.objects.filter(
            Q(household=household) | Q(person_id__in=members)
        ).select_related("person"),
    ).order_by("status", "program", "id")


def application_get(*, user: Any, pk: int) -> Application:
    return get_object_or_404(
        policy.scope(
            user,
            Application.objects.select_related(
                "household__area__parent", "person", "created_by", "submitted_by", "reviewed_by"
            ),
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "status" or "visit"
    title: str
    actor: str
    note: str
    photos: tuple[Any, ...] = ()


def application_timeline(*, application: Application) -> list[TimelineEntry]:
    """Status changes and home visits, oldest first (the caller has scoped the application)."""
    labels = dict(Application.Status.choices)
    entries = [
        TimelineEntry(
            at=change.at,
            kind="status",
            title=str(labels.get(change.new_status, change.new_status)),
            actor=(change.actor.get_full_name() or change.actor.username) if change.actor else "",
            note=change.text,
        )
        for change in history(application)
    ]
    for visit in application.visits.select_related("recorded_by").prefetch_related("photos"):
        entries.append(
            TimelineEntry(
                at=visit.created_at,
                kind="visit",
                title=f"{visit.visited_on}",
                actor=visit.visitors,
                note=visit.findings,
                photos=tuple(visit.photos.all()),
            )
        )
    return sorted(entries, key=lambda e: e.at)


def with_due_dates(applications: Any) -> list[Application]:
    """Each case with `due` (the day it must be decided by: the working-day limit from its
    acceptance) and `overdue`, for the queues."""
    from . import rules

    today = timezone.localdate()
    rows = list(applications)
    for application in rows:
        due = rules.due_date(application)
        application.due = due  # type: ignore[attr-defined]
        application.overdue = due is not None and due < today  # type: ignore[attr-defined]
    return rows


def review_queue(*, user: Any) -> list[Application]:
    """Cases submitted to the township, waiting for its first opinion, with due dates."""
    return with_due_dates(
        policy.scope(
            user,
            Application.objects.filter(status=Application.Status.SUBMITTED).select_related(
                "person", "area__parent"
            ),
        ).order_by("submitted_at", "id")
    )


def approval_queue(*, user: Any) -> list[Application]:
    """Cases waiting for approval (after the notice; temporary assistance after the first
    opinion; the disability subsidies after the federation's confirmation), with due dates."""
    from . import services

    status = Application.Status
    rows = policy.scope(
        user,
        Application.objects.filter(
            status__in=(status.NOTICE_ENDED, status.REVIEWED, status.GRADE_CONFIRMED)
        ).select_related("person", "area__parent", "reviewed_by"),
    ).order_by("reviewed_at", "id")
    return with_due_dates(a for a in rows if services.before(a, status.APPROVED) == a.status)


def open_cases(*, user: Any) -> list[Application]:
    """Every open case in the user's areas, soonest due first (the caseworkers' queue)."""
    rows = with_due_dates(
        policy.scope(
            user,
            Application.objects.filter(status__in=Application.OPEN).select_related(
                "person", "area__parent"
            ),
        ).order_by("applied_on", "id")[:500]
    )
    return sorted(rows, key=lambda a: (a.due is None, a.due or a.applied_on))  # type: ignore[attr-defined]


def due_reviews(*, user: Any, mine: bool = False) -> QuerySet[Review]:
    """Open reviews in the user's areas, overdue first then by due date; `mine`: of the
    households the user is the responsible caseworker of."""
    rows = policy.scope(
        user,
        Review.objects.exclude(status=Review.Status.DONE).select_related("household__area"),
    )
    if mine:
        rows = rows.filter(household__caseworker=user)
    return rows.order_by("due_date", "id")


def review_preview(
    *, household: Household, month: datetime.date
) -> list[tuple[Entitlement, Decimal | None, str]]:
    """Each benefit a review would touch, with the amount it would have from `month` on
    (recomputed from the household as it is now), or why it would have none."""
    preview: list[tuple[Entitlement, Decimal | None, str]] = []
    for entitlement in reviews.household_entitlements(household):
        try:
            computed = calc.compute_for_entitlement(entitlement, month)
            preview.append((entitlement, computed.amount, ""))
        except ValidationError as exc:
            preview.append((entitlement, None, " ".join(exc.messages)))
    return preview


def review_get(*, user: Any, pk: int) -> Review:
    return get_object_or_404(
        policy.scope(user, Review.objects.select_related("household__area")), pk=pk
    )


def entitlement_get(*, user: Any, pk: int) -> Entitlement:
    return get_object_or_404(
        policy.scope(
            user,
            Entitlement.objects.select_related("person", "area", "household", "application"),
        ),
        pk=pk,
    )


def entitlement_list(*, user: Any, program: str = "", status: str = "") -> QuerySet[Entitlement]:
    rows = policy.scope(user, Entitlement.objects.select_related("person", "area"))
    if program:
        rows = rows.filter(program=program)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-id")


# ---- what the payroll reads: one selector per program, set-based


def monthly_rows(*, user: Any, program: str, month: datetime.date) -> QuerySet[Any]:
    """(person_id, program, month, amount) of everyone `program` pays for `month`, as one
    query: the amount is that of the period covering the month; a month after the last
    month, from a suspension on, or in a gap left by a suspension, is not paid."""
    period = EntitlementPeriod.objects.filter(
        entitlement=OuterRef("pk"), valid_from__lte=month
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
    rows = (
        policy.scope(user, Entitlement.objects.filter(program=program))
        .filter(start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .exclude(status=Entitlement.Status.SUSPENDED, suspended_from__lte=month)
        .exclude(status=Entitlement.Status.STOPPED, end_month__isnull=True)
        .annotate(
            amount=Subquery(period.order_by("-valid_from").values("monthly_amount")[:1]),
            month=Value(month),
        )
        .filter(amount__isnull=False)
        .values("person_id", "program", "month", "amount")
    )
    return rows


def dibao_rows(*, user: Any, month: datetime.date) -> QuerySet[Any]:
    return monthly_rows(user=user, program=Program.DIBAO, month=month)


# ---- figures


@dataclass(frozen=True)
class ProgramFigure:
    program: str
    label: str
    people: int
    monthly_total: Decimal


def program_figures(*, user: Any, month: datetime.date | None = None) -> dict[str, Any]:
    """What the annual report asks of relief, for the user's areas."""
    month = month or first_of_month(timezone.localdate())
    figures = []
    for program in Program:
        rows = monthly_rows(user=user, program=program, month=month)
        agg = rows.aggregate(people=Count("person_id"), total=Coalesce(Sum("amount"), ZERO))
        figures.append(ProgramFigure(program, str(program.label), agg["people"], agg["total"]))
    ep_modes = (
        policy.scope(
            user,
            Entitlement.objects.filter(program=Program.EXTREME_POVERTY).exclude(
                status=Entitlement.Status.STOPPED
            ),
        )
        .values("basis__support_mode")
        .annotate(n=Count("id"))
    )
    modes = {row["basis__support_mode"]: row["n"] for row in ep_modes}
    ep_total = sum(modes.values())
    year = month.year
    aid = policy.scope(user, MedicalAid.objects.filter(treated_on__year=year)).aggregate(
        times=Count("id"), amount=Coalesce(Sum("aid_amount"), ZERO)
    )
    temporary = policy.scope(
        user,
        Application.objects.filter(
            program=Application.Kind.TEMPORARY,
            status=Application.Status.IN_PAYMENT,
            approved_at__year=year,
        ),
    ).aggregate(times=Count("id"), amount=Coalesce(Sum("approved_amount"), ZERO))
    homeless = policy.scope(user, HomelessCase.objects.filter(found_on__year=year)).count()
    return {
        "month": month,
        "programs": figures,
        "ep_centralised": modes.get(Application.SupportMode.CENTRALISED, 0),
        "ep_total": ep_total,
        "ep_centralised_share": (
            Decimal(modes.get(Application.SupportMode.CENTRALISED, 0) * 100 / ep_total).quantize(
                Decimal("0.1")
            )
            if ep_total
            else None
        ),
        "medical_aid_times": aid["times"],
        "medical_aid_amount": aid["amount"],
        "temporary_times": temporary["times"],
        "temporary_amount": temporary["amount"],
        "homeless_cases": homeless,
        "year": year,
    }


def homeless_cases(*, user: Any, open_only: bool = False) -> QuerySet[HomelessCase]:
    rows = policy.scope(user, HomelessCase.objects.select_related("area", "zone"))
    if open_only:
        rows = rows.filter(status__in=HomelessCase.OPEN)
    return rows.order_by("-found_on", "-id")


def homeless_case_get(*, user: Any, pk: int) -> HomelessCase:
    return get_object_or_404(
        policy.scope(user, HomelessCase.objects.select_related("area", "zone", "person")), pk=pk
    )


def patrol_zones(*, user: Any) -> QuerySet[PatrolZone]:
    return policy.scope(user, PatrolZone.objects.select_related("area")).order_by(
        "area__code", "name"
    )


def medical_aid_list(*, user: Any) -> QuerySet[MedicalAid]:
    return policy.scope(user, MedicalAid.objects.select_related("person", "household__area"))
