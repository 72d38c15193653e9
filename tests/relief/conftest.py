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
def standards(areas: SimpleNamespace) -> dict[tuple[str, str], Standard]:
    return {
        (kind, variant): Standard.objects.create(
            kind=kind, variant=variant, area=areas.county, valid_from=SINCE, value=Decimal(value)
        )
        for kind, variant, value in COUNTY_STANDARDS
    }


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


def walk(
    application: Application, staff: SimpleNamespace, until: str, *, caseworker: Any = None
) -> Application:
    """Take an application through the steps until it reaches `until`."""
    worker = caseworker or staff.caseworker_a
    today = timezone.localdate()
    steps = [
        (
            Application.Status.ACCEPTED,
            lambda a: services.application_accept(actor=worker, application=a),
        ),
        (
            Application.Status.VISITED,
            lambda a: services.application_record_visit(
                actor=worker,
                application=a,
                visited_on=a.applied_on,
                visitors="张敏、村干部王五",
                findings="家中无劳动力，收入如实。",
            ),
        ),
        (
            Application.Status.CROSSCHECK_REQUESTED,
            lambda a: services.application_request_crosscheck(actor=worker, application=a),
        ),
        (
            Application.Status.CROSSCHECK_CLEARED,
            lambda a: services.application_clear_crosscheck(
                actor=worker, application=a, result="未发现车辆、房产、工商登记。"
            ),
        ),
        (
            Application.Status.IN_NOTICE,
            lambda a: services.application_start_notice(
                actor=worker, application=a, start=today - datetime.timedelta(days=10)
            ),
        ),
        (
            Application.Status.SUBMITTED,
            lambda a: services.application_submit(actor=worker, application=a),
        ),
        (
            Application.Status.REVIEWED,
            lambda a: services.application_review(
                actor=staff.reviewer_a
                if a.household.area.code.startswith("430922100")
                else staff.reviewer_b,
                application=a,
                opinion="同意",
            ),
        ),
        (
            Application.Status.IN_PAYMENT,
            lambda a: services.application_approve(actor=staff.approver, application=a),
        ),
    ]
    if application.program == Application.Kind.TEMPORARY:
        steps = [
            s
            for s in steps
            if s[0] not in ("crosscheck_requested", "crosscheck_cleared", "in_notice")
        ]
    for _status, step in steps:
        if application.status == until:
            break
        step(application)
        application.refresh_from_db()
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
