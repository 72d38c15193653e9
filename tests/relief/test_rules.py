"""Issue 10, items 4–8: the case order, delegation per program, the disability subsidies'
own flow, temporary assistance by the county's table, payees after a head's death, and the
low-income monitoring. Amounts are worked out by hand in the comments."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civil_affairs import benefits
from civil_affairs.areas.models import Role
from civil_affairs.areas.services import assignment_create
from civil_affairs.core.months import add_months
from civil_affairs.payments.models import LedgerEntry, Payment
from civil_affairs.standards.models import Standard
from relief import rules, services, steps
from relief.models import (
    Application,
    ApprovalDelegation,
    Entitlement,
    Holiday,
    MonitoringAlert,
    SpotCheck,
)
from relief.standards import Kind
from tests.conftest import login
from tests.factories import UserFactory

from .conftest import SINCE, apply_for, assess, head_of, make_household, member, this_month, walk

pytestmark = pytest.mark.django_db
S = Application.Status
today = timezone.localdate


def standard(areas, kind, value, variant=""):
    return Standard.objects.create(
        kind=kind, variant=variant, area=areas.county, valid_from=SINCE, value=Decimal(value)
    )


def dibao_household(staff, areas):
    """Rural (standard 760), three members, wages 300 in all: 100 a head, so dibao is
    (760 − 100) × 3 = 1980.00 a month."""
    return make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages="300"),
        member("spouse"),
        member("child", born=datetime.date(2012, 3, 1)),
    )


def second_reviewer(areas):
    user = UserFactory(username="reviewer_a2")
    assignment_create(user=user, area=areas.a, role=Role.TOWNSHIP_REVIEWER)
    return user


# ---- item 4: the case order


def test_notice_only_after_the_first_opinion_and_an_objection_means_a_new_full_notice(
    staff, areas, standards
):
    worker = staff.caseworker_a
    application = walk(
        apply_for(worker, dibao_household(staff, areas)), staff, S.CROSSCHECK_CLEARED
    )
    with pytest.raises(ValidationError, match="waits for submission to the township"):
        services.application_start_notice(actor=worker, application=application, start=today())
    services.application_submit(actor=worker, application=application)
    with pytest.raises(ValidationError, match="waits for the township's first opinion"):
        services.application_start_notice(actor=worker, application=application, start=today())
    services.application_review(actor=staff.reviewer_a, application=application, opinion="同意")
    application.refresh_from_db()
    assert (application.status, application.proposed_amount) == (S.REVIEWED, Decimal("1980.00"))

    first = today() - datetime.timedelta(days=3)
    services.application_start_notice(actor=worker, application=application, start=first)
    services.application_record_objection(
        actor=worker, application=application, objection="邻居反映其家中有营运车辆"
    )
    application.refresh_from_db()
    assert application.status == S.ACCEPTED  # back to the home visit: re-investigation
    assert application.notice_end is None
    assert "营运车辆" in application.notice_objections
    with pytest.raises(ValidationError, match="waits for the home visit"):
        services.application_approve(actor=staff.approver, application=application)

    # re-investigated, through the township again, and a second notice from today
    walk(application, staff, S.REVIEWED)
    services.application_start_notice(actor=worker, application=application, start=today())
    application.refresh_from_db()
    assert application.notice_round == 2
    assert application.notice_end == today() + datetime.timedelta(days=6)  # 7 days in all
    with pytest.raises(ValidationError, match="runs until"):
        services.application_close_notice(
            actor=worker, application=application, today=today() + datetime.timedelta(days=6)
        )
    services.application_close_notice(
        actor=worker, application=application, today=today() + datetime.timedelta(days=7)
    )
    services.application_approve(actor=staff.approver, application=application)
    application.refresh_from_db()
    assert (application.status, application.approved_amount) == (
        S.IN_PAYMENT,
        Decimal("1980.00"),
    )


def test_the_cross_check_needs_the_signed_authorisation(staff, areas, standards):
    worker = staff.caseworker_a
    application = apply_for(worker, dibao_household(staff, areas))
    services.application_accept(actor=worker, application=application)
    walk(application, staff, S.VISITED)
    with pytest.raises(ValidationError, match="authorisation to check finances"):
        services.application_request_crosscheck(actor=worker, application=application)
    assert [s.name for s in steps.allowed_steps(worker, application)][:1] == [
        "record_authorisation"
    ]
    services.application_record_authorisation(actor=worker, application=application)
    services.application_request_crosscheck(actor=worker, application=application)
    application.refresh_from_db()
    assert application.status == S.CROSSCHECK_REQUESTED


def test_dibao_delegated_but_not_extreme_poverty(staff, areas, standards):
    ApprovalDelegation.objects.create(
        township=areas.a, program="dibao", valid_from=datetime.date(2020, 1, 1), note="桃政发3号"
    )
    township = second_reviewer(areas)  # not the one who gave the first opinion
    dibao = walk(
        apply_for(staff.caseworker_a, dibao_household(staff, areas)), staff, S.NOTICE_ENDED
    )
    elder = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", work_capacity="none", born=datetime.date(1940, 1, 1)),
    )
    assess(staff, elder, failed=2)
    poverty = walk(
        apply_for(staff.caseworker_a, elder, program="extreme_poverty", support_mode="dispersed"),
        staff,
        S.NOTICE_ENDED,
    )
    assert "approve" in [s.name for s in steps.allowed_steps(township, dibao)]
    assert "approve" not in [s.name for s in steps.allowed_steps(township, poverty)]
    services.application_approve(actor=township, application=dibao)
    dibao.refresh_from_db()
    assert (dibao.status, dibao.approved_delegated) == (S.IN_PAYMENT, True)
    with pytest.raises(PermissionDenied, match="Extreme-poverty support is not delegated"):
        services.application_approve(actor=township, application=poverty)
    poverty.refresh_from_db()
    assert poverty.status == S.NOTICE_ENDED
    # the county approves it: 760 × 1.3 + 300 (partial self-care) = 1288.00
    services.application_approve(actor=staff.approver, application=poverty)
    assert Entitlement.objects.get(person=poverty.person).monthly_amount == Decimal("1288.00")


def test_a_delegation_ends_on_its_date_and_a_relative_of_staff_goes_to_the_county(
    staff, areas, standards
):
    ApprovalDelegation.objects.create(
        township=areas.a,
        program="dibao",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=today() - datetime.timedelta(days=1),
    )
    township = second_reviewer(areas)
    application = walk(
        apply_for(staff.caseworker_a, dibao_household(staff, areas)), staff, S.NOTICE_ENDED
    )
    with pytest.raises(PermissionDenied, match="not delegated"):
        services.application_approve(actor=township, application=application)
    ApprovalDelegation.objects.create(township=areas.a, program="dibao", valid_from=today())
    Application.objects.filter(pk=application.pk).update(
        staff_relative=True, staff_relative_note="村主任之子"
    )
    application.refresh_from_db()
    with pytest.raises(PermissionDenied, match="close relative"):
        services.application_approve(actor=township, application=application)
    page = login(staff.approver).get(reverse("relief:approval_queue")).content.decode()
    assert "relative of staff" in page or "工作人员近亲属" in page


def test_due_dates_count_working_days_with_the_countys_holidays(staff, areas, standards):
    monday = datetime.date(2026, 6, 1)
    # Tue 2, Wed 3, Thu 4, Fri 5, Mon 8: five working days
    assert rules.add_working_days(areas.village_a, monday, 5) == datetime.date(2026, 6, 8)
    Holiday.objects.create(county=areas.county, day=datetime.date(2026, 6, 3), name="端午")
    assert rules.add_working_days(areas.village_a, monday, 5) == datetime.date(2026, 6, 9)
    Holiday.objects.create(
        county=areas.county, day=datetime.date(2026, 6, 6), name="调休", working=True
    )
    assert rules.add_working_days(areas.village_a, monday, 5) == datetime.date(2026, 6, 8)

    application = walk(
        apply_for(staff.caseworker_a, dibao_household(staff, areas)), staff, S.SUBMITTED
    )
    due = rules.due_date(application)
    assert due == rules.add_working_days(areas.village_a, application.accepted_on, 30)
    page = login(staff.reviewer_a).get(reverse("relief:approval_queue")).content.decode()
    assert f"{due:%Y-%m-%d}" in page
    Application.objects.filter(pk=application.pk).update(special_case=True)
    application.refresh_from_db()
    assert rules.due_date(application) == rules.add_working_days(
        areas.village_a, application.accepted_on, 45
    )
    cases = login(staff.caseworker_a).get(reverse("relief:open_cases")).content.decode()
    assert application.person.name in cases


def test_spot_checks_of_delegated_approvals(staff, areas, standards):
    standard(areas, Kind.SPOT_CHECK_SHARE, "50")
    ApprovalDelegation.objects.create(
        township=areas.a, program="dibao", valid_from=datetime.date(2020, 1, 1)
    )
    township = second_reviewer(areas)
    for wages in ("300", "600"):
        household = make_household(staff.caseworker_a, areas.village_a, member("head", wages=wages))
        case = walk(apply_for(staff.caseworker_a, household), staff, S.NOTICE_ENDED)
        services.application_approve(actor=township, application=case)
    drawn = services.spot_check_draw(actor=staff.approver, since=today() - datetime.timedelta(1))
    assert len(drawn) == 1  # 50 % of 2
    with pytest.raises(ValidationError):
        services.spot_check_record(actor=staff.approver, check=drawn[0], result="problem", note="")
    services.spot_check_record(
        actor=staff.approver, check=drawn[0], result="problem", note="收入核算有误"
    )
    assert SpotCheck.objects.get().result == "problem"
    assert services.spot_check_draw(actor=staff.approver, since=today()) != drawn  # the other


def test_the_public_list_needs_no_login_and_masks_names_and_ids(staff, areas, standards):
    household = make_household(
        staff.caseworker_a, areas.village_a, member("head", name="周建国", wages="300")
    )
    walk(apply_for(staff.caseworker_a, household), staff, S.IN_PAYMENT)
    Entitlement.objects.update(start_month=this_month())
    anonymous = Client()
    page = anonymous.get(reverse("relief:public_list"), {"area": areas.a.code}).content.decode()
    number = head_of(household).id_number
    assert "周**" in page
    assert "周建国" not in page
    assert number not in page
    assert number[:6] in page  # the masked number keeps its area code
    assert anonymous.get(reverse("relief:public_list"), {"area": "999"}).status_code == 404


# ---- item 5: the two disability subsidies


def disabled_household(staff, areas, grade="1"):
    head = member("head")
    head["disability_certificate"] = head["id_number"] + "4" + grade  # physical
    return make_household(staff.caseworker_a, areas.village_a, head)


def test_disability_subsidy_township_accepts_federation_confirms_civil_affairs_decides(
    staff, areas, standards
):
    application = apply_for(
        staff.caseworker_a, disabled_household(staff, areas), program="disability_care"
    )
    services.application_accept(actor=staff.caseworker_a, application=application)
    with pytest.raises(ValidationError, match="federation's confirmation of the grade"):
        services.application_approve(actor=staff.approver, application=application)
    with pytest.raises(ValidationError, match="federation's confirmation"):
        services.application_record_visit(
            actor=staff.caseworker_a,
            application=application,
            visited_on=application.applied_on,
            visitors="张敏、王五",
            findings="属实",
        )
    with pytest.raises(PermissionDenied):
        services.application_confirm_grade(
            actor=staff.caseworker_a, application=application, grade=1, disability_type="physical"
        )
    services.application_confirm_grade(
        actor=staff.federation, application=application, grade=1, disability_type="physical"
    )
    services.application_approve(actor=staff.approver, application=application)
    application.refresh_from_db()
    # no cross-check, no notice; grade 1: 120.00
    assert (application.status, application.approved_amount) == (S.IN_PAYMENT, Decimal("120.00"))
    assert application.notice_round == 0
    assert application.confirmed_grade == 1


def test_disability_subsidies_take_the_full_procedure_where_the_county_says(
    staff, areas, standards
):
    standard(areas, Kind.DISABILITY_FULL_PROCEDURE, "1")
    application = walk(
        apply_for(staff.caseworker_a, disabled_household(staff, areas), program="disability_care"),
        staff,
        S.GRADE_CONFIRMED,
    )
    with pytest.raises(ValidationError, match="waits for the cross-check request"):
        services.application_approve(actor=staff.approver, application=application)
    walk(application, staff, S.IN_PAYMENT)
    assert application.notice_round == 1


def test_living_subsidy_amount_by_grade(staff, areas, standards):
    # grade 1 has its own row (150), the others the county's one amount (90)
    standard(areas, Kind.DISABILITY_LIVING, "150", variant="1")
    household = disabled_household(staff, areas, grade="1")
    walk(apply_for(staff.caseworker_a, household), staff, S.IN_PAYMENT)  # dibao first
    application = walk(
        apply_for(staff.caseworker_a, household, program="disability_living"), staff, S.IN_PAYMENT
    )
    assert application.approved_amount == Decimal("150.00")


def test_choose_the_higher_refuses_the_care_subsidy_beside_extreme_poverty_support(
    staff, areas, standards
):
    head = member("head", work_capacity="none", born=datetime.date(1940, 1, 1))
    head["disability_certificate"] = head["id_number"] + "41"
    household = make_household(staff.caseworker_a, areas.village_a, head)
    assess(staff, household, failed=4)
    walk(
        apply_for(
            staff.caseworker_a, household, program="extreme_poverty", support_mode="dispersed"
        ),
        staff,
        S.IN_PAYMENT,
    )
    with pytest.raises(ValidationError, match="receives Extreme-poverty support") as info:
        apply_for(staff.caseworker_a, household, program="disability_care")
    assert "choose the higher" in str(info.value)
    assert not Application.objects.filter(program="disability_care").exists()


# ---- item 6: temporary assistance


def test_temporary_assistance_by_the_table_the_cap_and_the_yearly_limit(staff, areas, standards):
    standard(areas, Kind.TEMP_MONTHS, "3", variant="emergency")  # 3 × 760 = 2280.00
    standard(areas, Kind.TEMP_CAP, "2000", variant="emergency")
    standard(areas, Kind.TEMP_YEARLY_LIMIT, "3000")
    household = dibao_household(staff, areas)

    def ask(amount):
        return apply_for(
            staff.caseworker_a,
            household,
            program="temporary",
            assistance_kind="emergency",
            requested_amount=Decimal(amount),
        )

    with pytest.raises(ValidationError) as info:
        ask("2500")
    assert info.value.message_dict["requested_amount"] == [
        "2500.00 is above the county's table for Emergency: 3 months × the dibao standard of "
        "760.00 = 2280.00."
    ]
    with pytest.raises(ValidationError, match=r"above the cap of 2000\.00"):
        ask("2100")
    application = walk(ask("1800"), staff, S.IN_PAYMENT)
    entry = LedgerEntry.objects.get(source=f"relief.application:{application.pk}")
    assert (entry.program, entry.kind, entry.amount, entry.person_id) == (
        "temporary_assistance",
        "one_off",
        Decimal("-1800.00"),
        application.person_id,
    )
    with pytest.raises(ValidationError) as info:
        ask("1500")
    assert info.value.message_dict["requested_amount"] == [
        f"1500.00 would exceed the yearly limit of 3000.00 per household: 1800.00 was already "
        f"given in {today().year}, at most 1200.00 more."
    ]
    ask("1200")  # exactly up to the limit


def test_the_township_approves_from_its_reserve_fund(staff, areas, standards):
    township = second_reviewer(areas)
    household = dibao_household(staff, areas)

    def case(amount):
        return walk(
            apply_for(
                staff.caseworker_a,
                household,
                program="temporary",
                assistance_kind="expense",
                requested_amount=Decimal(amount),
            ),
            staff,
            S.REVIEWED,
        )

    services.reserve_fund_set(actor=staff.finance, township=areas.a, year=today().year, amount=2500)
    services.application_approve(actor=township, application=case("2000"))
    with pytest.raises(PermissionDenied, match=r"reserve fund of 2500\.00 .* has 500\.00 left"):
        services.application_approve(actor=township, application=case("600"))


def test_a_non_resident_is_helped_where_the_emergency_happened(staff, areas, standards):
    from tests.factories import next_id_number

    application = services.application_create_non_resident(
        actor=staff.caseworker_a,
        area=areas.village_a,
        id_number=next_id_number(datetime.date(1980, 5, 5)),
        name="过路人",
        assistance_kind="emergency",
        requested_amount=Decimal("600"),
        statement="途经本村遭遇车祸，身无分文。",
    )
    assert (application.household, application.area) == (None, areas.village_a)
    walk(application, staff, S.IN_PAYMENT)
    assert LedgerEntry.objects.get(source=f"relief.application:{application.pk}").amount == Decimal(
        "-600.00"
    )
    page = login(staff.caseworker_a).get(
        reverse("relief:application_detail", args=[application.pk])
    )
    assert 'id="non-resident"' in page.content.decode()


def test_medical_aid_and_the_stations_costs_reach_the_ledger(staff, areas, standards):
    household = dibao_household(staff, areas)
    walk(apply_for(staff.caseworker_a, household), staff, S.IN_PAYMENT)
    Entitlement.objects.update(start_month=this_month())
    aid = services.medical_aid_record(
        actor=staff.caseworker_a,
        person=head_of(household),
        hospital="县人民医院",
        treated_on=today(),
        total_cost="5200",
        insurance_paid="3600",
        aid_amount="800",
    )
    assert LedgerEntry.objects.get(source=f"relief.medicalaid:{aid.pk}").amount == Decimal(
        "-800.00"
    )


# ---- item 7: payees


@pytest.fixture
def celery_in_process():
    """The payroll engine's tasks run here."""
    from civil_affairs.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


