"""Reads of the funeral app, always through the access policy; the report's figures."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import figures

from .models import (
    AgencyInspection,
    Boundary,
    BoundaryInspection,
    Cemetery,
    CorrectionTask,
    Death,
    DivorceApplication,
    EntryChange,
    Kinship,
    Marriage,
    MarriageAgency,
    MarriageRefusal,
    NamingDecision,
    PlaceName,
    TombSweepingPlan,
)

M = TypeVar("M", bound=models.Model)


def rows(user: Any, queryset: QuerySet[M], action: str) -> QuerySet[M]:
    """The rows of a list page: the role must allow `action` somewhere (403 otherwise); the
    rows are those in the user's areas where their role allows it."""
    policy.require(user, action)
    return policy.scope(user, queryset, action)


def one(user: Any, queryset: QuerySet[M], action: str, pk: int) -> M:
    """One row: 404 outside the user's areas, 403 where the role may not read it."""
    obj = get_object_or_404(policy.scope(user, queryset), pk=pk)
    policy.require(user, action, obj)
    return obj


# ---- funerals


def deaths(*, user: Any, query: str = "") -> QuerySet[Death]:
    found = rows(
        user, Death.objects.select_related("area", "sent_list", "fee_waiver"), "funeral.view"
    )
    query = query.strip()
    if query:
        found = found.filter(Q(id_number=query.upper()) | Q(name__startswith=query))
    return found


def death_get(*, user: Any, pk: int) -> Death:
    return one(
        user, Death.objects.select_related("area", "person", "sent_list"), "funeral.view", pk
    )


def deaths_unsent(*, user: Any) -> QuerySet[Death]:
    return deaths(user=user).filter(sent_list__isnull=True)


def cemeteries(*, user: Any) -> QuerySet[Cemetery]:
    return rows(user, Cemetery.objects.select_related("area"), "funeral.view")


def cemetery_get(*, user: Any, pk: int) -> Cemetery:
    return one(user, Cemetery.objects.select_related("area"), "funeral.view", pk)


def plans(*, user: Any) -> QuerySet[TombSweepingPlan]:
    return rows(user, TombSweepingPlan.objects.select_related("area"), "funeral.view")


# ---- marriage


def marriages(*, user: Any, query: str = "") -> QuerySet[Marriage]:
    found = rows(user, Marriage.objects.select_related("area"), "marriage.view")
    query = query.strip()
    if query:
        found = found.filter(
            Q(party_a_id_number=query.upper())
            | Q(party_b_id_number=query.upper())
            | Q(party_a_name__startswith=query)
            | Q(party_b_name__startswith=query)
            | Q(certificate_no=query)
        )
    return found


def marriage_get(*, user: Any, pk: int) -> Marriage:
    return one(user, Marriage.objects.select_related("area"), "marriage.view", pk)


def refusals(*, user: Any) -> QuerySet[MarriageRefusal]:
    return rows(user, MarriageRefusal.objects.select_related("area"), "marriage.view")


def divorces(*, user: Any) -> QuerySet[DivorceApplication]:
    return rows(
        user, DivorceApplication.objects.select_related("marriage", "area"), "marriage.view"
    )


# how close to its last day a pending divorce application is listed as near lapse: the
# registrar has a week to call the couple (not a legal period; the periods are standards)
NEAR_LAPSE_DAYS = 7


def divorces_near_lapse(
    *, user: Any, day: datetime.date | None = None
) -> QuerySet[DivorceApplication]:
    """Pending applications whose cooling-off has ended and whose last day to apply for the
    certificate is within NEAR_LAPSE_DAYS: past that day they are deemed withdrawn."""
    day = day or timezone.localdate()
    return divorces(user=user).filter(
        status=DivorceApplication.Status.PENDING,
        cooling_off_ends__lte=day,
        certificate_by__gte=day,
        certificate_by__lte=day + datetime.timedelta(days=NEAR_LAPSE_DAYS),
    )


def divorce_get(*, user: Any, pk: int) -> DivorceApplication:
    return one(user, DivorceApplication.objects.select_related("marriage"), "marriage.view", pk)


def kinships(*, user: Any) -> QuerySet[Kinship]:
    return rows(user, Kinship.objects.all(), "marriage.view")


def agencies(*, user: Any) -> QuerySet[MarriageAgency]:
    return rows(user, MarriageAgency.objects.select_related("area"), "agency.view")


def agency_get(*, user: Any, pk: int) -> MarriageAgency:
    return one(user, MarriageAgency.objects.select_related("area"), "agency.view", pk)


def agency_inspections(*, user: Any) -> QuerySet[AgencyInspection]:
    return rows(user, AgencyInspection.objects.select_related("agency"), "agency.view")


# ---- place names


def place_names(*, user: Any, query: str = "", kind: str = "") -> QuerySet[PlaceName]:
    found = rows(user, PlaceName.objects.select_related("area"), "placename.view")
    query = query.strip()
    if query:
        found = found.filter(Q(name__contains=query) | Q(pinyin__icontains=query))
    if kind:
        found = found.filter(kind=kind)
    return found


