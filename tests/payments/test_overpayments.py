"""Overpayments: the paid months after a stop become debts; recoveries go into the fund."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.payments import selectors, services
from civil_affairs.payments.models import LedgerEntry, Overpayment, Payment

from .factories import DEC, NOV, OCT, beneficiary, fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_person(staff, areas):
    """A dibao beneficiary paid for October, November and December (and a disability row)."""
    person = beneficiary(areas.village_a, "dibao", "500.00", start=OCT)
    from .factories import entitle, generate

    entitle(person, "disability_living", "90.00", start=OCT)
    fund(staff.finance, "dibao")
    fund(staff.finance, "disability_living")
    for month in (OCT, NOV, DEC):
        payroll = generate(staff.finance, month=month, programs=["dibao", "disability_living"])
        Payment.objects.filter(payroll=payroll).update(status=Payment.Status.PAID)
    return person


def test_register_turns_paid_months_into_overpayments_once(staff, paid_person):
    made = services.overpayment_register(
        actor=staff.caseworker_a,
        person=paid_person,
        program="dibao",
        from_month=NOV,
        reason="死亡",
        source="crosscheck.warning:7",
    )
    assert [(o.month, o.amount, o.status) for o in made] == [
        (NOV, Decimal("500.00"), "to_recover"),
        (DEC, Decimal("500.00"), "to_recover"),
    ]
    assert all(o.payment.program == "dibao" for o in made)
    again = services.overpayment_register(
        actor=staff.caseworker_a, person=paid_person, program="dibao", from_month=OCT, reason="死亡"
    )
    assert [o.month for o in again] == [OCT, NOV, DEC]
    assert {o.pk for o in made} <= {o.pk for o in again}
    assert Overpayment.objects.count() == 3
    # one per paid month of the program, the other program's rows untouched
    assert sorted(Overpayment.objects.values_list("program", "month")) == [
        ("dibao", OCT),
        ("dibao", NOV),
        ("dibao", DEC),
    ]


def test_a_reduced_amount_recovers_only_what_was_paid_above_it(staff, paid_person):
    cut = services.overpayment_register(
        actor=staff.caseworker_a,
        person=paid_person,
        program="dibao",
        from_month=NOV,
        reason="收入增加",
        due_amount=Decimal("350"),
    )
    assert [(o.month, o.amount) for o in cut] == [
        (NOV, Decimal("150.00")),
        (DEC, Decimal("150.00")),
    ]
    raised = services.overpayment_register(
        actor=staff.caseworker_a,
        person=paid_person,
        program="disability_living",
        from_month=NOV,
        reason="调高",
        due_amount=Decimal("120"),
    )
    assert raised == []
    assert Overpayment.objects.count() == 2


def test_register_needs_a_reason_and_the_persons_area(staff, paid_person):
    with pytest.raises(ValidationError):
        services.overpayment_register(
            actor=staff.caseworker_a, person=paid_person, program="dibao", from_month=NOV, reason=""
        )
    with pytest.raises(Http404):
        services.overpayment_register(
            actor=staff.caseworker_b,
            person=paid_person,
            program="dibao",
            from_month=NOV,
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        services.overpayment_register(
            actor=staff.reviewer_a, person=paid_person, program="dibao", from_month=NOV, reason="x"
        )
    assert not Overpayment.objects.exists()


def test_recover_in_parts_books_recoveries(staff, paid_person):
    (overpayment,) = services.overpayment_register(
        actor=staff.caseworker_a, person=paid_person, program="dibao", from_month=DEC, reason="迁出"
    )
    balance_before = services.fund_balances(services.county_of(overpayment.area))["dibao"]
    entry = services.overpayment_recover(
        actor=staff.finance, overpayment=overpayment, amount=Decimal("200.00"), note="第一次"
    )
    assert entry.kind == LedgerEntry.Kind.RECOVERY
    assert entry.amount == Decimal("200.00")
    overpayment.refresh_from_db()
    assert overpayment.outstanding == Decimal("300.00")
    assert overpayment.status == "to_recover"
    with pytest.raises(ValidationError) as too_much:
        services.overpayment_recover(
            actor=staff.finance, overpayment=overpayment, amount=Decimal("300.01")
        )
    assert "amount" in too_much.value.message_dict
    services.overpayment_recover(
        actor=staff.finance, overpayment=overpayment, amount=Decimal("300")
    )
    overpayment.refresh_from_db()
    assert overpayment.status == "recovered"
    balance_after = services.fund_balances(services.county_of(overpayment.area))["dibao"]
    assert balance_after - balance_before == Decimal("500.00")
    with pytest.raises(PermissionDenied):
        services.overpayment_recover(
            actor=staff.caseworker_a, overpayment=overpayment, amount=Decimal("1")
        )


def test_waive_by_the_approver(staff, paid_person):
    (overpayment,) = services.overpayment_register(
        actor=staff.caseworker_a, person=paid_person, program="dibao", from_month=DEC, reason="迁出"
    )
    with pytest.raises(PermissionDenied):
        services.overpayment_waive(actor=staff.finance, overpayment=overpayment, reason="x")
    services.overpayment_waive(
        actor=staff.approver, overpayment=overpayment, reason="本人已故无遗产"
    )
    overpayment.refresh_from_db()
    assert overpayment.status == "waived"
    with pytest.raises(ValidationError):
        services.overpayment_recover(
            actor=staff.finance, overpayment=overpayment, amount=Decimal("1")
        )


def test_a_reversed_ledger_entry_is_known_as_reversed(staff):
    first, second = fund(staff.finance, "dibao"), fund(staff.finance, "dibao", "500.00")
    services.ledger_reverse(actor=staff.finance, entry=first, note="录入错误")
    assert selectors.reversed_entries([first, second]) == {first.pk}