def test_a_heads_death_from_the_cross_check_list_gives_the_household_a_new_payee(
    staff, areas, standards, celery_in_process
):
    import importlib

    from django.apps import apps

    from civil_affairs.crosscheck import services as crosscheck
    from civil_affairs.crosscheck.models import Warning
    from tests.crosscheck.conftest import deaths
    from tests.payments.factories import generate

    seed = importlib.import_module(
        "civil_affairs.crosscheck.migrations.0002_functions_rules_schedule"
    )
    seed.add_rules(apps, None)
    importlib.import_module("civil_affairs.crosscheck.migrations.0007_benefit_refs").rules_forward(
        apps, None
    )
    now = this_month()
    household = dibao_household(staff, areas)
    head = head_of(household)
    spouse = household.members.get(relationship="spouse").person
    application = apply_for(staff.caseworker_a, household, start_month=add_months(now, -3))
    walk(application, staff, S.IN_PAYMENT)
    dibao = Entitlement.objects.get(person=head)
    assert dibao.monthly_amount == Decimal("1980.00")
    # his own benefit beside the household's dibao
    own = Entitlement.objects.create(
        program="disability_living",
        person=head,
        area=household.area,
        monthly_amount=Decimal("90.00"),
        start_month=add_months(now, -3),
    )
    own.periods.create(valid_from=own.start_month, monthly_amount=Decimal("90.00"))

    died = add_months(now, -1) + datetime.timedelta(days=9)
    deaths(staff.approver, areas.county, [(head, f"{died:%Y-%m-%d}")], valid_on=today())
    crosscheck.run_start(actor=None, area=areas.county, as_of=today(), inline=True)
    warnings = list(Warning.objects.filter(person=head, status="open"))
    assert warnings
    crosscheck.warnings_confirm(
        actor=staff.caseworker_a, warnings=warnings[:1], action="stop", effective_month=now
    )

    dibao.refresh_from_db()
    own.refresh_from_db()
    assert (dibao.status, dibao.end_month) == ("stopped", add_months(now, -1))
    assert (own.status, own.end_month) == ("stopped", add_months(now, -1))
    continued = Entitlement.objects.get(program="dibao", status="active")
    # the spouse and the child, no income left: (760 − 0) × 2 = 1520.00, paid to the spouse
    assert (continued.person, continued.household, continued.start_month) == (
        spouse,
        household,
        now,
    )
    assert continued.monthly_amount == Decimal("1520.00")
    assert household.members.get(person=spouse).relationship == "head"

    payroll = generate(staff.finance, month=now, programs=["dibao"])
    rows = {
        (p.person_id, p.month): p.amount
        for p in Payment.objects.filter(payroll=payroll, program="dibao")
    }
    assert rows[(spouse.pk, now)] == Decimal("1520.00")
    assert (head.pk, now) not in rows
    # the months he was alive are still his household's: 1980.00 each
    assert rows[(head.pk, add_months(now, -1))] == Decimal("1980.00")