def place_name_get(*, user: Any, pk: int) -> PlaceName:
    return one(user, PlaceName.objects.select_related("area"), "placename.view", pk)


def naming_decisions(*, user: Any) -> QuerySet[NamingDecision]:
    return rows(user, NamingDecision.objects.select_related("area", "place"), "placename.view")


def naming_get(*, user: Any, pk: int) -> NamingDecision:
    return one(user, NamingDecision.objects.select_related("area", "place"), "placename.view", pk)


def corrections(*, user: Any) -> QuerySet[CorrectionTask]:
    return rows(user, CorrectionTask.objects.select_related("area", "place"), "placename.view")


def correction_get(*, user: Any, pk: int) -> CorrectionTask:
    return one(user, CorrectionTask.objects.select_related("area"), "placename.view", pk)


def entry_changes(*, user: Any) -> QuerySet[EntryChange]:
    return rows(user, EntryChange.objects.select_related("area"), "placename.view")


def boundaries(*, user: Any) -> QuerySet[Boundary]:
    return rows(user, Boundary.objects.select_related("area"), "placename.view")


def boundary_get(*, user: Any, pk: int) -> Boundary:
    return one(user, Boundary.objects.select_related("area"), "placename.view", pk)


def boundary_inspections(*, user: Any) -> QuerySet[BoundaryInspection]:
    return rows(user, BoundaryInspection.objects.select_related("boundary"), "placename.view")


# ---- the report's figures (civil_affairs/dashboard/figures.py)


def _dated(
    user: Any,
    queryset: QuerySet[M],
    area: Area,
    period: figures.Period,
    date_field: str,
    **counted: Any,
) -> int | None:
    """How many rows (those matching `counted`) are dated in the period, in the area; None when
    the area has no row at all (the portal holds no data for it)."""
    found = policy.within(policy.scope(user, queryset), area)
    if not found.exists():
        return None
    return found.filter(
        **counted, **{f"{date_field}__gte": period.first, f"{date_field}__lte": period.end_day}
    ).count()


def figure_place_names_corrected(*, user: Any, area: Area, period: figures.Period) -> int | None:
    return _dated(
        user,
        CorrectionTask.objects.all(),
        area,
        period,
        "corrected_on",
        status=CorrectionTask.Status.CORRECTED,
    )


def figure_entries_changed(*, user: Any, area: Area, period: figures.Period) -> int | None:
    return _dated(user, EntryChange.objects.all(), area, period, "effective_on")


def figure_boundaries_inspected(*, user: Any, area: Area, period: figures.Period) -> int | None:
    if not policy.within(policy.scope(user, Boundary.objects.all()), area).exists():
        return None
    return (
        policy.within(policy.scope(user, BoundaryInspection.objects.all()), area)
        .filter(inspected_on__gte=period.first, inspected_on__lte=period.end_day)
        .values("boundary")
        .distinct()
        .count()
    )


def figure_cremations(*, user: Any, area: Area, period: figures.Period) -> int | None:
    return _dated(
        user, Death.objects.all(), area, period, "handled_on", disposal=Death.Disposal.CREMATION
    )


def _url(name: str) -> Any:
    def build(area: Area, period: figures.Period) -> str:
        return (
            reverse(f"funeral:{name}")
            + f"?area={area.code}&from={period.first:%Y-%m-%d}&to={period.end_day:%Y-%m-%d}"
        )

    return build


def register_figures() -> None:
    figures.register(
        figures.Figure(
            key="funeral.place_names_corrected",
            label=_("Place names corrected"),
            definition=_(
                "Correction tasks of the place-name database marked corrected with a "
                "correction date in the period, in the area."
            ),
            unit=figures.Unit.COUNT,
            compute=figure_place_names_corrected,
            records_url=_url("corrections"),
            section="四",
        )
    )
    figures.register(
        figures.Figure(
            key="funeral.entries_changed",
            label=_("Village and community entries added or changed"),
            definition=_(
                "Village or community entries of the register of divisions added or changed, "
                "effective in the period, in the area."
            ),
            unit=figures.Unit.COUNT,
            compute=figure_entries_changed,
            records_url=_url("entries"),
            section="四",
        )
    )
    figures.register(
        figures.Figure(
            key="funeral.boundaries_inspected",
            label=_("Boundaries jointly inspected"),
            definition=_(
                "Administrative boundaries kept by the area with at least one joint "
                "inspection dated in the period (each boundary counted once)."
            ),
            unit=figures.Unit.COUNT,
            compute=figure_boundaries_inspected,
            records_url=_url("boundaries"),
            section="四",
        )
    )
    figures.register(
        figures.Figure(
            key="funeral.cremations",
            label=_("Cremations"),
            definition=_(
                "Deaths handled by cremation with a handling date in the period, of people "
                "who lived in the area."
            ),
            unit=figures.Unit.COUNT,
            compute=figure_cremations,
            records_url=_url("deaths"),
            section="四",
        )
    )
