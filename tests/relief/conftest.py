"""Relief fixtures: county-wide standards, households made through the services, and a helper
that walks an application through the case flow."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone, translation

from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.standards.models import Standard
from relief import services
from relief.models import Application, Household
from relief.standards import Kind
from tests.factories import next_id_number

K = Kind
SINCE = datetime.date(2020, 1, 1)

# (kind, variant, value): what the tests' county has decided
COUNTY_STANDARDS = [
    (K.DIBAO, "urban", "800"),
    (K.DIBAO, "rural", "760"),
    (K.ASSET_DEPOSITS, "", "20000"),
    (K.ASSET_VEHICLES, "", "0"),
    (K.ASSET_HOMES, "", "1"),
    (K.EP_MULTIPLE, "", "1.3"),
    (K.EP_CARE, "full", "100"),
    (K.EP_CARE, "partial", "300"),
    (K.EP_CARE, "none", "600"),
    (K.DISABILITY_LIVING, "", "90"),
    (K.DISABILITY_CARE, "1", "120"),
    (K.DISABILITY_CARE, "2", "100"),
    (K.TEMP_TOWNSHIP_LIMIT, "", "3000"),
    (K.NOTICE_DAYS, "", "7"),
    (K.DECISION_DAYS, "normal", "30"),
    (K.DECISION_DAYS, "special", "45"),
    (K.GRADUAL_EXIT_MONTHS, "", "3"),
    (K.REVIEW_MONTHS, "A", "12"),
    (K.REVIEW_MONTHS, "B", "6"),
    (K.REVIEW_MONTHS, "C", "3"),
    (K.INCOME_REFERENCE_MONTHS, "", "12"),
    (K.DIBAO_EDGE_MULTIPLE, "", "1.5"),
    (K.EP_ELDERLY_AGE, "", "60"),
    (K.EP_CHILD_AGE, "", "16"),
    (K.EP_SCHOOL_AGE, "", "18"),
    # the national list of disabilities that leave no work capacity
    *((K.EP_DISABILITY, f"{t}:{g}", "1") for t in ("intellectual", "mental") for g in (1, 2, 3)),
    (K.EP_DISABILITY, "physical:1", "1"),
    (K.EP_DISABILITY, "physical:2", "1"),
    (K.EP_DISABILITY, "sight:1", "1"),
    # incomes the national rules do not count
    *(
        (K.INCOME_NOT_COUNTED, kind, "1")
        for kind in ("youfu", "awards", "assistance", "disability_subsidy", "old_age_allowance")
    ),
]


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    """Service messages in English, so tests can match them (pages pick their language per
    request, Chinese by default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploads and import error files go to a directory of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def staff(staff: SimpleNamespace, areas: SimpleNamespace) -> SimpleNamespace:
    """The shared staff, and the disabled persons' federation (county)."""
    from civil_affairs.areas.models import Role
    from civil_affairs.areas.services import assignment_create
    from tests.factories import UserFactory

    staff.federation = UserFactory(username="federation")
    assignment_create(user=staff.federation, area=areas.county, role=Role.DISABILITY_FEDERATION)
    return staff


@pytest.fixture
def standards(areas: SimpleNamespace) -> dict[tuple[str, str], Standard]:
    rows = {
        (kind, variant): Standard.objects.create(
            kind=kind, variant=variant, area=areas.county, valid_from=SINCE, value=Decimal(value)
        )
        for kind, variant, value in COUNTY_STANDARDS
    }
    allocate_one_off_funds(areas)
    return rows


def allocate_one_off_funds(areas: SimpleNamespace, amount: str = "1000000") -> None:
    """The county's special account holds money for relief's one-off programs (what finance
    allocates through payments.services.ledger_allocate), and township A has a reserve fund
    for the year: one-off payments leave the fund as ledger entries."""
    from civil_affairs.payments.models import LedgerEntry
    from relief.models import ReserveFund
    from relief.rules import ONE_OFF_LABELS
    from tests.factories import UserFactory

    clerk = UserFactory(username="fund_allocation")
    for program in ONE_OFF_LABELS:
        LedgerEntry.objects.create(
            program=program,
            kind=LedgerEntry.Kind.ALLOCATION,
            amount=Decimal(amount),
            booked_on=SINCE,
            area=areas.county,
            reference="财社〔2026〕1号",
            created_by=clerk,
        )
    ReserveFund.objects.create(
        township=areas.a, year=timezone.localdate().year, amount=Decimal("20000")
    )


def member(
    relationship: str = "head",
    *,
    name: str = "",
    wages: str = "0",
    born: datetime.date = datetime.date(1970, 1, 1),
    **extra: Any,
) -> dict[str, Any]:
    number = extra.pop("id_number", None) or next_id_number(born)
    return {
        "id_number": number,
        "name": name or f"成员{number[-5:]}",
        "relationship": relationship,
        "income_wages": wages,
        **extra,
    }


def make_household(
    actor: Any,
    area: Any,
    *members: dict[str, Any],
    registered_type: str = "rural",
    category: str = "A",
) -> Household:
    return services.household_create(
        actor=actor,
        area=area,
        registered_type=registered_type,
        category=category,
        address="一组12号",
        members=list(members) or [member()],
    )


def head_of(household: Household) -> Any:
    return household.members.get(relationship="head").person


def this_month() -> datetime.date:
    return first_of_month(timezone.localdate())


def next_month() -> datetime.date:
    return add_months(this_month(), 1)


def _reviewer(staff: SimpleNamespace, a: Application) -> Any:
    return staff.reviewer_a if a.area.code.startswith("430922100") else staff.reviewer_b


def walk(
    application: Application, staff: SimpleNamespace, until: str, *, caseworker: Any = None
) -> Application:
    """Take an application along its path (relief.services.path) until it reaches `until`:
    the notice starts ten days ago, so it has ended when it is closed."""
    worker = caseworker or staff.caseworker_a
    today = timezone.localdate()
    S = Application.Status  # noqa: N806
    moves = {
        S.ACCEPTED: lambda a: services.application_accept(
            actor=worker, application=a, finance_check_authorised=True
        ),
        S.VISITED: lambda a: services.application_record_visit(
            actor=worker,
            application=a,
            visited_on=a.applied_on,
            visitors="张敏、村干部王五",
            findings="家中无劳动力，收入如实。",
        ),
        S.CROSSCHECK_REQUESTED: lambda a: services.application_request_crosscheck(
            actor=worker, application=a
        ),
        S.CROSSCHECK_CLEARED: lambda a: services.application_clear_crosscheck(
            actor=worker, application=a, result="未发现车辆、房产、工商登记。"
        ),
        S.SUBMITTED: lambda a: services.application_submit(actor=worker, application=a),
        S.REVIEWED: lambda a: services.application_review(
            actor=_reviewer(staff, a), application=a, opinion="同意"
        ),
        S.IN_NOTICE: lambda a: services.application_start_notice(
            actor=worker, application=a, start=today - datetime.timedelta(days=10)
        ),
        S.NOTICE_ENDED: lambda a: services.application_close_notice(actor=worker, application=a),
        S.GRADE_CONFIRMED: lambda a: services.application_confirm_grade(
            actor=staff.federation,
            application=a,
            grade=a.household.members.get(person=a.person).disability_grade or 1,
            disability_type=a.household.members.get(person=a.person).disability_type or "physical",
        ),
        S.APPROVED: lambda a: services.application_approve(actor=staff.approver, application=a),
    }
    steps = services.path(application)
    while application.status != until:
        position = steps.index(application.status)
        target = steps[position + 1]
        moves[target](application)
        application.refresh_from_db()
        if target == S.APPROVED:
            break
    assert application.status == until, application.status
    return application


def assess(staff: SimpleNamespace, household: Household, *, failed: int, who: Any = None) -> Any:
    """A six-activity assessment of the head (or `who`) with `failed` activities not done
    unaided."""
    activities = ("eating", "dressing", "transfer", "toilet", "walking", "bathing")
    target = who or household.members.get(relationship="head")
    worker = (
        staff.caseworker_a if household.area.code.startswith("430922100") else staff.caseworker_b
    )
    return services.self_care_assess(
        actor=worker,
        member=target,
        assessed_on=timezone.localdate(),
        **{a: i >= failed for i, a in enumerate(activities)},
    )


def apply_for(
    actor: Any, household: Household, program: str = "dibao", person: Any = None, **kwargs: Any
) -> Application:
    return services.application_create(
        actor=actor,
        household=household,
        person_id=(person or head_of(household)).pk,
        program=program,
        applied_on=timezone.localdate() - datetime.timedelta(days=20),
        **kwargs,
    )
