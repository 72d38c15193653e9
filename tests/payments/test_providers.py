"""Relief's providers' month logic: arrears, stops and suspensions from a month, new amounts."""

from decimal import Decimal

import pytest

from civil_affairs.payments.models import Payment

from .factories import DEC, NOV, OCT, SEP, beneficiary, entitle, generate

pytestmark = pytest.mark.django_db


def rows(person):
    return list(
        Payment.objects.filter(person=person).order_by("month").values_list("month", "amount")
    )


def test_arrears_for_months_approved_late_in_the_first_payroll_only(staff, areas):
    person = beneficiary(areas.village_a, "dibao", "500.00", start=SEP, first_payroll=NOV)
    generate(staff.finance, month=NOV, programs=["dibao"])
    assert rows(person) == [
        (SEP, Decimal("500.00")),
        (OCT, Decimal("500.00")),
        (NOV, Decimal("500.00")),
    ]
    generate(staff.finance, month=DEC, programs=["dibao"])
    assert rows(person)[-1] == (DEC, Decimal("500.00"))
    assert len(rows(person)) == 4


def test_arrears_at_the_amount_of_each_month(staff, areas):
    person = beneficiary(
        areas.village_a,
        "dibao",
        "600.00",
        start=SEP,
        first_payroll=NOV,
        periods=[(SEP, OCT, "450.00"), (NOV, None, "600.00")],
    )
    generate(staff.finance, month=NOV, programs=["dibao"])
    assert rows(person) == [
        (SEP, Decimal("450.00")),
        (OCT, Decimal("450.00")),
        (NOV, Decimal("600.00")),
    ]


def test_a_stop_from_a_month_pays_until_the_month_before(staff, areas):
    person = beneficiary(areas.village_a, "dibao", "500.00", start=SEP, end=OCT, status="stopped")
    generate(staff.finance, month=SEP, programs=["dibao"])
    generate(staff.finance, month=OCT, programs=["dibao"])
    generate(staff.finance, month=NOV, programs=["dibao"])
    assert [m for m, _a in rows(person)] == [SEP, OCT]


def test_a_suspension_from_a_month(staff, areas):
    person = beneficiary(
        areas.village_a, "dibao", "500.00", start=SEP, status="suspended", suspended_from=NOV
    )
    generate(staff.finance, month=OCT, programs=["dibao"])
    generate(staff.finance, month=NOV, programs=["dibao"])
    assert [m for m, _a in rows(person)] == [OCT]


def test_a_stopped_entitlement_without_a_last_month_pays_nothing(staff, areas):
    person = beneficiary(areas.village_a, "dibao", "500.00", status="stopped")
    generate(staff.finance, month=NOV, programs=["dibao"])
    assert rows(person) == []


def test_overlapping_periods_pay_a_month_once_at_the_latest_amount(staff, areas):
    person = beneficiary(
        areas.village_a,
        "dibao",
        "600.00",
        start=OCT,
        periods=[(OCT, None, "450.00"), (NOV, None, "600.00")],
    )
    generate(staff.finance, month=NOV, programs=["dibao"])
    assert rows(person) == [(NOV, Decimal("600.00"))]


def test_one_person_in_several_programs(staff, areas):
    person = beneficiary(areas.village_a, "dibao", "500.00")
    entitle(person, "disability_living", "90.00")
    entitle(person, "disability_care", "120.00")
    payroll = generate(staff.finance, month=NOV)
    assert payroll.rows == 3
    assert payroll.amount == Decimal("710.00")
    assert {p.program for p in Payment.objects.filter(person=person)} == {
        "dibao",
        "disability_living",
        "disability_care",
    }


def test_a_month_already_paid_is_never_paid_again(staff, areas):
    """An entitlement whose first payroll month is moved back finds its months paid."""
    person = beneficiary(areas.village_a, "dibao", "500.00", start=OCT, first_payroll=OCT)
    generate(staff.finance, month=OCT, programs=["dibao"])
    person.entitlements.update(first_payroll_month=NOV)  # a data fix: arrears from October
    generate(staff.finance, month=NOV, programs=["dibao"])
    assert [m for m, _a in rows(person)] == [OCT, NOV]
    assert Payment.objects.filter(person=person, month=OCT).count() == 1
