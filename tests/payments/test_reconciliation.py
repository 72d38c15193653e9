"""The reconciliation page, its job and the home panel of finance."""

from decimal import Decimal

import pytest
from django.test import TestCase

from civil_affairs.payments import services, tasks
from civil_affairs.payments.models import Payment, ReconciliationRun
from relief.models import EntitlementPeriod
from tests.conftest import login

from .factories import DEC, NOV, OCT, beneficiary, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_twice(staff, areas):
    """Two people paid for October and November; then what A is owed for October rises by 50
    and B's November falls by 30."""
    a = beneficiary(areas.village_a, "dibao", "500.00", start=OCT)
    b = beneficiary(areas.village_b, "dibao", "400.00", start=OCT)
    for month in (OCT, NOV):
        payroll = generate(staff.finance, month=month, programs=["dibao"])
        Payment.objects.filter(payroll=payroll).update(status="paid")
    EntitlementPeriod.objects.filter(entitlement__person=a).update(valid_from=NOV)
    EntitlementPeriod.objects.create(
        entitlement=a.entitlements.get(), valid_from=OCT, valid_to=OCT, monthly_amount="550.00"
    )
    EntitlementPeriod.objects.filter(entitlement__person=b).update(monthly_amount="370.00")
    return a, b


def _run():
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.reconcile()
    return ReconciliationRun.objects.get()


def test_the_nightly_run_lists_each_difference_and_finance_sees_it(staff, areas, paid_twice):
    a, b = paid_twice
    run = _run()
    assert run.status == "done"
    lines = {
        (ln.person, f"{ln.month:%m}", ln.owed, ln.paid, ln.difference) for ln in run.lines.all()
    }
    assert lines == {
        (a, "10", Decimal("550.00"), Decimal("500.00"), Decimal("50.00")),
        (b, "10", Decimal("370.00"), Decimal("400.00"), Decimal("-30.00")),
        (b, "11", Decimal("370.00"), Decimal("400.00"), Decimal("-30.00")),
    }
    home = login(staff.finance).get("/").content.decode()
    assert 'id="reconciliation-differences"' in home
    assert "1 个月份应发未发" in home
    assert "2 个月份多发" in home
    page = login(staff.finance).get("/payments/reconciliation/").content.decode()
    assert a.name in page
    assert b.name in page
    # a township-A reviewer sees township A's line only
    page = login(staff.reviewer_a).get("/payments/reconciliation/?sign=too_much").content.decode()
    assert b.name not in page
    # the next payroll pays A's back pay; finance registers B's excess for recovery
    generate(staff.finance, month=DEC, programs=["dibao"])
    client = login(staff.finance)
    for line in run.lines.filter(person=b):
        client.post(f"/payments/reconciliation/lines/{line.pk}/register/", {"reason": "标准下调"})
    assert sorted(b.overpayments.values_list("amount", flat=True)) == [Decimal("30.00")] * 2
    ReconciliationRun.objects.all().delete()
    assert _run().lines.count() == 0


def test_only_reconcilers_start_a_run_and_a_run_in_progress_is_not_doubled(staff, paid_twice):
    with TestCase.captureOnCommitCallbacks(execute=False):
        first = services.reconciliation_start(actor=staff.finance)
        assert services.reconciliation_start(actor=staff.approver) == first
    response = login(staff.caseworker_a).post("/payments/reconciliation/run/")
    assert response.status_code == 403
    assert ReconciliationRun.objects.count() == 1
