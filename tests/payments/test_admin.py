"""The admin shows payments read-only, scoped like every other interface."""

import pytest

from civil_affairs.payments.models import Payment
from tests.conftest import login

from .factories import beneficiary, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    beneficiary(areas.village_b, "dibao", "300.00")
    payroll = generate(staff.finance, programs=["dibao"])
    Payment.objects.filter(payroll=payroll).update(status="paid")
    return payroll


def test_payments_are_read_only_and_scoped(staff, areas, rows):
    row_a = Payment.objects.get(area=areas.village_a)
    row_b = Payment.objects.get(area=areas.village_b)
    client = login(staff.reviewer_a)
    page = client.get("/admin/payments/payment/").content.decode()
    assert row_a.reference in page
    assert row_b.reference not in page
    assert row_a.person.id_number not in page
    change = client.get(f"/admin/payments/payment/{row_a.pk}/change/")
    assert change.status_code == 200
    assert 'name="amount"' not in change.content.decode()  # shown, not editable
    assert client.get(f"/admin/payments/payment/{row_b.pk}/change/").status_code in (302, 404)
    finance = login(staff.finance)
    response = finance.post(f"/admin/payments/payment/{row_a.pk}/change/", {"amount": "1.00"})
    assert response.status_code == 403
    assert (
        finance.post(f"/admin/payments/payment/{row_a.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert finance.get("/admin/payments/payment/add/").status_code == 403
    row_a.refresh_from_db()
    assert str(row_a.amount) == "500.00"


def test_payrolls_and_ledger_in_the_admin(staff, rows):
    client = login(staff.finance)
    change_url = f"/admin/payments/payroll/{rows.pk}/change/"
    assert change_url in client.get("/admin/payments/payroll/").content.decode()
    assert f"{rows.month:%Y-%m}" in client.get(change_url).content.decode()
    assert client.get("/admin/payments/ledgerentry/").status_code == 200
