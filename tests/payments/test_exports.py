"""Exports for finance: CSV (COPY), xlsx (a sheet per township), the bank's payment file."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase

from civil_affairs.payments import bankfile, services
from civil_affairs.payments.models import ExportJob, Payment, Payroll
from civil_affairs.people.models import AccessLog

from .factories import DEC, approved, beneficiary, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    beneficiary(areas.by_code["430922100001"], "extreme_poverty", "1100.50")
    beneficiary(areas.village_b, "dibao", "200.00")
    held = beneficiary(areas.village_b, "disability_care", "120.00")
    payroll = generate(staff.finance)
    services.payment_hold(
        actor=staff.finance, payment=Payment.objects.get(person=held), reason="核实中"
    )
    payroll.refresh_from_db()
    return payroll


def _csv(staff_member, payroll):
    stream, name = services.payroll_export_csv(actor=staff_member, payroll=payroll)
    body = b"".join(stream)
    assert body.startswith("\ufeff".encode())
    return name, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_for_finance_has_whole_numbers_and_is_logged(staff, payroll):
    name, rows = _csv(staff.finance, payroll)
    assert name == f"payroll-2026-11-{payroll.pk}.csv"
    header, data = rows[0], rows[1:]
    assert len(header) == len(data[0]) == 12
    payments = (
        Payment.objects.filter(payroll=payroll).exclude(status="held").select_related("person")
    )
    assert len(data) == 3
    by_ref = {row[9]: row for row in data}
    for p in payments:
        row = by_ref[p.reference]
        assert row[2] == p.person.name
        assert row[3] == p.person.id_number
        assert Decimal(row[6]) == p.amount
        assert row[8] == p.person.bank_account
    assert [r[0] for r in data] == ["桃花江镇", "桃花江镇", "灰山港镇"]
    log = AccessLog.objects.get(action="export")
    assert f"payroll {payroll.pk}" in log.detail
    assert "(3 rows)" in log.detail


def test_csv_is_masked_for_the_approver(staff, payroll):
    _name, rows = _csv(staff.approver, payroll)
    assert len(rows) == 4
    for row in rows[1:]:
        assert "********" in row[3]
        assert row[8].startswith("****")
        person = Payment.objects.get(pk=int(row[9])).person
        assert row[3] == person.masked_id_number
        assert row[8] == person.masked_bank_account
        assert person.id_number not in ",".join(row)


def test_xlsx_is_masked_for_a_township_reviewer(staff, areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = beneficiary(areas.village_a, "dibao", "500.00")
    payroll = generate(staff.finance, programs=["dibao"], areas=[areas.a])
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.payroll_export_xlsx(actor=staff.reviewer_a, payroll=payroll)
    job.refresh_from_db()
    book = openpyxl.load_workbook(Path(job.file), read_only=True)
    (row,) = list(book["桃花江镇"].iter_rows(values_only=True))[3:4]
    assert row[3] == person.masked_id_number
    with pytest.raises(PermissionDenied):  # the bank file is finance's alone
        services.payroll_bank_file(actor=staff.reviewer_a, payroll=payroll)


def test_who_exports(staff, areas, payroll):
    with pytest.raises(Http404):  # the county's payroll is outside a township's areas
        services.payroll_export_csv(actor=staff.caseworker_a, payroll=payroll)
    township = generate(staff.finance, programs=["dibao"], areas=[areas.a], month=DEC)
    with pytest.raises(PermissionDenied):  # caseworkers do not export payrolls
        services.payroll_export_csv(actor=staff.caseworker_a, payroll=township)
    with pytest.raises(Http404):
        services.payroll_export_csv(actor=staff.reviewer_b, payroll=township)
    assert not AccessLog.objects.exists()


def test_xlsx_has_a_sheet_per_township_with_totals(staff, payroll, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.payroll_export_xlsx(actor=staff.finance, payroll=payroll)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_total, job.rows_done, job.percent) == (3, 3, 100)
    book = openpyxl.load_workbook(Path(job.file), read_only=True, data_only=True)
    assert book.sheetnames == ["汇总", "桃花江镇", "灰山港镇"]
    a = list(book["桃花江镇"].iter_rows(values_only=True))
    header = a[2]
    assert header[:4] == ("序号", "村（社区）", "姓名", "身份证号码")
    data, total = a[3:-1], a[-1]
    assert [row[0] for row in data] == [1, 2]
    assert {row[6] for row in data} == {500.0, 1100.5}
    assert {row[1] for row in data} == {"花果山村", "桃花江社区"}
    assert total[0] == "合计"
    assert total[2] == 2
    assert total[6] == 1600.5
    b = list(book["灰山港镇"].iter_rows(values_only=True))
    assert len(b) == 5  # title, blank, header, one row (the other is held), total
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[-1][2:] == (3, 1800.5)  # the held row is left out
    ids = {row[3] for row in data}
    people = {p.person.id_number for p in Payment.objects.filter(payroll=payroll)}
    assert ids <= people
    assert AccessLog.objects.filter(action="export", detail__contains="xlsx").count() == 1


def test_bank_file_layout_and_control_total(staff, payroll):
    payroll = approved(payroll, staff)
    stream, _name = services.payroll_bank_file(actor=staff.finance, payroll=payroll)
    content = b"".join(stream)
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.EXPORTED
    lines = content.split(b"\r\n")
    assert lines[-1] == b""
    records = lines[:-1]
    assert all(len(r) == bankfile.PAYMENT_RECORD for r in records)
    head, details, control = records[0], records[1:-1], records[-1]
    assert head[:1] == b"H"
    assert int(head[1:13]) == payroll.pk
    assert head[13:19] == b"202611"
    rows = Payment.objects.filter(payroll=payroll, status="pending").select_related("person")
    assert len(details) == rows.count() == 3
    for record, row in zip(details, rows.order_by("pk"), strict=True):
        assert record[:1] == b"D"
        assert record[1:17].decode() == row.reference
        assert record[17:49].decode().strip() == row.bank_account
        assert record[49:89].decode("gb18030").strip() == row.person.name
        assert int(record[89:104]) == int(row.amount * 100)
    assert control[:1] == b"T"
    assert int(control[1:11]) == 3
    assert int(control[11:29]) == 50000 + 110050 + 20000
    # downloading again gives the same rows and keeps the status
    again, _ = services.payroll_bank_file(actor=staff.finance, payroll=payroll)
    assert b"".join(again).split(b"\r\n")[1:] == content.split(b"\r\n")[1:]
    assert AccessLog.objects.filter(detail__contains="bank file").count() == 2


def test_bank_file_needs_approval(staff, payroll):
    with pytest.raises(ValidationError):
        services.payroll_bank_file(actor=staff.finance, payroll=payroll)


def test_names_are_cut_at_a_character_in_gb18030():
    field = bankfile.text_field("欧阳" * 30, 40)
    assert len(field) == 40
    assert field.decode("gb18030") == "欧阳" * 10
    odd = bankfile.text_field("a" + "欧" * 30, 40)
    assert len(odd) == 40
    assert odd.decode("gb18030") == "a" + "欧" * 19 + " "


def test_old_export_files_are_purged_daily(staff, payroll, settings, tmp_path):
    import datetime

    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from civil_affairs.payments import tasks

    settings.MEDIA_ROOT = tmp_path
    with TestCase.captureOnCommitCallbacks(execute=True):
        old = services.payroll_export_xlsx(actor=staff.finance, payroll=payroll)
        new = services.payroll_export_xlsx(actor=staff.finance, payroll=payroll)
    old.refresh_from_db()
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert Path(old.file).exists()
    assert tasks.purge_exports() == 1
    assert not Path(old.file).exists()
    assert list(ExportJob.objects.all()) == [new]
    schedule = PeriodicTask.objects.get(task="payments.purge_exports")
    assert schedule.enabled
