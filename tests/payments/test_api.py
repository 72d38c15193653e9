"""REST endpoints: one permission test per verb, outcomes a client would check."""

import pytest
from django.test import TestCase

from civil_affairs.payments.models import LedgerEntry, Payment, Payroll
from tests.conftest import login

from .factories import approved, beneficiary, fund, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    beneficiary(areas.village_b, "dibao", "300.00")
    return generate(staff.finance, programs=["dibao"])


def test_generate_through_the_api(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    client = login(staff.finance)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/payrolls/",
            {"month": "2026-11", "programs": ["dibao"], "areas": ["430922"]},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    pk = response.json()["id"]
    data = client.get(f"/api/payrolls/{pk}/").json()
    assert (data["status"], data["month"], data["payable_amount"]) == ("draft", "2026-11", "500.00")
    assert client.get(f"/api/payrolls/{pk}/progress/").json()["status"] == "draft"
    refused = client.post(
        "/api/payrolls/", {"month": "2026-11", "programs": ["x"]}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "programs" in refused.json()
    unknown = client.post(
        "/api/payrolls/",
        {"month": "2026-11", "programs": ["dibao"], "areas": ["430922", "999999"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"areas": ["Unknown area code: 999999."]}
    assert not Payroll.objects.exclude(pk=pk).exists()


def test_generate_refused_for_other_roles(staff):
    response = login(staff.approver).post(
        "/api/payrolls/",
        {"month": "2026-11", "programs": ["dibao"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Payroll.objects.exists()


def test_list_is_scoped(staff, areas, payroll):
    township = generate(staff.finance, programs=["extreme_poverty"], areas=[areas.a])
    assert [p["id"] for p in login(staff.reviewer_a).get("/api/payrolls/").json()["results"]] == [
        township.pk
    ]
    assert login(staff.reviewer_b).get(f"/api/payrolls/{payroll.pk}/").status_code == 404
    assert login(staff.caseworker_a).get("/api/payrolls/").status_code == 403
    rows = login(staff.reviewer_a).get(f"/api/payments/?payroll={payroll.pk}").json()["results"]
    assert {r["area"] for r in rows} == {areas.village_a.code}
    assert "id_number" not in rows[0]
    assert rows[0]["id_number_masked"].count("*") == 8


def test_steps_through_the_api(staff, payroll):
    finance, approver = login(staff.finance), login(staff.approver)
    fund(staff.finance, "dibao", "800.00")
    assert finance.post(f"/api/payrolls/{payroll.pk}/approve/").status_code == 403
    assert finance.post(f"/api/payrolls/{payroll.pk}/submit/").json()["status"] == "submitted"
    assert approver.post(f"/api/payrolls/{payroll.pk}/return/").status_code == 400
    response = approver.post(
        f"/api/payrolls/{payroll.pk}/approve/", {"note": "ok"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["approved_by"] == "approver"


def test_hold_and_release_through_the_api(staff, areas, payroll):
    row = Payment.objects.get(payroll=payroll, area=areas.village_b)
    client = login(staff.finance)
    bad = client.post(
        f"/api/payments/{row.pk}/hold/", {"reason": ""}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "reason" in bad.json()
    held = client.post(
        f"/api/payments/{row.pk}/hold/", {"reason": "核实中"}, content_type="application/json"
    )
    assert held.json()["status"] == "held"
    assert client.post(f"/api/payments/{row.pk}/release/").json()["status"] == "pending"
    assert (
        login(staff.reviewer_a).post(f"/api/payments/{row.pk}/hold/", {"reason": "x"}).status_code
        == 404
    )


def test_paid_rows_cannot_be_edited_through_the_api(staff, payroll):
    row = Payment.objects.filter(payroll=payroll).first()
    client = login(staff.finance)
    assert (
        client.patch(
            f"/api/payments/{row.pk}/", {"amount": "1"}, content_type="application/json"
        ).status_code
        == 405
    )
    assert client.delete(f"/api/payments/{row.pk}/").status_code == 405


def test_ledger_api(staff, payroll):
    client = login(staff.finance)
    response = client.post(
        "/api/ledger/",
        {"program": "dibao", "amount": "1000.00", "reference": "文号1"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "allocation"
    bad = client.post(
        "/api/ledger/", {"program": "dibao", "amount": "1000.00"}, content_type="application/json"
    )
    assert bad.status_code == 400
    approved(payroll, staff)
    balances = {b["program"]: b for b in login(staff.approver).get("/api/ledger/balances/").json()}
    assert balances["dibao"]["disbursed"] == "800.00"
    assert (
        login(staff.approver)
        .post("/api/ledger/", {"program": "dibao", "amount": "1", "reference": "x"})
        .status_code
        == 403
    )
    assert login(staff.caseworker_a).get("/api/ledger/").status_code == 403
    assert LedgerEntry.objects.filter(kind="allocation").count() == 2


def test_overpayment_api(staff, areas, payroll):
    from civil_affairs.payments import services

    Payment.objects.filter(payroll=payroll).update(status="paid")
    person = Payment.objects.get(payroll=payroll, area=areas.village_a).person
    (o,) = services.overpayment_register(
        actor=staff.caseworker_a,
        person=person,
        program="dibao",
        from_month=payroll.month,
        reason="x",
    )
    assert login(staff.caseworker_b).get(f"/api/overpayments/{o.pk}/").status_code == 404
    assert login(staff.caseworker_a).get("/api/overpayments/").json()["count"] == 1
    assert (
        login(staff.caseworker_a)
        .post(f"/api/overpayments/{o.pk}/recover/", {"amount": "1"})
        .status_code
        == 403
    )
    response = login(staff.finance).post(
        f"/api/overpayments/{o.pk}/recover/", {"amount": "600"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    response = login(staff.finance).post(
        f"/api/overpayments/{o.pk}/recover/", {"amount": "500"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "recovery"


def test_schema_lists_the_endpoints(staff):
    schema = login(staff.finance).get("/api/schema/").content.decode()
    for path in ("/api/payrolls/", "/api/payments/", "/api/ledger/", "/api/overpayments/"):
        assert path in schema
