"""Institutions, residents, inspections and findings, screening, centres, home modification
and care workers: each service's normal path, its rules, and an actor from elsewhere."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.core.models import StatusChange
from eldercare import selectors, services
from eldercare.models import (
    Finding,
    HomeCareCentre,
    Institution,
    Modification,
    Resident,
)
from tests.crosscheck.conftest import entitle
from tests.factories import PersonFactory

from .conftest import id_number, make_institution

pytestmark = pytest.mark.django_db

D = datetime.date


# ---- institutions, grades, residents


def test_an_institution_is_filed_with_a_valid_credit_code(officers, areas):
    home = make_institution(officers.eldercare, areas.village_a)
    assert (home.area, home.beds, home.nursing_beds) == (areas.village_a, 120, 60)
    with pytest.raises(ValidationError) as caught:
        make_institution(officers.eldercare, areas.village_a, credit_code="12430922000000001X")
    assert "check character" in str(caught.value.message_dict["credit_code"])
    with pytest.raises(ValidationError) as caught:
        make_institution(officers.eldercare, areas.village_a, credit_code=home.credit_code)
    assert "already on file" in str(caught.value.message_dict["credit_code"])
    with pytest.raises(ValidationError) as caught:
        make_institution(officers.eldercare, areas.village_a, beds=10, nursing_beds=11)
    assert "nursing_beds" in caught.value.message_dict
    assert Institution.objects.count() == 1


def test_who_may_file_an_institution(officers, areas):
    with pytest.raises(PermissionDenied):
        make_institution(officers.caseworker_a, areas.village_a)
    with pytest.raises(ValidationError):  # an area outside the user's: a field error
        make_institution(officers.clerk_a, areas.village_b)
    assert not Institution.objects.exists()


def test_a_grade_has_a_level_from_1_to_5_and_a_validity(officers, areas):
    home = make_institution(officers.eldercare, areas.village_a)
    services.grade_record(
        actor=officers.eldercare,
        institution=home,
        level=3,
        rated_on=D(2025, 6, 1),
        valid_until=D(2028, 5, 31),
        evidence="县民政局评定〔2025〕5号",
    )
    assert selectors.current_grade(home).level == 3
    with pytest.raises(ValidationError):
        services.grade_record(
            actor=officers.eldercare,
            institution=home,
            level=6,
            rated_on=D(2025, 6, 1),
            valid_until=D(2028, 5, 31),
        )
    with pytest.raises(ValidationError):
        services.grade_record(
            actor=officers.eldercare,
            institution=home,
            level=2,
            rated_on=D(2025, 6, 1),
            valid_until=D(2025, 5, 31),
        )


def test_residents_are_admitted_assessed_and_discharged(officers, areas):
    home = make_institution(officers.eldercare, areas.village_a)
    number = id_number(D(1941, 2, 3))
    resident = services.resident_admit(
        actor=officers.eldercare,
        institution=home,
        id_number=number,
        name="李秀英",
        admitted_on=D(2025, 3, 1),
        ability_level=2,
        assessed_on=D(2025, 3, 2),
        vaccinated=True,
        vaccinated_on=D(2025, 10, 1),
    )
    assert (resident.person.name, resident.person.birth_date) == ("李秀英", D(1941, 2, 3))
    assert resident.get_ability_level_display() == "2 Moderate loss of ability"
    other = make_institution(officers.eldercare, areas.village_b, name="绿水敬老院")
    with pytest.raises(ValidationError) as caught:  # one home at a time
        services.resident_admit(
            actor=officers.eldercare,
            institution=other,
            id_number=number,
            name="李秀英",
            admitted_on=D(2025, 4, 1),
        )
    assert "青山养老院" in str(caught.value)
    with pytest.raises(ValidationError):  # the name must match the person on file
        services.resident_admit(
            actor=officers.eldercare,
            institution=other,
            id_number=number,
            name="李秀",
            admitted_on=D(2025, 4, 1),
        )
    with pytest.raises(ValidationError):
        services.resident_discharge(
            actor=officers.eldercare, resident=resident, discharged_on=D(2025, 1, 1)
        )
    services.resident_discharge(
        actor=officers.eldercare, resident=resident, discharged_on=D(2026, 1, 31)
    )
    moved = services.resident_admit(
        actor=officers.eldercare,
        institution=other,
        id_number=number,
        name="李秀英",
        admitted_on=D(2026, 2, 1),
    )
    assert moved.person_id == resident.person_id
    with pytest.raises(PermissionDenied):  # a caseworker does not admit residents
        services.resident_admit(
            actor=officers.caseworker_a,
            institution=home,
            id_number=id_number(D(1940, 1, 1)),
            name="王五",
            admitted_on=D(2026, 2, 1),
        )


def test_centralised_extreme_poverty_support_is_relief_s_fact(officers, areas):
    home = make_institution(officers.eldercare, areas.village_a)
    resident = services.resident_admit(
        actor=officers.eldercare,
        institution=home,
        id_number=id_number(D(1944, 4, 4)),
        name="赵大",
        admitted_on=D(2025, 3, 1),
    )
    assert selectors.centralised_support([resident.person_id]) == set()
    ep = entitle(resident.person, "extreme_poverty", "1200.00", start=D(2025, 3, 1))
    ep.basis = {"support_mode": "centralised"}
    ep.save()
    assert selectors.centralised_support([resident.person_id]) == {resident.person_id}


# ---- inspections and findings


@pytest.fixture
def inspection(officers, areas):
    home = make_institution(officers.eldercare, areas.village_a)
    return services.inspection_record(
        actor=officers.eldercare,
        institution=home,
        kind="fire",
        inspected_on=D(2026, 9, 1),
        inspectors="张敏、县消防大队李强",
    )


def test_a_major_finding_past_its_deadline_is_overdue_and_needs_evidence_to_close(
    officers, inspection
):
    """The issue's must-show."""
    major = services.finding_add(
        actor=officers.eldercare,
        inspection=inspection,
        description="二楼疏散通道堆放杂物",
        severity="major",
        deadline=D(2026, 9, 15),
    )
    minor = services.finding_add(
        actor=officers.eldercare,
        inspection=inspection,
        description="灭火器检查记录缺页",
        severity="minor",
        deadline=D(2026, 12, 31),
    )
    overdue = selectors.overdue_findings(user=officers.eldercare, today=D(2026, 10, 1))
    assert list(overdue) == [major]
    assert minor not in overdue
    with pytest.raises(ValidationError) as caught:
        services.finding_close(
            actor=officers.eldercare, finding=major, fixed_on=D(2026, 9, 20), verified=True
        )
    assert "evidence" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.finding_close(
            actor=officers.eldercare,
            finding=major,
            fixed_on=D(2026, 9, 20),
            evidence="整改照片3张，复查记录2026-09-20",
        )
    assert "verified" in caught.value.message_dict
    major.refresh_from_db()
    assert major.status == "open"
    assert list(selectors.overdue_findings(user=officers.eldercare, today=D(2026, 10, 1))) == [
        major
    ]
    services.finding_close(
        actor=officers.eldercare,
        finding=major,
        fixed_on=D(2026, 9, 20),
        evidence="整改照片3张，复查记录2026-09-20",
        verified=True,
    )
    major.refresh_from_db()
    assert (major.status, major.verified_by, major.evidence) == (
        "closed",
        officers.eldercare,
        "整改照片3张，复查记录2026-09-20",
    )
    assert not selectors.overdue_findings(user=officers.eldercare, today=D(2026, 10, 1)).exists()
    assert StatusChange.objects.filter(object_id=major.pk, new_status="closed").exists()
    # a minor one closes with its fix date alone
    services.finding_close(actor=officers.eldercare, finding=minor, fixed_on=D(2026, 10, 1))
    minor.refresh_from_db()
    assert minor.status == "closed"


