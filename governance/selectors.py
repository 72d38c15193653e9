"""Reads of governance, always through the access policy; the report's figures."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area

from .models import (
    CancelledCertificate,
    CertificateRequest,
    Committee,
    Deliberation,
    Disclosure,
    ListItem,
    Member,
    Sex,
    Vacancy,
    VillageRules,
)


def villages(*, user: Any, area: Area | None = None) -> QuerySet[Area]:
    rows = policy.scope(user, Area.objects.filter(level=Area.Level.VILLAGE))
    return rows.filter(code__startswith=area.code) if area is not None else rows


def committees(*, user: Any, current: bool = True) -> QuerySet[Committee]:
    rows = policy.scope(user, Committee.objects.select_related("area", "parent"))
    rows = rows.prefetch_related(
        Prefetch("members", queryset=Member.objects.filter(left_on__isnull=True))
    )
    return rows.filter(dissolved_on__isnull=True) if current else rows


def committee_get(*, user: Any, pk: int) -> Committee:
    return get_object_or_404(
        policy.scope(user, Committee.objects.select_related("area", "parent")), pk=pk
    )


def member_get(*, user: Any, pk: int) -> Member:
    return get_object_or_404(policy.scope(user, Member.objects.select_related("committee")), pk=pk)


def without_women(*, user: Any) -> QuerySet[Committee]:
    """Current villagers' and residents' committees with no woman among their members."""
    woman = Member.objects.filter(committee=OuterRef("pk"), left_on__isnull=True, sex=Sex.FEMALE)
    return committees(user=user).filter(kind__in=Committee.MAIN).exclude(Exists(woman))


def vacancies(*, user: Any, pending: bool = True) -> QuerySet[Vacancy]:
    rows = policy.scope(user, Vacancy.objects.select_related("committee__area", "former"))
    return rows.filter(status__in=Vacancy.PENDING) if pending else rows


def vacancy_get(*, user: Any, pk: int) -> Vacancy:
    return get_object_or_404(vacancies(user=user, pending=False), pk=pk)


def _has_committee(kind: str, on: datetime.date) -> Exists:
    return Exists(
        Committee.objects.filter(area=OuterRef("pk"), kind=kind, elected_on__lte=on).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=on)
        )
    )


def villages_lacking(
    *, user: Any, kind: str = Committee.Kind.PUBLIC_HEALTH, on: datetime.date | None = None
) -> QuerySet[Area]:
    """Villages and communities with no committee of `kind` on `on` (today by default)."""
    on = on or timezone.localdate()
    return villages(user=user).exclude(_has_committee(kind, on)).select_related("parent")


def list_items(*, user: Any, kind: str = "") -> QuerySet[ListItem]:
    rows = policy.scope_up(user, ListItem.objects.select_related("area"))
    return rows.filter(kind=kind) if kind else rows


def cancelled_certificates(*, user: Any) -> QuerySet[CancelledCertificate]:
    return policy.scope_up(user, CancelledCertificate.objects.select_related("area"))


def certificate_requests(*, user: Any) -> QuerySet[CertificateRequest]:
    return policy.scope(user, CertificateRequest.objects.select_related("area", "cancelled"))


def rules(*, user: Any) -> QuerySet[VillageRules]:
    return policy.scope(user, VillageRules.objects.select_related("area"))


def rules_get(*, user: Any, pk: int) -> VillageRules:
    return get_object_or_404(rules(user=user), pk=pk)


def current_rules(*, user: Any) -> list[tuple[Area, VillageRules | None]]:
    """Every village and community of the user's with the version of its rules in force."""
    in_force = {r.area_id: r for r in rules(user=user).filter(status=VillageRules.Status.IN_FORCE)}
    return [(v, in_force.get(v.pk)) for v in villages(user=user).select_related("parent")]


def deliberations(*, user: Any) -> QuerySet[Deliberation]:
    return policy.scope(user, Deliberation.objects.select_related("area")).prefetch_related("steps")


def deliberation_get(*, user: Any, pk: int) -> Deliberation:
    return get_object_or_404(deliberations(user=user), pk=pk)


def disclosures(*, user: Any, year: int | None = None) -> QuerySet[Disclosure]:
    rows = policy.scope(user, Disclosure.objects.select_related("area"))
    return rows.filter(period_start__year=year) if year else rows


def disclosure_get(*, user: Any, pk: int) -> Disclosure:
    return get_object_or_404(disclosures(user=user), pk=pk)


def overdue_disclosures(*, user: Any, on: datetime.date | None = None) -> QuerySet[Disclosure]:
    on = on or timezone.localdate()
    return disclosures(user=user).filter(due_on__lt=on, disclosed_on__isnull=True)


# ---- the report's figures: (*, user, area, period) -> int | Decimal | None


def figure_certificates_cancelled(*, user: Any, area: Area, period: Any) -> int | None:
    rows = policy.scope(user, CancelledCertificate.objects.all()).filter(
        area__code__startswith=area.code,
        status=CancelledCertificate.Status.CANCELLED,
        cancelled_on__gte=period.first,
        cancelled_on__lte=period.end_day,
    )
    return rows.count()


def figure_public_health_committees(*, user: Any, area: Area, period: Any) -> int | None:
    on = period.end_day
    return (
        villages(user=user, area=area)
        .filter(_has_committee(Committee.Kind.PUBLIC_HEALTH, on))
        .count()
    )


def figure_public_health_coverage(*, user: Any, area: Area, period: Any) -> Decimal | None:
    total = villages(user=user, area=area).count()
    if not total:
        return None
    covered = figure_public_health_committees(user=user, area=area, period=period) or 0
    return (Decimal(covered) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
