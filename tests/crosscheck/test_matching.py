"""The matching job's SQL: one warning per (person, list row, rule), never twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from civil_affairs.crosscheck import services
from civil_affairs.crosscheck.models import MatchRule, Threshold, Warning
from tests.factories import PersonFactory

from .conftest import csv_bytes, deaths, entitle, household_of, ref, run, upload

pytestmark = pytest.mark.django_db

VEHICLE_HEADER = ["身份证号码", "姓名", "车辆价值", "号牌号码"]


def vehicles(actor, area, rows, **kw):
    data = csv_bytes(
        [[p.id_number, p.name, value, "湘H00001"] for p, value in rows], VEHICLE_HEADER
    )
    return upload(actor, area, "vehicle", data, **kw)


def threshold(name, area, amount, valid_from=datetime.date(2026, 1, 1), valid_to=None):
    return Threshold.objects.create(
        name=name, area=area, amount=Decimal(amount), valid_from=valid_from, valid_to=valid_to
    )


def test_death_of_a_dibao_beneficiary_raises_one_warning(staff, areas, beneficiaries):
    b = beneficiaries
    lst = deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10")])
    done = run(areas.county)
    assert done.status == "done"
    assert done.warnings_created == 1
    warning = Warning.objects.get()
    assert warning.person == b.head_a
    assert warning.subject == b.head_a
    assert warning.area == areas.village_a
    assert warning.list_row.list == lst
    assert warning.list_row.row_number == 2
    assert warning.kind == "death"
    assert warning.severity == "high"
    assert warning.suggested_action == "stop"
    assert warning.suggested_month == datetime.date(2026, 4, 1)
    assert warning.evidence["benefits"] == [ref(b.dibao_a)]
    assert warning.status == "open"


def test_rerun_creates_no_new_warnings_and_a_dismissed_one_stays_dismissed(
    staff, areas, beneficiaries
):
    b = beneficiaries
    deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10"), (b.head_b, "2026-02-01")])
    assert run(areas.county).warnings_created == 2
    dismissed = Warning.objects.get(person=b.head_b)
    services.warnings_dismiss(
        actor=staff.caseworker_b, warnings=[dismissed], reason="同名误报，已入户核实"
    )
    again = run(areas.county)
    assert again.warnings_created == 0
    assert Warning.objects.count() == 2
    dismissed.refresh_from_db()
    assert dismissed.status == "dismissed"
    assert dismissed.resolution_note == "同名误报，已入户核实"


def test_the_same_person_on_a_new_list_is_new_evidence(staff, areas, beneficiaries):
    b = beneficiaries
    deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10")])
    run(areas.county)
    deaths(
        staff.approver,
        areas.county,
        [(b.head_a, "2026-03-10")],
        valid_on=datetime.date(2026, 4, 30),
    )
    assert run(areas.county).warnings_created == 1
    assert Warning.objects.filter(person=b.head_a).count() == 2


def test_no_warning_for_people_without_open_entitlements(staff, areas, beneficiaries):
    b = beneficiaries
    stranger = PersonFactory(area=areas.village_a)
    b.dibao_b.status = "stopped"
    b.dibao_b.save()
    deaths(staff.approver, areas.county, [(stranger, "2026-03-01"), (b.head_b, "2026-03-01")])
    assert run(areas.county).warnings_created == 0


def test_a_death_in_the_household_concerns_the_dibao_holder_for_review(staff, areas, beneficiaries):
    """The spouse is not paid anything; her death changes the household's dibao."""
    b = beneficiaries
    deaths(staff.approver, areas.county, [(b.spouse_a, "2026-03-05")])
    run(areas.county)
    warning = Warning.objects.get()
    assert (warning.person, warning.subject) == (b.head_a, b.spouse_a)
    assert warning.rule.reach == MatchRule.Reach.OTHERS
    assert warning.suggested_action == "review"