def test_findings_are_the_officer_s_to_close_in_their_areas(officers, inspection, areas):
    finding = services.finding_add(
        actor=officers.eldercare,
        inspection=inspection,
        description="厨房生熟未分开",
        severity="minor",
        deadline=D(2026, 9, 10),
    )
    with pytest.raises(PermissionDenied):
        services.finding_close(actor=officers.caseworker_a, finding=finding, fixed_on=D(2026, 9, 9))
    with pytest.raises(Http404):
        services.finding_close(actor=officers.caseworker_b, finding=finding, fixed_on=D(2026, 9, 9))
    assert not selectors.overdue_findings(user=officers.caseworker_b).exists()
    assert list(selectors.overdue_findings(user=officers.caseworker_a)) == [finding]
    with pytest.raises(ValidationError):  # a deadline before the inspection
        services.finding_add(
            actor=officers.eldercare,
            inspection=inspection,
            description="x",
            severity="minor",
            deadline=D(2026, 8, 1),
        )
    assert Finding.objects.count() == 1


# ---- fund-raising screening


def test_screening_counts_units_with_the_word_and_centres(officers, areas):
    from civil_affairs.dashboard.figures import Period

    home = make_institution(officers.eldercare, areas.village_a)
    centre = services.centre_create(
        actor=officers.clerk_a, area=areas.a, name="甲镇居家养老服务中心", planned_on=D(2025, 1, 1)
    )
    services.screening_record(
        actor=officers.eldercare, institution=home, screened_on=D(2026, 5, 1), result="clear"
    )
    services.screening_record(
        actor=officers.eldercare, centre=centre, screened_on=D(2026, 5, 2), result="clear"
    )
    services.screening_record(
        actor=officers.eldercare,
        unit_name="康乐养老咨询有限公司",
        area=areas.village_b,
        screened_on=D(2026, 5, 3),
        result="suspected",
    )
    with pytest.raises(ValidationError) as caught:
        services.screening_record(
            actor=officers.eldercare,
            unit_name="康乐保健品商店",
            area=areas.village_b,
            screened_on=D(2026, 5, 3),
            result="clear",
        )
    assert "养老" in str(caught.value.message_dict["unit_name"])
    year = Period.year(2026)
    user = officers.eldercare
    assert selectors.figure_units_screened(user=user, area=None, period=year) == 2
    assert selectors.figure_centres_screened(user=user, area=None, period=year) == 1
    assert selectors.figure_units_screened(user=user, area=areas.a, period=year) == 1
    assert selectors.figure_units_screened(user=officers.caseworker_a, area=None, period=year) == 1


