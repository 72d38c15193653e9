"""Reads of the cross-check app, always through the access policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Now
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civil_affairs import benefits
from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.months import first_of_month
from civil_affairs.core.validators import clean_id_number
from civil_affairs.payments.models import program_label as payments_program_label

from . import consequences
from .kinds import default_mapping, field_label
from .models import (
    Action,
    ColumnMapping,
    ExternalList,
    ListRow,
    MatchRun,
    RejectedRow,
    Warning,
)

ONE_DAY = datetime.timedelta(days=1)


def _overdue() -> Q:
    """Open, and older than its rule's number of days."""
    deadline = ExpressionWrapper(
        Now() - F("rule__escalate_after_days") * ONE_DAY, output_field=DurationField()
    )
    return Q(status=Warning.Status.OPEN, created_at__lt=deadline)


@dataclass(frozen=True)
class QueueFilter:
    status: str = Warning.Status.OPEN
    kind: str = ""
    severity: str = ""
    min_age_days: int | None = None
    overdue: bool = False
    area: str = ""  # an area code: that area and below
    q: str = ""  # a name prefix or a whole ID number
    mine: bool = False  # only warnings on households the user is the caseworker of


def warning_queue(*, user: Any, filters: QueueFilter | None = None) -> QuerySet[Warning]:
    """The warnings the user may see, filtered, oldest first among the most severe."""
    f = filters or QueueFilter()
    warnings = policy.scope(
        user,
        Warning.objects.select_related("rule", "person", "subject", "area", "list_row__list"),
    )
    if f.status:
        warnings = warnings.filter(status=f.status)
    if f.kind:
        warnings = warnings.filter(kind=f.kind)
    if f.severity:
        warnings = warnings.filter(severity=f.severity)
    if f.min_age_days is not None:
        warnings = warnings.filter(
            created_at__lte=timezone.now() - datetime.timedelta(days=f.min_age_days)
        )
    if f.overdue:
        warnings = warnings.filter(_overdue())
    if f.area:
        warnings = warnings.filter(area__in=Area.objects.within(f.area))
    if f.q.strip():
        try:
            warnings = warnings.filter(person__id_number=clean_id_number(f.q))
        except ValidationError:
            warnings = warnings.filter(person__name__startswith=f.q.strip())
    if f.mine:
        mine = Q(pk__in=[])
        for people in benefits.caseworker_people(user):
            mine |= Q(person_id__in=people)
        warnings = warnings.filter(mine)
    severity_order = {"high": 0, "medium": 1, "low": 2}
    return warnings.annotate(
        severity_rank=Case(
            *[When(severity=k, then=Value(v)) for k, v in severity_order.items()],
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("severity_rank", "created_at", "id")


def warning_get(*, user: Any, pk: int) -> Warning:
    return get_object_or_404(
        policy.scope(
            user,
            Warning.objects.select_related(
                "rule", "person__area", "subject", "area", "list_row__list__area", "resolved_by"
            ),
        ),
        pk=pk,
    )


def identical_open(*, user: Any, warning: Warning) -> QuerySet[Warning]:
    """The other open warnings with the same evidence (same rule, same record) the user sees."""
    others = policy.scope(user, Warning.objects.select_related("person", "area")).filter(
        status=Warning.Status.OPEN, rule_id=warning.rule_id
    )
    if warning.list_row_id is not None:
        others = others.filter(list_row_id=warning.list_row_id)
    else:
        others = others.filter(list_row__isnull=True, evidence_key=warning.evidence_key)
    return others.exclude(pk=warning.pk).order_by("pk")


def warning_group(*, user: Any, warning: Warning, also_identical: bool) -> list[Warning]:
    """The warning, and with `also_identical` the other open ones with the same evidence."""
    others = list(identical_open(user=user, warning=warning)) if also_identical else []
    return [warning, *others]


def warnings_by_ids(*, user: Any, ids: list[int]) -> list[Warning]:
    return list(policy.scope(user, Warning.objects.all()).filter(pk__in=ids))


@dataclass(frozen=True)
class BenefitRow:
    benefit: benefits.Benefit
    area_name: str


@dataclass(frozen=True)
class HouseholdRow:
    household: benefits.Household
    members: list[benefits.Member]  # empty when the user may not see them
    elsewhere: bool  # registered outside the user's areas


@dataclass
class CaseView:
    """The case side of a warning: the beneficiary's benefits in every app, their households
    and payments.

    Everything about the warned person is shown, wherever in the county it is paid: a
    caseworker cannot resolve "paid twice" without seeing both payments. Their household's
    members are other people, shown only to a user whose areas include that household;
    otherwise `elsewhere` says where it is registered."""

    benefits: list[BenefitRow]
    affected: list[BenefitRow]
    households: list[HouseholdRow]
    payments: list[Any]


def warning_case(*, user: Any, warning: Warning) -> CaseView:
    found = benefits.open_benefits([warning.person_id])
    names = dict(Area.objects.filter(pk__in={b.area_id for b in found}).values_list("pk", "name"))
    rows = [BenefitRow(benefit=b, area_name=names.get(b.area_id, "")) for b in found]
    affected = {b.ref for b in consequences.affected_benefits(warning, among=found)}
    households = []
    for household in benefits.households_of(warning.person_id):
        elsewhere = not policy.may(user, household.view_action, area=household.area)
        households.append(
            HouseholdRow(
                household=household,
                members=[] if elsewhere else household.members,
                elsewhere=elsewhere,
            )
        )
    return CaseView(
        benefits=rows,
        affected=[row for row in rows if row.benefit.ref in affected],
        households=households,
        payments=_recent_payments(warning),
    )


def _recent_payments(warning: Warning) -> list[Any]:
    """The beneficiary's payments from the suggested month on (those a confirmation would
    turn into overpayments)."""
    from civil_affairs.payments.models import Payment

    since = warning.suggested_month or first_of_month(timezone.localdate())
    return list(  # each has its program_label (payments')
        Payment.objects.filter(person_id=warning.person_id, month__gte=since).order_by(
            "month", "program"
        )[:36]
    )


def overpayments_of(warning: Warning) -> list[dict[str, Any]]:
    """What confirming the warning listed for recovery, with the programs' names."""
    return [
        {**o, "program_label": payments_program_label(o.get("program") or "")}
        for o in warning.outcome.get("overpayments", [])
    ]


def changes_of(warning: Warning) -> list[dict[str, Any]]:
    """What confirming the warning changed, benefit by benefit, with the programs' names."""
    actions = dict(Action.choices)
    return [
        {
            **c,
            "program_label": payments_program_label(c.get("program") or ""),
            "action_label": actions.get(c.get("action") or "", c.get("action") or ""),
        }
        for c in warning.outcome.get("benefits", [])
    ]


def open_warning_count(*, user: Any) -> int:
    return policy.scope(user, Warning.objects.filter(status=Warning.Status.OPEN)).count()


def overdue_summary(*, user: Any) -> list[dict[str, Any]]:
    """Overdue warnings per area, for the supervisors' panel on the home page."""
    rows = (
        policy.scope(user, Warning.objects.all())
        .filter(_overdue())
        .values("area__code", "area__name")
        .annotate(count=Count("id"))
        .order_by("area__code")
    )
    return [dict(row) for row in rows]


# ---- lists and runs ------------------------------------------------------------------------


def list_list(*, user: Any) -> QuerySet[ExternalList]:
    return policy.scope(user, ExternalList.objects.select_related("area", "uploaded_by"))


def list_get(*, user: Any, pk: int) -> ExternalList:
    return get_object_or_404(list_list(user=user), pk=pk)


def rejected_rows(*, external_list: ExternalList) -> QuerySet[RejectedRow]:
    return RejectedRow.objects.filter(list=external_list).order_by("row_number", "pk")


def run_list(*, user: Any) -> QuerySet[MatchRun]:
    return policy.scope(user, MatchRun.objects.select_related("area", "started_by"))


def run_get(*, user: Any, pk: int) -> MatchRun:
    return get_object_or_404(run_list(user=user), pk=pk)


def mapping_for(kind: str) -> tuple[dict[str, str], str]:
    """The saved column mapping of a kind (else the usual headings) and its delimiter."""
    saved = ColumnMapping.objects.filter(kind=kind).first()
    if saved is None:
        return default_mapping(kind), ","
    return {**default_mapping(kind), **saved.columns}, saved.delimiter  # saved blanks stay blank


def areas_for(*, user: Any, action: str) -> QuerySet[Area]:
    """The areas in which the user may do `action` (for the area field of forms)."""
    return policy.scope(user, Area.objects.all(), action)


@dataclass(frozen=True)
class ListHit:
    """A row of a loaded list that names a member of a household."""

    member: Any  # HouseholdMember
    row: Any  # ListRow, with its list
    facts: list[tuple[str, str]]  # (label, value) of the row's fields but the ID number


def household_hits(*, user: Any, household: Any) -> list[ListHit]:
    """What the loaded lists say about a household's members, newest list first: the evidence
    for an application's cross-check step. One scan of the lists' rows by ID number (the
    partitions have no index on it: a few hundred milliseconds for several million rows)."""
    policy.require(user, "household.view", household)
    members = {m.person.id_number: m for m in household.members.select_related("person")}
    if not members:
        return []
    rows = (
        ListRow.objects.filter(id_number__in=list(members), list__status=ExternalList.Status.LOADED)
        .select_related("list")
        .order_by("-list__valid_on", "list_id", "id")
    )
    hits = []
    for row in rows:
        kind = row.list.kind
        facts = [
            (str(field_label(kind, name)), str(getattr(row, name)))
            for name in ("event_date", "value", "detail")
            if getattr(row, name)
        ]
        hits.append(ListHit(member=members[row.id_number], row=row, facts=facts))
    return hits
