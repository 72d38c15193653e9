"""The registry, inspections, lists, evaluations, charities, stations, volunteers, lottery."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.dashboard.figures import Period
from social_orgs import selectors, services
from social_orgs.models import Inspection, ListEntry, Organisation, OrganisationChange

from .conftest import credit_code, register, wrong_check

pytestmark = pytest.mark.django_db
D = datetime.date


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict:
    return exc.value.message_dict


# ---- the registry


def test_register_a_social_group_with_a_valid_code(areas, officers):
    code = credit_code("1")
    org = register(officers.registration, areas.county, credit_code=code.lower(), name="县书法协会")
    assert (org.credit_code, org.get_org_type_display(), org.status) == (
        code,
        "Social group",
        "active",
    )
    assert org.history.count() == 1


def test_a_wrong_check_character_is_refused_on_the_field(areas, officers):
    with pytest.raises(ValidationError) as exc:
        register(officers.registration, areas.county, credit_code=wrong_check(credit_code("1")))
    assert _errors(exc) == {"credit_code": ["The check character of this credit code is wrong."]}
    assert not Organisation.objects.exists()


def test_a_foundation_whose_code_says_social_group_is_refused(areas, officers):
    with pytest.raises(ValidationError) as exc:
        register(officers.registration, areas.county, org_type="3", credit_code=credit_code("1"))
    assert "says “Social group”" in _errors(exc)["credit_code"][0]
    assert "Foundation" in _errors(exc)["credit_code"][0]
    assert not Organisation.objects.exists()


def test_a_code_of_another_registration_authority_is_refused(areas, officers):
    body = "91430922MA00000001"[:17]
    from stdnum.cn import uscc

    with pytest.raises(ValidationError) as exc:
        register(
            officers.registration, areas.county, credit_code=body + uscc.calc_check_digit(body)
        )
    assert "starts with 5" in _errors(exc)["credit_code"][0]


def test_one_organisation_per_code(areas, officers):
    code = credit_code("2")
    register(officers.registration, areas.county, org_type="2", credit_code=code)
    with pytest.raises(ValidationError) as exc:
        register(officers.registration, areas.county, org_type="2", credit_code=code)
    assert "already registered" in _errors(exc)["credit_code"][0]


def test_supervising_unit_or_direct_registration(areas, officers):
    with pytest.raises(ValidationError) as exc:
        register(officers.registration, areas.county, supervising_unit="")
    assert "supervising_unit" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        register(officers.registration, areas.county, direct_registration=True)
    assert "supervising_unit" in _errors(exc)
    org = register(
        officers.registration, areas.county, direct_registration=True, supervising_unit=""
    )
    assert org.direct_registration
    assert org.supervising_unit == ""


def test_only_the_registration_officer_registers(areas, officers):
    with pytest.raises(PermissionDenied):
        register(officers.caseworker_a, areas.a)
    with pytest.raises(PermissionDenied):
        register(officers.clerk_a, areas.a)


def test_a_clerk_files_a_community_organisation_at_the_township(areas, officers):
    org = register(
        officers.clerk_a, areas.a, registration="filed", credit_code="", supervising_unit=""
    )
    assert org.registration == "filed"
    assert org.area == areas.a
    assert org.credit_code == ""
    with pytest.raises(ValidationError) as exc:  # another township: a field error
        register(officers.clerk_a, areas.b, registration="filed", credit_code="")
    assert "area" in _errors(exc)
    with pytest.raises(ValidationError) as exc:  # a code, when given, is checked
        register(
            officers.clerk_a, areas.a, registration="filed", credit_code=wrong_check(credit_code())
        )
    assert "credit_code" in _errors(exc)


def test_changes_are_dated_rows_and_status_moves_by_the_table(areas, officers):
    org = register(officers.registration, areas.county)
    services.organisation_change(
        actor=officers.registration,
        organisation=org,
        changed_on=D(2023, 5, 6),
        legal_representative="李新会长",
        funds="50000",
        note="换届",
    )
    rows = {(c.field, c.old_value, c.new_value) for c in OrganisationChange.objects.all()}
    assert rows == {
        ("legal_representative", "王会长", "李新会长"),
        ("funds", "30000.00", "50000.00"),
    }
    services.organisation_set_status(
        actor=officers.registration,
        organisation=org,
        status="revoked",
        on=D(2024, 1, 2),
        reason="两年未年检",
    )
    org.refresh_from_db()
    assert (org.status, org.status_on) == ("revoked", D(2024, 1, 2))
    with pytest.raises(ValidationError):
        services.organisation_set_status(
            actor=officers.registration,
            organisation=org,
            status="deregistered",
            on=D(2024, 2, 1),
            reason="x",
        )
    with pytest.raises(ValidationError):
        services.organisation_change(
            actor=officers.registration, organisation=org, changed_on=D(2024, 3, 1), name="新名"
        )


# ---- annual inspection and the lists


def _inspect(actor, org, year, result="pass", reported_on=None, **kw):
    return services.inspection_record(
        actor=actor,
        organisation=org,
        year=year,
        reported_on=reported_on or D(year + 1, 4, 1),
        result=result,
        **kw,
    )


def test_a_second_inspection_for_one_organisation_and_year_is_refused(areas, officers):
    org = register(officers.registration, areas.county)
    _inspect(officers.registration, org, 2024)
    with pytest.raises(ValidationError) as exc:
        _inspect(officers.registration, org, 2024, result="fail", reasons="x", rectification="y")
    assert _errors(exc)["year"] == [
        f"The annual inspection of 2024 is already recorded for {org.name}."
    ]
    assert Inspection.objects.filter(organisation=org).count() == 1
    _inspect(officers.registration, org, 2023)  # another year is fine


def test_inspection_rules(areas, officers):
    org = register(officers.registration, areas.county)
    with pytest.raises(ValidationError) as exc:
        _inspect(officers.registration, org, 2024, result="basic_pass")
    assert "reasons" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        _inspect(officers.registration, org, 2024, reported_on=D(2024, 12, 1))
    assert "reported_on" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        _inspect(officers.registration, org, 2019)
    assert "year" in _errors(exc)
    with pytest.raises(PermissionDenied):
        _inspect(officers.governance, org, 2024)
    with pytest.raises(Http404):  # a county organisation is outside a township clerk's areas
        _inspect(officers.clerk_a, org, 2024)
    inspection = _inspect(
        officers.registration,
        org,
        2024,
        result="fail",
        reasons="财务混乱",
        rectification="三个月内整改",
    )
    assert inspection.get_result_display() == "Fail"


@pytest.fixture
def known(areas, officers):
    """Six organisations whose 2024 inspection state is known."""
    r = officers.registration
    orgs = {
        "inspected": register(r, areas.county, name="甲·已年检", registered_on=D(2020, 1, 1)),
        "missing": register(r, areas.county, name="乙·未年检", registered_on=D(2020, 1, 1)),
        "new": register(r, areas.county, name="丙·2025年新登记", registered_on=D(2025, 3, 1)),
        "gone": register(r, areas.county, name="丁·已注销", registered_on=D(2020, 1, 1)),
        "filed": register(
            officers.clerk_a, areas.a, name="戊·社区备案", registration="filed", credit_code=""
        ),
        "last_year_only": register(
            r, areas.county, name="己·仅2023年检", registered_on=D(2019, 6, 1)
        ),
        "december": register(
            r, areas.county, name="庚·2024年12月31日登记", registered_on=D(2024, 12, 31)
        ),
    }
    _inspect(r, orgs["inspected"], 2024)
    _inspect(r, orgs["inspected"], 2023)
    _inspect(r, orgs["last_year_only"], 2023)
    services.organisation_set_status(
        actor=r,
        organisation=orgs["gone"],
        status="deregistered",
        on=D(2024, 6, 1),
        reason="自行解散",
    )
    return orgs


def test_the_not_inspected_list_is_exactly_right(known, officers):
    names = [o.name for o in selectors.not_inspected(user=officers.registration, year=2024)]
    assert names == ["乙·未年检", "己·仅2023年检", "庚·2024年12月31日登记"]
    assert list(selectors.not_inspected(user=officers.clerk_a, year=2024)) == []


def test_overdue_reports_go_to_the_abnormal_list_and_leave_it_when_reported(known, officers):
    r = officers.registration
    assert services.abnormal_list_overdue(actor=r, year=2024, on=D(2025, 5, 31)) == []
    added = services.abnormal_list_overdue(actor=r, year=2024, on=D(2025, 6, 1))
    assert sorted(e.organisation.name for e in added) == sorted(
        ["乙·未年检", "己·仅2023年检", "庚·2024年12月31日登记"]
    )
    assert services.abnormal_list_overdue(actor=r, year=2024, on=D(2025, 6, 2)) == []  # once
    _inspect(r, known["missing"], 2024, reported_on=D(2025, 6, 10))
    entry = ListEntry.objects.get(organisation=known["missing"])
    assert (entry.entered_on, entry.removed_on) == (D(2025, 6, 1), D(2025, 6, 10))
    current = selectors.list_entries(user=r, kind="abnormal", current_only=True)
    assert sorted(e.organisation.name for e in current) == [
        "己·仅2023年检",
        "庚·2024年12月31日登记",
    ]


def test_two_years_without_inspection_are_flagged_for_revocation(known, officers):
    flagged = selectors.revocation_candidates(user=officers.registration, year=2024)
    assert [o.name for o in flagged] == ["乙·未年检"]


def test_serious_violation_list_in_and_out(known, officers):
    r = officers.registration
    entry = services.list_enter(
        actor=r,
        organisation=known["missing"],
        kind="serious",
        entered_on=D(2025, 1, 5),
        reason="虚假材料",
    )
    with pytest.raises(ValidationError):
        services.list_enter(
            actor=r,
            organisation=known["missing"],
            kind="serious",
            entered_on=D(2025, 1, 6),
            reason="x",
        )
    with pytest.raises(ValidationError) as exc:
        services.list_remove(actor=r, entry=entry, removed_on=D(2025, 1, 1), reason="已整改")
    assert "removed_on" in _errors(exc)
    services.list_remove(actor=r, entry=entry, removed_on=D(2025, 3, 1), reason="已整改")
    entry.refresh_from_db()
    assert (entry.entered_on, entry.removed_on) == (D(2025, 1, 5), D(2025, 3, 1))


def test_an_evaluation_is_valid_for_the_standards_years(areas, officers):
    org = register(officers.registration, areas.county)
    ev = services.evaluation_record(
        actor=officers.registration, organisation=org, grade=4, awarded_on=D(2023, 7, 1)
    )
    assert (str(ev), ev.valid_until) == (f"{org.name} · 4A", D(2028, 6, 30))
    with pytest.raises(ValidationError) as exc:
        services.evaluation_record(
            actor=officers.registration, organisation=org, grade=6, awarded_on=D(2023, 7, 1)
        )
    assert "grade" in _errors(exc)


# ---- enforcement, charities


def test_enforcement_case_opens_and_closes(areas, officers):
    case = services.enforcement_open(
        actor=officers.registration,
        area=areas.a,
        subject="中华国学总会",
        opened_on=D(2025, 2, 1),
        source="群众举报",
    )
    with pytest.raises(ValidationError):
        services.enforcement_close(
            actor=officers.registration, case=case, outcome="banned", closed_on=D(2025, 1, 1)
        )
    services.enforcement_close(
        actor=officers.registration, case=case, outcome="banned", closed_on=D(2025, 3, 1)
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "banned")


def test_charity_recognition_and_donations(areas, officers):
    org = register(officers.registration, areas.county, org_type="3", registered_on=D(2021, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.charity_recognise(
            actor=officers.registration,
            organisation=org,
            recognised_on=D(2022, 1, 1),
            public_fundraising=True,
        )
    assert "fundraising_since" in _errors(exc)
    charity = services.charity_recognise(
        actor=officers.registration,
        organisation=org,
        recognised_on=D(2022, 1, 1),
        public_fundraising=True,
        fundraising_since=D(2024, 1, 1),
    )
    services.donation_record(
        actor=officers.registration,
        charity=charity,
        received_on=D(2025, 1, 2),
        donor="某企业",
        amount="10000",
        purpose="助学",
    )
    services.donation_record(
        actor=officers.registration,
        charity=charity,
        received_on=D(2025, 2, 2),
        donor="张三",
        amount="200.5",
    )
    with pytest.raises(ValidationError) as exc:
        services.donation_record(
            actor=officers.registration,
            charity=charity,
            received_on=D(2025, 2, 2),
            donor="李四",
            amount="0",
        )
    assert "amount" in _errors(exc)
    assert selectors.donations_total(user=officers.registration, year=2025) == Decimal("10200.50")
    assert selectors.charities(user=officers.registration).get().donated == Decimal("10200.50")


# ---- stations, volunteers, the lottery


def test_station_coverage_share(areas, officers):
    station = services.station_create(
        actor=officers.clerk_a,
        area=areas.a,
        name="桃花江镇社工站",
        opened_on=D(2023, 3, 1),
        stars=3,
        villages=[areas.village_a],
    )
    services.station_staff_add(
        actor=officers.clerk_a,
        station=station,
        name="社工甲",
        qualification="social_worker",
        joined_on=D(2023, 3, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.station_update(actor=officers.clerk_a, station=station, villages=[areas.village_b])
    assert "villages" in _errors(exc)
    with pytest.raises(ValidationError):  # one station per township
        services.station_create(
            actor=officers.registration, area=areas.a, name="x", opened_on=D(2023, 3, 1)
        )
    year = Period.year(2023)
    assert selectors.figure_social_work_coverage(
        user=officers.registration, area=areas.county, period=year
    ) == Decimal("50.0")
    assert selectors.figure_social_work_coverage(
        user=officers.registration, area=areas.county, period=Period.year(2022)
    ) == Decimal("0.0")
    # a township clerk asking about the county gets their township only
    assert selectors.figure_social_work_coverage(
        user=officers.clerk_a, area=areas.county, period=year
    ) == Decimal("100.0")
    assert selectors.figure_social_work_coverage(
        user=officers.clerk_b, area=areas.county, period=year
    ) == Decimal("0.0")


def test_volunteer_hours_and_lottery(areas, officers):
    volunteer = services.volunteer_register(
        actor=officers.clerk_a, area=areas.village_a, name="志愿者甲", registered_on=D(2024, 1, 1)
    )
    services.volunteer_service_record(
        actor=officers.clerk_a,
        volunteer=volunteer,
        served_on=D(2024, 2, 1),
        hours="3.5",
        activity="敬老",
    )
    with pytest.raises(ValidationError) as exc:
        services.volunteer_service_record(
            actor=officers.clerk_a,
            volunteer=volunteer,
            served_on=D(2024, 2, 1),
            hours="25",
            activity="x",
        )
    assert "hours" in _errors(exc)
    assert selectors.volunteers(user=officers.clerk_a).get().total_hours == Decimal("3.5")
    services.lottery_sales_record(
        actor=officers.registration,
        area=areas.county,
        month=D(2024, 3, 9),
        channel="draw",
        amount="120000",
    )
    services.lottery_sales_record(
        actor=officers.registration,
        area=areas.county,
        month=D(2024, 4, 1),
        channel="draw",
        amount="80000",
    )
    with pytest.raises(ValidationError) as exc:
        services.lottery_sales_record(
            actor=officers.registration,
            area=areas.county,
            month=D(2024, 3, 1),
            channel="draw",
            amount="1",
        )
    assert "month" in _errors(exc)
    assert selectors.lottery_by_channel(user=officers.registration, year=2024) == [
        {"channel": "draw", "total": Decimal("200000.00")}
    ]
    services.fund_use_record(
        actor=officers.registration,
        area=areas.county,
        project="养老院改造",
        amount="50000",
        spent_on=D(2024, 5, 1),
        beneficiaries=80,
    )
    assert selectors.fund_by_project(user=officers.registration, year=2024) == [
        {"project": "养老院改造", "total": Decimal("50000.00"), "reached": 80}
    ]


def test_inspection_figures(known, officers, areas):
    r = officers.registration
    _inspect(r, known["missing"], 2023, result="basic_pass", reasons="x", rectification="y")
    args = {"user": r, "area": areas.county, "period": Period.year(2024)}
    # reports received in 2024: 甲, 己 and 乙 for 2023
    assert selectors.figure_inspected(**args) == 3
    assert selectors.figure_passed(**args) == 2
    assert selectors.figure_basic_passed(**args) == 1
    args["period"] = Period.year(2025)
    assert selectors.figure_inspected(**args) == 1  # 甲 for 2024
    assert (
        selectors.figure_inspected(
            user=officers.clerk_a, area=areas.county, period=Period.year(2024)
        )
        == 0
    )