# ---- home-care centres


def test_a_centre_goes_planned_built_operating_with_dates(officers, areas):
    from civil_affairs.dashboard.figures import Period

    centre = services.centre_create(
        actor=officers.clerk_a,
        area=areas.village_a,
        name="一村日间照料中心",
        planned_on=D(2025, 3, 1),
    )
    with pytest.raises(ValidationError):  # no skipping a stage
        services.centre_advance(
            actor=officers.clerk_a, centre=centre, status="built", on=D(2025, 9, 1)
        )
    services.centre_advance(
        actor=officers.clerk_a, centre=centre, status="under_construction", on=D(2025, 5, 1)
    )
    year = Period.year(2025)
    user = officers.eldercare
    assert selectors.figure_centres_under_construction(user=user, area=None, period=year) == 1
    assert selectors.figure_centres_built(user=user, area=None, period=year) == 0
    with pytest.raises(ValidationError):  # before the stage before
        services.centre_advance(
            actor=officers.clerk_a, centre=centre, status="built", on=D(2025, 4, 1)
        )
    services.centre_advance(
        actor=officers.clerk_a, centre=centre, status="built", on=D(2026, 1, 10)
    )
    assert selectors.figure_centres_built(user=user, area=None, period=year) == 0
    assert selectors.figure_centres_built(user=user, area=None, period=Period.year(2026)) == 1
    with pytest.raises(ValidationError) as caught:
        services.centre_advance(
            actor=officers.clerk_a, centre=centre, status="operating", on=D(2026, 2, 1)
        )
    assert "operator" in caught.value.message_dict
    services.centre_advance(
        actor=officers.clerk_a,
        centre=centre,
        status="operating",
        on=D(2026, 2, 1),
        operator="夕阳红养老服务有限公司",
    )
    centre.refresh_from_db()
    assert (centre.status, centre.opened_on, centre.operator) == (
        "operating",
        D(2026, 2, 1),
        "夕阳红养老服务有限公司",
    )
    with pytest.raises(Http404):  # another township's clerk
        services.centre_update(actor=officers.clerk_b, centre=centre, name="改名")