def test_a_new_payee_by_hand_and_the_care_home_as_payee(staff, areas, standards):
    household = dibao_household(staff, areas)
    walk(apply_for(staff.caseworker_a, household), staff, S.IN_PAYMENT)
    spouse = household.members.get(relationship="spouse").person
    client = login(staff.caseworker_a)
    response = client.post(
        reverse("relief:change_payee", args=[household.pk]),
        {
            "person": spouse.pk,
            "effective_month": f"{add_months(this_month(), 2):%Y-%m}",
            "reason": "户主外出务工，改由配偶领取",
        },
    )
    assert response.status_code == 302
    # the same members and income: the same 1980.00, paid to the spouse
    assert Entitlement.objects.get(status="active").person == spouse
    assert Entitlement.objects.get(status="active").monthly_amount == Decimal("1980.00")

    elder = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", work_capacity="none", born=datetime.date(1940, 1, 1)),
    )
    assess(staff, elder, failed=0)
    walk(
        apply_for(staff.caseworker_a, elder, program="extreme_poverty", support_mode="centralised"),
        staff,
        S.IN_PAYMENT,
    )
    support = Entitlement.objects.get(program="extreme_poverty")
    with pytest.raises(ValidationError) as info:  # (the page above left Chinese active)
        services.entitlement_set_payee(
            actor=staff.caseworker_a, entitlement=support, payee_name="县敬老院"
        )
    assert list(info.value.message_dict) == ["payee_account"]
    services.entitlement_set_payee(
        actor=staff.caseworker_a,
        entitlement=support,
        payee_name="县敬老院",
        payee_bank_name="农商银行",
        payee_account="6217 0000 1111 2222",
    )
    support.refresh_from_db()
    assert (support.payee_name, support.payee_account) == ("县敬老院", "6217000011112222")


