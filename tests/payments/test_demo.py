"""The demo (make run) shows every state of a payroll, and loading it twice changes nothing."""

import pytest

from civil_affairs.core import demo
from civil_affairs.payments import demo as payments_demo
from civil_affairs.payments import selectors
from civil_affairs.payments.models import LedgerEntry, Payment, Payroll
from relief import demo as relief_demo

pytestmark = pytest.mark.django_db


def test_demo_payrolls_ledger_and_failed_row():
    areas = demo.load_areas()
    demo.load_users(areas)
    demo.load_people(areas)
    relief_demo.load(areas)  # seed_demo loads the domain apps' cases before payments' demo
    payments_demo.load(areas)
    payrolls = list(Payroll.objects.order_by("month"))
    assert [p.status for p in payrolls] == ["partly_failed", "draft"]
    first = payrolls[0]
    failed = Payment.objects.get(status="failed")
    assert failed.payroll == first
    assert failed.bank_reason == "账户已冻结"
    assert first.amount > 0
    # the fund shows the disbursement and the return of the failed row
    from django.contrib.auth import get_user_model

    finance = get_user_model().objects.get(username="finance")
    balances = {b.program: b for b in selectors.ledger_balances(user=finance)}
    # the payroll's programs: relief's demo also pays one-off aid through the ledger
    paid_out = sum(
        b.disbursed - b.returned for b in balances.values() if b.program in set(first.programs)
    )
    assert paid_out == first.amount - failed.amount
    assert selectors.failed_payments(user=finance).get() == failed
    counts = (Payroll.objects.count(), Payment.objects.count(), LedgerEntry.objects.count())
    payments_demo.load(areas)
    assert (Payroll.objects.count(), Payment.objects.count(), LedgerEntry.objects.count()) == counts