# ---- home modification


ELDER_BORN = D(1944, 1, 1)


def _hardship_elder(areas, born=ELDER_BORN, program="dibao"):
    person = PersonFactory(area=areas.village_a, id_number=id_number(born), birth_date=born)
    entitle(person, program, "500.00", start=D(2025, 1, 1))
    return person


def test_modification_eligibility_comes_from_relief_s_facts(officers, areas, standards):
    plain = PersonFactory(area=areas.village_a, id_number=id_number(D(1940, 1, 1)))
    with pytest.raises(ValidationError) as caught:
        services.modification_apply(
            actor=officers.caseworker_a, person=plain, address="一组3号", applied_on=D(2026, 3, 1)
        )
    assert "special hardship" in str(caught.value)
    young = _hardship_elder(areas, born=D(1956, 6, 1))
    with pytest.raises(ValidationError) as caught:  # 69, not disabled nor dependent
        services.modification_apply(
            actor=officers.caseworker_a, person=young, address="一组3号", applied_on=D(2026, 3, 1)
        )
    assert "Under 80" in str(caught.value)
    dependent = services.modification_apply(
        actor=officers.caseworker_a,
        person=young,
        address="一组3号",
        applied_on=D(2026, 3, 1),
        dependent=True,
    )
    assert dependent.eligibility["hardship"] == ["dibao"]
    old = _hardship_elder(areas)
    m = services.modification_apply(
        actor=officers.caseworker_a, person=old, address="一组5号", applied_on=D(2026, 3, 1)
    )
    assert (m.status, m.eligibility["age"]) == ("applied", 82)
    assert Modification.objects.count() == 2


def test_a_modification_is_assessed_within_the_cap_worked_and_accepted(
    officers, areas, standards, items
):
    from civil_affairs.dashboard.figures import Period

    m = services.modification_apply(
        actor=officers.caseworker_a,
        person=_hardship_elder(areas),
        address="一组5号",
        applied_on=D(2026, 3, 1),
    )
    with pytest.raises(ValidationError) as caught:
        services.modification_assess(
            actor=officers.clerk_a,
            modification=m,
            assessed_on=D(2026, 3, 10),
            lines=[(items.grab_bar, Decimal("800")), (items.bed, Decimal("5600"))],
        )
    assert "6400.00" in str(caught.value)
    assert "6000" in str(caught.value)
    services.modification_assess(
        actor=officers.clerk_a,
        modification=m,
        assessed_on=D(2026, 3, 10),
        lines=[(items.grab_bar, Decimal("800")), (items.non_slip, Decimal("200.50"))],
    )
    m.refresh_from_db()
    assert (m.status, m.total_cost, m.lines.count()) == ("assessed", Decimal("1000.50"), 2)
    services.modification_start_works(
        actor=officers.clerk_a, modification=m, started_on=D(2026, 4, 1), contractor="县建安公司"
    )
    with pytest.raises(PermissionDenied):  # acceptance is the county officer's
        services.modification_accept(
            actor=officers.clerk_a, modification=m, accepted_on=D(2026, 4, 20)
        )
    services.modification_accept(
        actor=officers.eldercare, modification=m, accepted_on=D(2026, 4, 20), notes="验收合格"
    )
    m.refresh_from_db()
    assert m.status == "accepted"
    year = Period.year(2026)
    assert (
        selectors.figure_modifications_completed(user=officers.eldercare, area=None, period=year)
        == 1
    )
    assert (
        selectors.figure_modifications_completed(
            user=officers.eldercare, area=None, period=Period.year(2025)
        )
        == 0
    )


