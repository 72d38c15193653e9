"""What relief's providers owe per month and what the engine pays of it: arrears, stops and
suspensions from a month, new amounts, back pay of a difference, never a month twice."""

from decimal import Decimal

import pytest

from civil_affairs.payments.models import Payment

from .factories import DEC, NOV, OCT, SEP, beneficiary, entitle, generate

pytestmark = pytest.mark.django_db


def rows(person):
    return list(
        Payment.objects.filter(person=person).order_by("month").values_list("month", "amount")
    )


def test_months_owed_and_never_paid_are_arrears_of_the_next_payroll(staff, areas):
    person = beneficiary(areas.village_a, "dibao", "500.00", start=SEP)
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
    assert [m for m, _a in rows(person)] == [SEP, OCT]


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
    assert rows(person) == [(OCT, Decimal("450.00")), (NOV, Decimal("600.00"))]


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
    person = beneficiary(areas.village_a, "dibao", "500.00", start=OCT)
    generate(staff.finance, month=OCT, programs=["dibao"])
    generate(staff.finance, month=NOV, programs=["dibao"])
    generate(staff.finance, month=DEC, programs=["dibao"])
    assert rows(person) == [
        (OCT, Decimal("500.00")),
        (NOV, Decimal("500.00")),
        (DEC, Decimal("500.00")),
    ]


def test_a_raise_of_a_paid_month_is_back_pay_of_the_difference_and_a_cut_takes_nothing(
    staff, areas
):
    from relief.models import EntitlementPeriod

    person = beneficiary(areas.village_a, "dibao", "500.00", start=OCT)
    generate(staff.finance, month=OCT, programs=["dibao"])
    generate(staff.finance, month=NOV, programs=["dibao"])
    # what is owed for October rises to 560 and for November falls to 450, after both were paid
    entitlement = person.entitlements.get()
    entitlement.periods.all().delete()
    for first, last, amount in [(OCT, OCT, "560.00"), (NOV, None, "450.00")]:
        EntitlementPeriod.objects.create(
            entitlement=entitlement, valid_from=first, valid_to=last, monthly_amount=amount
        )
    payroll = generate(staff.finance, month=DEC, programs=["dibao"])
    assert list(
        Payment.objects.filter(payroll=payroll)
        .order_by("month")
        .values_list("month", "amount", "kind")
    ) == [(OCT, Decimal("60.00"), "back_pay"), (DEC, Decimal("450.00"), "regular")]
    generate(staff.finance, month=DEC, programs=["dibao"])  # again: nothing more
    assert Payment.objects.filter(person=person).count() == 4
