"""The pipeline: draft → submitted → approved (by another person, within the fund) → …"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.core.status import history
from civil_affairs.payments import services
from civil_affairs.payments.models import LedgerEntry, Payment, Payroll
from tests.factories import PersonFactory

from .factories import NOV, beneficiary, entitle, fund, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    beneficiary(areas.village_a, "dibao", "300.00")
    beneficiary(areas.village_b, "dibao", "200.00")
    return generate(staff.finance, programs=["dibao"])


def test_full_approval_books_the_disbursement_and_fixes_accounts(staff, payroll):
    fund(staff.finance, "dibao", "5000.00")
    services.payroll_submit(actor=staff.finance, payroll=payroll, note="十一月")
    services.payroll_approve(actor=staff.approver, payroll=payroll, note="同意")
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.APPROVED
    assert payroll.approved_by == staff.approver
    assert [c.new_status for c in history(payroll)][-2:] == ["submitted", "approved"]
    out = LedgerEntry.objects.get(kind=LedgerEntry.Kind.DISBURSEMENT)
    assert (out.program, out.amount, out.payroll) == ("dibao", Decimal("-1000.00"), payroll)
    assert services.fund_balances(out.area)["dibao"] == Decimal("4000.00")
    for row in Payment.objects.filter(payroll=payroll).select_related("person"):
        assert row.bank_account == row.person.bank_account != ""


def test_payroll_over_the_balance_cannot_be_approved(staff, payroll):
    fund(staff.finance, "dibao", "999.99")
    services.payroll_submit(actor=staff.finance, payroll=payroll)
    with pytest.raises(ValidationError) as refused:
        services.payroll_approve(actor=staff.approver, payroll=payroll)
    text = " ".join(refused.value.messages)
    assert "999.99" in text
    assert "1000.00" in text
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.SUBMITTED
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DISBURSEMENT).exists()


def test_held_rows_are_not_paid_and_lower_the_need(staff, payroll):
    fund(staff.finance, "dibao", "700.00")
    row = Payment.objects.get(payroll=payroll, amount=Decimal("300.00"))
    services.payment_hold(actor=staff.approver, payment=row, reason="待核实死亡信息")
    payroll.refresh_from_db()
    assert (payroll.held_rows, payroll.held_amount, payroll.payable_amount) == (
        1,
        Decimal("300.00"),
        Decimal("700.00"),
    )
    services.payroll_submit(actor=staff.finance, payroll=payroll)
    services.payroll_approve(actor=staff.approver, payroll=payroll)
    row.refresh_from_db()
    assert row.status == Payment.Status.HELD
    assert row.bank_account == ""
    with pytest.raises(ValidationError):
        services.payment_release(actor=staff.finance, payment=row)


def test_hold_and_release_before_approval(staff, payroll):
    row = Payment.objects.filter(payroll=payroll).first()
    with pytest.raises(ValidationError) as no_reason:
        services.payment_hold(actor=staff.finance, payment=row, reason=" ")
    assert "reason" in no_reason.value.message_dict
    services.payment_hold(actor=staff.finance, payment=row, reason="银行卡挂失")
    services.payment_release(actor=staff.finance, payment=row)
    row.refresh_from_db()
    payroll.refresh_from_db()
    assert (row.status, row.hold_reason) == ("pending", "")
    assert payroll.held_rows == 0
    # rows are inserted set-based (no history row); each change after is recorded
    assert [h.status for h in row.history.order_by("history_id")] == ["held", "pending"]


def test_hold_is_refused_outside_the_area_and_for_caseworkers(staff, areas, payroll):
    row_b = Payment.objects.get(payroll=payroll, area=areas.village_b)
    with pytest.raises((Http404, PermissionDenied)):
        services.payment_hold(actor=staff.reviewer_a, payment=row_b, reason="x")
    with pytest.raises(PermissionDenied):
        services.payment_hold(actor=staff.caseworker_b, payment=row_b, reason="x")
    row_b.refresh_from_db()
    assert row_b.status == "pending"


def test_the_generator_cannot_approve(staff, areas, payroll):
    from civil_affairs.areas.models import Role
    from civil_affairs.areas.services import assignment_create

    assignment_create(user=staff.finance, area=areas.county, role=Role.COUNTY_APPROVER)
    fund(staff.finance, "dibao")
    payroll = services.payroll_submit(actor=staff.finance, payroll=payroll)
    with pytest.raises(PermissionDenied):
        services.payroll_approve(actor=staff.finance, payroll=payroll)
    assert not services.may_approve(staff.finance, payroll)
    assert services.may_approve(staff.approver, payroll)
    with pytest.raises(Http404):  # a township reviewer does not see the county's payroll
        services.payroll_approve(actor=staff.reviewer_a, payroll=payroll)
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.SUBMITTED


def test_rows_without_account_must_be_held_or_corrected(staff, areas, payroll):
    person = PersonFactory(area=areas.village_a)  # no bank account
    entitle(person, "dibao", "450.00")
    payroll = generate(staff.finance, programs=["dibao"])
    with pytest.raises(ValidationError) as refused:
        services.payroll_submit(actor=staff.finance, payroll=payroll)
    assert person.name in refused.value.messages[0]
    services.payment_hold(
        actor=staff.finance, payment=Payment.objects.get(person=person), reason="无银行账户"
    )
    services.payroll_submit(actor=staff.finance, payroll=payroll)
    assert payroll.__class__.objects.get(pk=payroll.pk).status == "submitted"


def test_send_back_to_draft_then_resubmit(staff, payroll):
    services.payroll_submit(actor=staff.finance, payroll=payroll)
    with pytest.raises(ValidationError):
        services.payroll_return(actor=staff.approver, payroll=payroll, note="")
    services.payroll_return(actor=staff.approver, payroll=payroll, note="请核对灰山港镇")
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.DRAFT
    regenerated = generate(staff.finance, programs=["dibao"])
    assert regenerated.pk == payroll.pk
    services.payroll_submit(actor=staff.finance, payroll=payroll)


def test_cannot_skip_steps(staff, payroll):
    fund(staff.finance, "dibao")
    with pytest.raises(ValidationError):
        services.payroll_approve(actor=staff.approver, payroll=payroll)
    with pytest.raises(ValidationError):
        services.payroll_bank_file(actor=staff.finance, payroll=payroll)
    with pytest.raises(ValidationError):
        services.payroll_close(actor=staff.finance, payroll=payroll)
    services.payroll_submit(actor=staff.finance, payroll=payroll)
    with pytest.raises(ValidationError):
        services.payroll_submit(actor=staff.finance, payroll=payroll)
    with pytest.raises(ValidationError):  # a submitted payroll is not generated again
        generate(staff.finance, month=NOV, programs=["dibao"])


def test_one_off_payment_reaches_the_ledger_with_the_person(staff, areas, monkeypatch):
    """A one-off program's payment (e.g. temporary assistance) is one ledger entry naming the
    person and the record; the fund must hold it."""
    from civil_affairs.payments import providers, selectors

    monkeypatch.setitem(providers._one_off, "test_one_off", "一次性测试")  # this test's only
    person = PersonFactory(area=areas.village_a)
    with pytest.raises(ValidationError) as refused:
        services.ledger_pay_one_off(
            actor=staff.caseworker_a,
            program="test_one_off",
            person=person,
            area=areas.village_a,
            amount=Decimal("300"),
            source="test:1",
        )
    assert "0.00" in str(refused.value)
    services.ledger_allocate(
        actor=staff.finance, program="test_one_off", amount=Decimal("1000"), reference="财社1号"
    )
    entry = services.ledger_pay_one_off(
        actor=staff.caseworker_a,
        program="test_one_off",
        person=person,
        area=areas.village_a,
        amount=Decimal("300"),
        source="test:1",
    )
    assert (entry.kind, entry.amount, entry.person, entry.area) == (
        LedgerEntry.Kind.ONE_OFF,
        Decimal("-300.00"),
        person,
        areas.county,
    )
    balance = {b.program: b for b in selectors.ledger_balances(user=staff.finance)}["test_one_off"]
    assert (balance.disbursed, balance.balance) == (Decimal("300.00"), Decimal("700.00"))