def test_vehicle_above_the_threshold_suspends_the_household_dibao(staff, areas, beneficiaries):
    b = beneficiaries
    threshold("vehicle_value", areas.county, "50000")
    threshold("vehicle_value", areas.b, "80000")  # township B has its own, higher threshold
    poor_car = PersonFactory(area=areas.village_a)
    household_of(poor_car)
    entitle(poor_car, "dibao", "300.00")
    vehicles(
        staff.approver,
        areas.county,
        [(b.spouse_a, "60000"), (b.head_b, "70000"), (poor_car, "50000")],
    )
    run(areas.county)
    warning = Warning.objects.get()  # B's 70,000 is under B's 80,000; 50,000 is not above
    assert (warning.person, warning.subject) == (b.head_a, b.spouse_a)
    assert warning.suggested_action == "suspend"
    assert warning.suggested_month == datetime.date(2026, 4, 1)  # the month after the list's date


def test_threshold_valid_on_the_list_date_applies(staff, areas, beneficiaries):
    b = beneficiaries
    threshold("vehicle_value", areas.county, "50000", valid_to=datetime.date(2026, 2, 28))
    threshold("vehicle_value", areas.county, "90000", valid_from=datetime.date(2026, 3, 1))
    vehicles(
        staff.approver, areas.county, [(b.head_a, "60000")], valid_on=datetime.date(2026, 2, 15)
    )
    vehicles(
        staff.approver, areas.county, [(b.head_a, "60000")], valid_on=datetime.date(2026, 3, 15)
    )
    run(areas.county)
    assert Warning.objects.get().list_row.list.valid_on == datetime.date(2026, 2, 15)


def test_without_a_threshold_every_vehicle_is_a_hit(staff, areas, beneficiaries):
    """No threshold entered yet: the rule cannot tell, so every hit goes to a caseworker."""
    vehicles(staff.approver, areas.county, [(beneficiaries.head_a, "1000")])
    run(areas.county)
    assert Warning.objects.count() == 1


def test_pension_is_compared_with_the_dibao_standard_of_the_households_type(
    staff, areas, beneficiaries
):
    from civil_affairs.standards.models import Standard

    b = beneficiaries
    Standard.objects.create(
        kind="dibao",
        variant="rural",
        area=areas.county,
        valid_from=datetime.date(2026, 1, 1),
        value=Decimal("650"),
    )
    Standard.objects.create(
        kind="dibao",
        variant="urban",
        area=areas.county,
        valid_from=datetime.date(2026, 1, 1),
        value=Decimal("800"),
    )
    header = ["身份证号码", "姓名", "月养老金"]
    rows = [[b.head_a.id_number, "", "700"], [b.head_b.id_number, "", "600"]]
    upload(staff.approver, areas.county, "pension", csv_bytes(rows, header))
    run(areas.county)
    assert list(Warning.objects.values_list("person", flat=True)) == [b.head_a.pk]


def test_a_list_covers_only_its_area_and_a_run_only_its_own(staff, areas, beneficiaries):
    b = beneficiaries
    deaths(staff.admin, areas.a, [(b.head_a, "2026-03-10"), (b.head_b, "2026-03-10")])
    assert run(areas.b).warnings_created == 0  # the list covers township A only
    assert run(areas.county).warnings_created == 1
    assert Warning.objects.get().person == b.head_a
    # a county list in a township's run: only that township's beneficiaries
    deaths(staff.approver, areas.county, [(b.head_b, "2026-03-12")])
    assert run(areas.b).warnings_created == 1
    assert Warning.objects.filter(person=b.head_b).count() == 1


def test_a_retired_list_is_not_matched(staff, areas, beneficiaries):
    lst = deaths(staff.approver, areas.county, [(beneficiaries.head_a, "2026-03-10")])
    services.list_retire(actor=staff.approver, external_list=lst)
    assert run(areas.county).warnings_created == 0


def test_an_inactive_rule_raises_nothing(staff, areas, beneficiaries):
    MatchRule.objects.filter(kind="death").update(active=False)
    deaths(staff.approver, areas.county, [(beneficiaries.head_a, "2026-03-10")])
    assert run(areas.county).warnings_created == 0


