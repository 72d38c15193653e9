"""Case flow, amounts and refusals, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.areas.models import Role
from civil_affairs.areas.services import assignment_create
from civil_affairs.core.models import StatusChange
from relief import services
from relief.models import (
    Application,
    ApprovalDelegation,
    Entitlement,
    Household,
    HouseholdMember,
)
from tests.relief.conftest import (
    apply_for,
    assess,
    head_of,
    make_household,
    member,
    next_month,
    walk,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def three_member_household(staff, areas, total_income="900"):
    return make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages=total_income),
        member("spouse"),
        member("child", born=datetime.date(2012, 5, 5)),
    )


# ---- the example


def test_dibao_3_members_income_900_standard_760_is_1380(staff, areas, standards):
    household = three_member_household(staff, areas)
    application = walk(apply_for(staff.caseworker_a, household), staff, S.IN_PAYMENT)
    entitlement = Entitlement.objects.get(application=application)
    assert entitlement.monthly_amount == Decimal("1380.00")
    assert entitlement.program == "dibao"
    assert entitlement.household == household
    assert entitlement.person == head_of(household)
    assert entitlement.start_month == next_month()
    assert entitlement.standard == standards[("dibao", "rural")]
    assert entitlement.basis["standard"] == "760.00"
    assert Decimal(entitlement.basis["income_per_member"]) == Decimal("300")
    assert entitlement.basis["members_covered"] == 3
    [period] = entitlement.periods.all()
    assert (period.valid_from, period.valid_to, period.monthly_amount) == (
        next_month(),
        None,
        Decimal("1380.00"),
    )
    assert application.approved_amount == Decimal("1380.00")


def test_income_above_standard_gives_no_entitlement(staff, areas, standards):
    household = three_member_household(staff, areas, total_income="2400")  # 800 a head
    application = walk(apply_for(staff.caseworker_a, household), staff, S.SUBMITTED)
    # the township's first opinion proposes the amount the rules give: none
    with pytest.raises(ValidationError, match="not below the dibao standard"):
        services.application_review(actor=staff.reviewer_a, application=application)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert not Entitlement.objects.exists()


def test_asset_test_refuses_a_car(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head", vehicles="1"))
    application = walk(apply_for(staff.caseworker_a, household), staff, S.SUBMITTED)
    with pytest.raises(ValidationError, match="vehicles"):
        services.application_review(actor=staff.reviewer_a, application=application)
    assert not Entitlement.objects.exists()


def test_extreme_poverty_amount_follows_the_tables(staff, areas, standards):
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", work_capacity="none", born=datetime.date(1940, 1, 1)),
    )
    assess(staff, household, failed=2)  # partial self-care
    application = walk(
        apply_for(
            staff.caseworker_a,
            household,
            program="extreme_poverty",
            support_mode="dispersed",
        ),
        staff,
        S.IN_PAYMENT,
    )
    entitlement = Entitlement.objects.get(application=application)
    assert entitlement.monthly_amount == Decimal("1288.00")  # 760 x 1.3 + 300
    assert entitlement.basis["support_mode"] == "dispersed"


def test_disability_care_subsidy_by_grade(staff, areas, standards):
    head = member("head", wages="3000")
    head["disability_certificate"] = head["id_number"] + "42"  # physical, grade 2
    household = make_household(staff.caseworker_a, areas.village_a, head)
    application = walk(
        apply_for(staff.caseworker_a, household, program="disability_care"), staff, S.IN_PAYMENT
    )
    assert Entitlement.objects.get(application=application).monthly_amount == Decimal("100.00")


def test_disability_care_refused_for_grade_not_listed(staff, areas, standards):
    head = member("head")
    head["disability_certificate"] = head["id_number"] + "44"
    household = make_household(staff.caseworker_a, areas.village_a, head)
    application = walk(
        apply_for(staff.caseworker_a, household, program="disability_care"),
        staff,
        S.GRADE_CONFIRMED,
    )
    with pytest.raises(ValidationError, match="grade 4"):
        services.application_approve(actor=staff.approver, application=application)


# ---- refusals


def test_caseworker_cannot_approve(staff, areas, standards):
    application = walk(
        apply_for(staff.caseworker_a, three_member_household(staff, areas)),
        staff,
        S.NOTICE_ENDED,
    )
    with pytest.raises(PermissionDenied, match="county approver"):
        services.application_approve(actor=staff.caseworker_a, application=application)
    application.refresh_from_db()
    assert application.status == S.NOTICE_ENDED
    assert not Entitlement.objects.exists()


def test_approver_cannot_approve_own_submission(staff, areas, standards):
    # a county approver who also works as a caseworker of township A
    assignment_create(user=staff.approver, area=areas.a, role=Role.CASEWORKER)
    application = walk(
        apply_for(staff.approver, three_member_household(staff, areas)),
        staff,
        S.NOTICE_ENDED,
        caseworker=staff.approver,
    )
    with pytest.raises(PermissionDenied, match="registered, submitted or reviewed"):
        services.application_approve(actor=staff.approver, application=application)
    assert not Entitlement.objects.exists()
    services.application_approve(actor=staff.approver2, application=application)
    assert Entitlement.objects.get().application.approved_by == staff.approver2


def test_step_out_of_order_is_refused(staff, areas, standards):
    application = apply_for(staff.caseworker_a, three_member_household(staff, areas))
    with pytest.raises(ValidationError, match="waits for acceptance"):
        services.application_submit(actor=staff.caseworker_a, application=application)
    with pytest.raises(ValidationError, match="waits for acceptance"):
        services.application_approve(actor=staff.approver, application=application)
    application.refresh_from_db()
    assert application.status == S.APPLIED
    assert StatusChange.objects.filter(object_id=application.pk).count() == 1  # registered


def test_closing_the_notice_before_it_ends_is_refused(staff, areas, standards):
    application = walk(
        apply_for(staff.caseworker_a, three_member_household(staff, areas)),
        staff,
        S.REVIEWED,
    )
    services.application_start_notice(
        actor=staff.caseworker_a, application=application, start=datetime.date.today()
    )
    with pytest.raises(ValidationError, match="runs until"):
        services.application_close_notice(actor=staff.caseworker_a, application=application)
    application.refresh_from_db()
    assert application.status == S.IN_NOTICE
    assert application.notice_end == datetime.date.today() + datetime.timedelta(days=6)


def temporary(staff, areas, amount):
    household = three_member_household(staff, areas)
    return walk(
        apply_for(
            staff.caseworker_a,
            household,
            program="temporary",
            assistance_kind="emergency",
            requested_amount=Decimal(amount),
        ),
        staff,
        S.REVIEWED,
    )


def test_township_cannot_approve_temporary_assistance_above_its_limit(staff, areas, standards):
    application = temporary(staff, areas, "5000")
    other_reviewer = staff.reviewer_b
    assignment_create(user=other_reviewer, area=areas.a, role=Role.TOWNSHIP_REVIEWER)
    with pytest.raises(PermissionDenied, match=r"above the township's limit of 3000\.00"):
        services.application_approve(actor=other_reviewer, application=application)
    application.refresh_from_db()
    assert application.status == S.REVIEWED
    services.application_approve(actor=staff.approver, application=application)
    application.refresh_from_db()
    assert (application.status, application.approved_amount) == (S.IN_PAYMENT, Decimal("5000.00"))


def test_township_approves_temporary_assistance_within_its_limit(staff, areas, standards):
    application = temporary(staff, areas, "2000")
    assignment_create(user=staff.reviewer_b, area=areas.a, role=Role.TOWNSHIP_REVIEWER)
    services.application_approve(actor=staff.reviewer_b, application=application)
    application.refresh_from_db()
    assert application.status == S.IN_PAYMENT
    assert not Entitlement.objects.exists()  # one-off, not monthly


def test_reviewer_cannot_approve_where_not_delegated_but_can_where_delegated(
    staff, areas, standards
):
    application = walk(
        apply_for(staff.caseworker_a, three_member_household(staff, areas)),
        staff,
        S.NOTICE_ENDED,
    )
    assignment_create(user=staff.reviewer_b, area=areas.a, role=Role.TOWNSHIP_REVIEWER)
    with pytest.raises(PermissionDenied, match="not delegated"):
        services.application_approve(actor=staff.reviewer_b, application=application)
    ApprovalDelegation.objects.create(
        township=areas.a, program="dibao", valid_from=datetime.date(2020, 1, 1)
    )
    with pytest.raises(PermissionDenied, match="registered, submitted or reviewed"):
        services.application_approve(actor=staff.reviewer_a, application=application)
    services.application_approve(actor=staff.reviewer_b, application=application)
    assert Entitlement.objects.get().monthly_amount == Decimal("1380.00")


def test_other_township_gets_404(staff, areas, standards):
    application = apply_for(staff.caseworker_a, three_member_household(staff, areas))
    with pytest.raises(Http404):
        services.application_accept(actor=staff.caseworker_b, application=application)
    with pytest.raises(Http404):
        services.application_refuse(actor=staff.reviewer_b, application=application, reason="x")
    application.refresh_from_db()
    assert application.status == S.APPLIED


def test_refuse_and_withdraw_need_a_reason(staff, areas, standards):
    application = apply_for(staff.caseworker_a, three_member_household(staff, areas))
    with pytest.raises(ValidationError):
        services.application_refuse(actor=staff.caseworker_a, application=application, reason=" ")
    services.application_refuse(
        actor=staff.caseworker_a, application=application, reason="收入超标"
    )
    application.refresh_from_db()
    assert (application.status, application.status_reason) == (S.REFUSED, "收入超标")
    with pytest.raises(ValidationError, match="Refused"):
        services.application_withdraw(actor=staff.caseworker_a, application=application, reason="x")


def test_pay_first_then_document(staff, areas, standards):
    household = three_member_household(staff, areas)
    application = apply_for(
        staff.caseworker_a,
        household,
        program="temporary",
        assistance_kind="emergency",
        requested_amount=Decimal("1500"),
        urgent=True,
    )
    services.application_pay_first(actor=staff.reviewer_a, application=application)
    application.refresh_from_db()
    assert (application.status, application.documents_pending) == (S.IN_PAYMENT, True)
    services.application_record_visit(
        actor=staff.caseworker_a,
        application=application,
        visited_on=datetime.date.today(),
        visitors="张敏、王五",
        findings="房屋失火，属实。",
    )
    application.refresh_from_db()
    assert application.documents_pending is False
    assert application.visits.count() == 1


# ---- households


def test_household_intake_refuses_person_in_two_households(staff, areas, standards):
    first = make_household(staff.caseworker_a, areas.village_a, member("head"))
    number = head_of(first).id_number
    with pytest.raises(ValidationError, match="already a member of another household"):
        make_household(
            staff.caseworker_a,
            areas.village_a,
            member("head"),
            member("spouse", id_number=number, name=head_of(first).name),
        )
    assert Household.objects.count() == 1


def test_household_intake_refuses_bad_certificate_and_negative_income(staff, areas):
    head = member("head", income_wages=None)
    head["income_wages"] = "-5"
    head["disability_certificate"] = "11010519491231002X42"
    with pytest.raises(ValidationError) as info:
        make_household(staff.caseworker_a, areas.village_a, head)
    text = " ".join(info.value.messages)
    assert "cannot be negative" in text
    assert "does not start with this member's ID number" in text
    assert not Household.objects.exists()
    assert not HouseholdMember.objects.exists()