# ---- care workers and the figures of residents


def test_care_workers_and_the_certified_share(officers, areas):
    from civil_affairs.dashboard.figures import Period

    home = make_institution(officers.eldercare, areas.village_a)
    certified = services.careworker_create(
        actor=officers.eldercare,
        institution=home,
        id_number=id_number(D(1975, 5, 5)),
        name="护理员甲",
        employed_from=D(2024, 1, 1),
        skill_level=4,
        certificate_number="S2024-0001",
        certified_on=D(2024, 6, 1),
    )
    services.careworker_create(
        actor=officers.eldercare,
        institution=home,
        id_number=id_number(D(1980, 5, 5)),
        name="护理员乙",
        employed_from=D(2025, 1, 1),
    )
    services.training_record(
        actor=officers.eldercare,
        worker=certified,
        course="失能照护",
        attended_on=D(2025, 3, 3),
        hours=16,
    )
    with pytest.raises(ValidationError):  # a certificate has a date
        services.careworker_create(
            actor=officers.eldercare,
            institution=home,
            id_number=id_number(D(1981, 5, 5)),
            name="护理员丙",
            employed_from=D(2025, 1, 1),
            certificate_number="S1",
        )
    share = selectors.figure_care_workers_certified_share
    assert share(user=officers.eldercare, area=None, period=Period.year(2025)) == Decimal("50.0")
    assert share(user=officers.eldercare, area=areas.b, period=Period.year(2025)) is None
    assert certified.trainings.get().hours == 16


def test_the_vaccination_rate(officers, areas):
    from civil_affairs.dashboard.figures import Period

    home = make_institution(officers.eldercare, areas.village_a)
    for n, vaccinated in enumerate([True, True, False]):
        services.resident_admit(
            actor=officers.eldercare,
            institution=home,
            id_number=id_number(D(1940, 1, 1 + n)),
            name=f"住养{n}",
            admitted_on=D(2025, 1, 1),
            vaccinated=vaccinated,
            vaccinated_on=D(2025, 10, 1) if vaccinated else None,
        )
    rate = selectors.figure_vaccination_rate
    assert rate(user=officers.eldercare, area=None, period=Period.year(2025)) == Decimal("66.7")
    assert rate(user=officers.eldercare, area=None, period=Period.month(2025, 6)) == Decimal("0.0")
    assert rate(user=officers.eldercare, area=areas.b, period=Period.year(2025)) is None
    assert Resident.objects.count() == 3


def test_figures_are_registered_with_their_keys():
    from civil_affairs.dashboard import figures

    keys = {f.key for f in figures.of_app("eldercare")}
    assert keys == {
        "eldercare.centres_built",
        "eldercare.centres_under_construction",
        "eldercare.modifications_completed",
        "eldercare.units_screened",
        "eldercare.centres_screened",
        "eldercare.vaccination_rate",
        "eldercare.care_workers_certified_share",
    }
    assert {f.section for f in figures.of_app("eldercare")} == {"二"}
    url = figures.get("eldercare.modifications_completed").records_url
    assert url(None, figures.Period.year(2026)) == (
        "/eldercare/modifications/?from=2026-01-01&to=2026-12-31"
    )


def test_centre_rules(officers, areas):
    with pytest.raises(ValidationError):
        services.centre_create(
            actor=officers.eldercare, area=areas.county, name="县中心", planned_on=D(2025, 1, 1)
        )
    assert not HomeCareCentre.objects.exists()