def test_dibao_and_extreme_poverty_together_is_one_warning(staff, areas, beneficiaries):
    b = beneficiaries
    extra = entitle(b.head_a, "extreme_poverty", "900.00")
    entitle(b.spouse_a, "disability_living", "80.00")
    first = run(areas.county, checks=["duplicates"])
    warning = Warning.objects.get()
    assert warning.kind == "duplicate_benefit"
    assert warning.person == b.head_a
    assert warning.list_row is None
    assert warning.evidence_key == f"benefits:{ref(b.dibao_a)},{ref(extra)}"
    assert warning.evidence["programs"] == ["dibao", "extreme_poverty"]
    assert warning.suggested_month == datetime.date(2026, 5, 1)  # the month after the run
    assert first.warnings_created == 1
    assert run(areas.county, checks=["duplicates"]).warnings_created == 0


def test_paid_for_another_household_than_the_one_lived_in(staff, areas, beneficiaries):
    b = beneficiaries
    b.dibao_a.household = b.house_b  # paid as the head of B's household, but a member of A's
    b.dibao_a.save()
    run(areas.county, checks=["duplicates"])
    warning = Warning.objects.get()
    assert warning.kind == "duplicate_household"
    assert warning.person == b.head_a
    assert warning.evidence["households"] == [
        f"relief.household:{pk}" for pk in sorted([b.house_a.pk, b.house_b.pk])
    ]
    assert warning.evidence["benefits"] == [ref(b.dibao_a)]


def test_age_rule_hook_fires_once_when_the_age_is_reached(staff, areas):
    """Age events are for programs of apps not built yet; the hook works with any program."""
    rule = MatchRule.objects.get(kind="age", age_years=18)
    rule.programs = ["disability_living"]
    rule.active = True
    rule.save()
    turning = PersonFactory(
        area=areas.village_a, id_number="430922200805150013", birth_date=datetime.date(2008, 5, 15)
    )
    later = PersonFactory(
        area=areas.village_a, id_number="430922200807010038", birth_date=datetime.date(2008, 7, 1)
    )
    entitle(turning, "disability_living", "80.00")
    entitle(later, "disability_living", "80.00")
    run(areas.county, checks=["age"], as_of=datetime.date(2026, 4, 20))
    warning = Warning.objects.get()
    assert warning.person == turning
    assert warning.evidence_key == "age:18"
    assert warning.suggested_month == datetime.date(2026, 6, 1)  # turns 18 on 2026-05-15
    # the other turns 18 on 2026-07-01: within reach of the run of June, not of May
    assert run(areas.county, checks=["age"], as_of=datetime.date(2026, 5, 20)).warnings_created == 0
    assert run(areas.county, checks=["age"], as_of=datetime.date(2026, 6, 20)).warnings_created == 1
    assert run(areas.county, checks=["age"], as_of=datetime.date(2026, 7, 20)).warnings_created == 0


def test_a_run_is_chunked_and_reports_progress(staff, areas, beneficiaries, monkeypatch):
    from civil_affairs.crosscheck import matching

    monkeypatch.setattr(matching, "LIST_CHUNK_ROWS", 2)
    monkeypatch.setattr(matching, "PEOPLE_CHUNK_IDS", 1)
    b = beneficiaries
    deaths(
        staff.approver,
        areas.county,
        [(b.spouse_a, "2026-03-01"), (b.head_a, "2026-03-01"), (b.head_b, "2026-03-01")],
    )
    done = run(areas.county)
    assert done.chunks_total > 3
    assert done.chunks_done == done.chunks_total
    assert done.progress == 100
    assert done.warnings_created == Warning.objects.count() == 3


def test_only_one_run_at_a_time_per_area_and_only_supervisors_start_one(staff, areas):
    from django.core.exceptions import PermissionDenied, ValidationError

    from civil_affairs.crosscheck.models import MatchRun

    with pytest.raises(PermissionDenied):
        services.run_start(actor=staff.caseworker_a, area=areas.a)
    services.run_start(actor=staff.approver, area=areas.county)
    with pytest.raises(ValidationError):
        services.run_start(actor=staff.admin, area=areas.county)
    with pytest.raises(ValidationError):
        services.run_start(actor=staff.approver, area=areas.a, checks=["everything"])
    assert MatchRun.objects.count() == 1
