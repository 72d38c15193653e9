"""Pages: who sees what, each step through its page, the files they download."""

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from civil_affairs.payments import bankfile
from civil_affairs.payments.models import ExportJob, LedgerEntry, Payment, Payroll
from civil_affairs.people.models import AccessLog
from tests.conftest import login

from .factories import DEC, NOV, approved, beneficiary, fund, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    beneficiary(areas.village_b, "dibao", "300.00")
    return generate(staff.finance, programs=["dibao"])


def test_finance_generates_on_the_page_and_sees_totals(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    beneficiary(areas.village_b, "extreme_poverty", "1100.00")
    client = login(staff.finance)
    page = client.get(reverse("payments:payroll_list")).content.decode()
    assert 'id="generate-form"' in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("payments:payroll_generate"),
            {
                "month": "2026-11",
                "programs": ["dibao", "extreme_poverty"],
                "areas": [areas.county.pk],
            },
        )
    payroll = Payroll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:payroll_detail", args=[payroll.pk])
    page = client.get(response["Location"]).content.decode()
    assert "桃花江镇" in page
    assert "灰山港镇" in page
    assert re.search(r'id="total-amount">1,600.00<', page)
    assert "草稿" in page


def test_progress_bar_while_generating_and_second_start_refused(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    client = login(staff.finance)
    data = {"month": "2026-11", "programs": ["dibao"], "areas": [areas.county.pk]}
    client.post(reverse("payments:payroll_generate"), data)  # the chord is not run here
    payroll = Payroll.objects.get()
    page = client.get(reverse("payments:payroll_detail", args=[payroll.pk])).content.decode()
    assert 'role="progressbar"' in page
    assert 'hx-trigger="every 1s"' in page
    again = client.post(reverse("payments:payroll_generate"), data).content.decode()
    assert "正在生成" in again
    assert Payroll.objects.count() == 1
    fragment = client.get(
        reverse("payments:payroll_progress", args=[payroll.pk]), HTTP_HX_REQUEST="true"
    )
    assert "HX-Refresh" not in fragment


def test_generate_form_names_bad_fields(staff, areas):
    response = login(staff.finance).post(
        reverse("payments:payroll_generate"), {"month": "2026-13", "areas": [areas.county.pk]}
    )
    page = response.content.decode()
    assert 'data-field="month"' in page
    assert 'data-field="programs"' in page
    assert not Payroll.objects.exists()


def test_roles_on_the_pages(staff, areas, payroll):
    detail = reverse("payments:payroll_detail", args=[payroll.pk])
    assert login(staff.caseworker_a).get(reverse("payments:payroll_list")).status_code == 403
    assert login(staff.reviewer_a).get(detail).status_code == 404  # the county's payroll
    approver_page = login(staff.approver).get(detail).content.decode()
    assert 'id="submit"' not in approver_page
    assert 'id="export-csv"' in approver_page  # masked lists for the approver
    assert 'id="bank-file"' not in approver_page
    finance_page = login(staff.finance).get(detail).content.decode()
    assert 'id="submit"' in finance_page
    assert 'id="approve"' not in finance_page
    assert login(staff.approver).post(reverse("payments:payroll_generate"), {}).status_code == 403


def test_submit_approve_bank_file_and_result_through_the_pages(staff, payroll):
    finance, approver = login(staff.finance), login(staff.approver)
    fund(staff.finance, "dibao", "800.00")
    detail = reverse("payments:payroll_detail", args=[payroll.pk])
    finance.post(reverse("payments:payroll_submit", args=[payroll.pk]))
    assert 'id="submit"' not in finance.get(detail).content.decode()
    page = approver.get(detail).content.decode()
    assert 'id="approve"' in page
    approver.post(reverse("payments:payroll_approve", args=[payroll.pk]), {"note": "同意"})
    payroll.refresh_from_db()
    assert payroll.status == "approved"
    response = finance.post(reverse("payments:payroll_bank_file", args=[payroll.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    assert content.split(b"\r\n")[-2][:1] == b"T"
    rows = [
        (p.pk, p.bank_account, p.person.name, int(p.amount * 100), True, "")
        for p in Payment.objects.filter(payroll=payroll).select_related("person")
    ]
    result = bankfile.result_file(payroll.pk, NOV, NOV, rows)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = reverse("payments:bank_return_upload", args=[payroll.pk])
    assert 'id="bank-return"' in finance.get(detail).content.decode()
    response = finance.post(upload, {"file": SimpleUploadedFile("hp.txt", result)})
    assert response.status_code == 302
    payroll.refresh_from_db()
    assert payroll.status == "paid"
    page = finance.get(detail).content.decode()  # buttons follow Payroll.ACTION_STATUSES
    assert 'id="close"' in page
    assert 'id="bank-return"' not in page
    assert 'id="submit"' not in page


def test_bad_result_file_lists_the_lines_on_the_page(staff, payroll):
    from django.core.files.uploadedfile import SimpleUploadedFile

    payroll = approved(payroll, staff)
    client = login(staff.finance)
    client.post(reverse("payments:payroll_bank_file", args=[payroll.pk]))
    bad = bankfile.result_file(payroll.pk, NOV, NOV, [(424242, "1", "某人", 100, True, "")])
    response = client.post(
        reverse("payments:bank_return_upload", args=[payroll.pk]),
        {"file": SimpleUploadedFile("bad.txt", bad)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="problems"' in page
    assert "第 2 行" in page
    assert "0000000000424242" in page
    assert Payroll.objects.get(pk=payroll.pk).status == "exported"


def test_hold_from_the_rows_page(staff, payroll):
    row = Payment.objects.filter(payroll=payroll).first()
    client = login(staff.finance)
    rows_url = reverse("payments:payroll_rows", args=[payroll.pk])
    assert "暂停发放" in client.get(rows_url).content.decode()
    client.post(reverse("payments:payment_hold", args=[row.pk]), {"reason": "待核实"})
    row.refresh_from_db()
    assert (row.status, row.hold_reason) == ("held", "待核实")
    page = client.get(rows_url, {"status": "held"}).content.decode()
    assert row.person.name in page
    assert "待核实" in page


def test_csv_export_page_is_logged(staff, payroll):
    response = login(staff.finance).get(reverse("payments:payroll_export_csv", args=[payroll.pk]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 3
    assert AccessLog.objects.filter(action="export").count() == 1


def test_xlsx_export_job_and_download_only_for_its_requester(
    staff, areas, payroll, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(staff.finance)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("payments:payroll_export_xlsx", args=[payroll.pk]))
    job = ExportJob.objects.get()
    page = client.get(reverse("payments:payroll_detail", args=[payroll.pk])).content.decode()
    assert reverse("payments:export_download", args=[job.pk]) in page
    response = client.get(reverse("payments:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    other = login(staff.approver).get(reverse("payments:export_download", args=[job.pk]))
    assert other.status_code == 404


def test_ledger_page_and_allocation(staff):
    client = login(staff.finance)
    response = client.post(
        reverse("payments:ledger"),
        {"program": "dibao", "amount": "120000.00", "reference": "桃财社〔2026〕8号"},
    )
    assert response.status_code == 302
    page = client.get(reverse("payments:ledger")).content.decode()
    assert "120,000.00" in page
    assert "桃财社〔2026〕8号" in page
    bad = client.post(
        reverse("payments:ledger"), {"program": "dibao", "amount": "-5", "reference": "x"}
    )
    assert 'data-field="amount"' in bad.content.decode()
    assert LedgerEntry.objects.count() == 1
    assert login(staff.approver).get(reverse("payments:ledger")).status_code == 200
    assert login(staff.approver).post(reverse("payments:ledger"), {}).status_code == 403
    assert login(staff.caseworker_a).get(reverse("payments:ledger")).status_code == 403


def test_failed_rows_page_correct_and_reissue(staff, areas, payroll):
    payroll = approved(payroll, staff)
    finance = login(staff.finance)
    finance.post(reverse("payments:payroll_bank_file", args=[payroll.pk]))
    failed = Payment.objects.get(payroll=payroll, area=areas.village_a)
    rows = [
        (p.pk, p.bank_account, p.person.name, int(p.amount * 100), p.pk != failed.pk, "户名不符")
        for p in Payment.objects.filter(payroll=payroll).select_related("person")
    ]
    from django.core.files.uploadedfile import SimpleUploadedFile

    finance.post(
        reverse("payments:bank_return_upload", args=[payroll.pk]),
        {"file": SimpleUploadedFile("r.txt", bankfile.result_file(payroll.pk, NOV, NOV, rows))},
    )
    caseworker = login(staff.caseworker_a)
    page = caseworker.get(reverse("payments:failed_list")).content.decode()
    assert failed.person.name in page
    assert "户名不符" in page
    assert (
        login(staff.caseworker_b)
        .get(reverse("payments:failed_list"))
        .content.decode()
        .count(failed.person.name)
        == 0
    )
    caseworker.post(
        reverse("payments:payment_correct", args=[failed.pk]),
        {"bank_name": "邮储银行", "bank_account": "6221880000000001"},
    )
    failed.person.refresh_from_db()
    assert failed.person.bank_account == "6221880000000001"
    response = finance.post(reverse("payments:failed_list"), {"payments": [failed.pk]})
    supplementary = Payroll.objects.get(kind="supplementary")
    assert response["Location"] == reverse("payments:payroll_detail", args=[supplementary.pk])
    assert Payment.objects.get(payroll=supplementary).reissue_of == failed


def test_overpayment_page_recover(staff, areas, payroll):
    from civil_affairs.payments import services

    Payment.objects.filter(payroll=payroll).update(status="paid")
    person = Payment.objects.get(payroll=payroll, area=areas.village_a).person
    fund(staff.finance)
    (overpayment,) = services.overpayment_register(
        actor=staff.caseworker_a, person=person, program="dibao", from_month=NOV, reason="已死亡"
    )
    page = login(staff.caseworker_a).get(reverse("payments:overpayment_list")).content.decode()
    assert person.name in page
    assert 'action="/payments/overpayments/' not in page  # a caseworker does not book recoveries
    login(staff.finance).post(
        reverse("payments:overpayment_recover", args=[overpayment.pk]), {"amount": "500.00"}
    )
    overpayment.refresh_from_db()
    assert overpayment.status == "recovered"
    assert LedgerEntry.objects.filter(kind="recovery").count() == 1


def test_nav_and_home_cards(staff, areas):
    page = login(staff.finance).get("/").content.decode()
    assert reverse("payments:payroll_list") in page
    assert reverse("payments:ledger") in page
    caseworker_page = login(staff.caseworker_a).get("/").content.decode()
    assert 'id="nav-payrolls"' not in caseworker_page
    assert 'id="nav-failed"' in caseworker_page
    # the nav is kept rendered per user's roles (base.html): a role granted shows at once
    from civil_affairs.areas.models import Role
    from civil_affairs.areas.services import assignment_create

    assignment_create(user=staff.caseworker_a, area=areas.county, role=Role.FINANCE)
    assert 'id="nav-payrolls"' in login(staff.caseworker_a).get("/").content.decode()


def test_rows_filtered_by_township_only_among_the_users_townships(staff, areas):
    in_a = beneficiary(areas.village_a, "dibao", "500.00")
    in_b = beneficiary(areas.village_b, "dibao", "300.00")
    county = generate(staff.finance, programs=["dibao"])
    url = reverse("payments:payroll_rows", args=[county.pk])
    page = login(staff.finance).get(url, {"township": areas.a.code}).content.decode()
    assert in_a.name in page
    assert in_b.name not in page

    township = generate(staff.finance, programs=["dibao"], areas=[areas.a], month=DEC)
    url = reverse("payments:payroll_rows", args=[township.pk])
    # township B is not among reviewer A's (nor in the page's choices): no filter, A's rows
    page = login(staff.reviewer_a).get(url, {"township": areas.b.code}).content.decode()
    assert in_a.name in page


def test_rows_pages_keep_their_filters(staff, areas):
    for _ in range(55):
        beneficiary(areas.village_a, "dibao", "100.00")
    payroll = generate(staff.finance, programs=["dibao"])
    client = login(staff.finance)
    url = reverse("payments:payroll_rows", args=[payroll.pk])
    page = client.get(url, {"status": "pending", "program": "dibao"}).content.decode()
    assert "?status=pending&amp;program=dibao&amp;page=2" in page
    second = client.get(url, {"status": "pending", "program": "dibao", "page": 2}).content.decode()
    assert second.count('<tr id="row-') == 5