# ---- item 8: low-income monitoring


def test_the_monthly_job_lists_watched_households_below_the_standard(staff, areas, standards):
    # an edge household: 900 a head, above the standard of 760 (below 1.5 × it)
    edge = make_household(staff.caseworker_a, areas.village_a, member("head", wages="900"))
    # heavy expenses: 1800 for two (900 a head) less 600 of medical bills a month
    # (300 a head) = 600 a head, below 760
    heavy = make_household(
        staff.caseworker_b,
        areas.village_b,
        member("head", wages="1800"),
        member("child", born=datetime.date(2015, 1, 1)),
    )
    services.monitoring_register(actor=staff.caseworker_a, household=edge, kind="edge")
    with pytest.raises(ValidationError, match="necessary expenses"):
        services.monitoring_register(
            actor=staff.caseworker_b, household=heavy, kind="heavy_expense"
        )
    services.monitoring_register(
        actor=staff.caseworker_b, household=heavy, kind="heavy_expense", monthly_expenses="600"
    )
    assert (
        benefits.EDGE_HOUSEHOLD
        in benefits.facts([head_of(edge).pk], this_month())[head_of(edge).pk]
    )

    from relief.tasks import monitoring_check

    assert monitoring_check() == 1
    assert monitoring_check() == 0  # once a month
    alert = MonitoringAlert.objects.get()
    assert (alert.monitored.household, alert.income_per_member, alert.standard) == (
        heavy,
        Decimal("600.00"),
        Decimal("760.00"),
    )
    page = login(staff.caseworker_b).get(reverse("relief:monitoring")).content.decode()
    assert "600.00" in page
    assert (
        "600.00" not in login(staff.caseworker_a).get(reverse("relief:monitoring")).content.decode()
    )
    response = login(staff.caseworker_b).post(
        reverse("relief:monitoring_act", args=[alert.pk]), {"note": "已入户，启动低保申请"}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "done"
