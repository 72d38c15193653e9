"""The payroll CSV under every settings module: DEBUG on (Django's debug cursor wrapper, as
`make dev`) and off (as `make run`), through the service, the page, and Chromium's download;
a failed export says so instead of handing over a header-only file."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from civil_affairs.payments import exports, services
from civil_affairs.payments.models import Payment
from tests.conftest import browser_login, login

from .factories import beneficiary, generate


def _people(areas: Any) -> list[Any]:
    return [
        beneficiary(areas.village_a, "dibao", "500.00"),
        beneficiary(areas.village_a, "dibao", "333.33"),
        beneficiary(areas.by_code["430922100001"], "extreme_poverty", "1100.50"),
        beneficiary(areas.village_b, "dibao", "200.00"),
    ]


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _assert_every_row(payroll: Any, rows: list[list[str]]) -> None:
    header, data = rows[0], rows[1:]
    assert len(header) == 12
    payments = Payment.objects.filter(payroll=payroll).select_related("person")
    assert len(data) == payments.count() == 4
    by_ref = {row[9]: row for row in data}
    for p in payments:
        assert by_ref[p.reference][2] == p.person.name
        assert Decimal(by_ref[p.reference][6]) == p.amount
    assert sum(Decimal(r[6]) for r in data) == Decimal("2133.83")


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
def test_csv_page_has_every_row_with_debug_on_and_off(settings, staff, areas, debug):
    settings.DEBUG = debug
    _people(areas)
    payroll = generate(staff.finance)
    response = login(staff.finance).get(reverse("payments:payroll_export_csv", args=[payroll.pk]))
    assert response.status_code == 200
    _assert_every_row(payroll, _rows(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_debug_cursor_wrapper_is_not_used_for_copy(staff, areas):
    _people(areas)
    payroll = generate(staff.finance)
    connection.force_debug_cursor = True  # what DEBUG on does to every cursor
    try:
        stream, _name = services.payroll_export_csv(actor=staff.finance, payroll=payroll)
        _assert_every_row(payroll, _rows(b"".join(stream)))
    finally:
        connection.force_debug_cursor = False


@pytest.mark.django_db(transaction=True)  # as a request: autocommit, no test transaction
def test_a_failed_export_says_so_and_downloads_nothing(staff, areas, monkeypatch):
    _people(areas)
    payroll = generate(staff.finance)

    def broken(payroll: Any, *, full_id: bool) -> tuple[str, dict[str, Any]]:
        return "SELECT no_such_column FROM payments_payment", {}

    monkeypatch.setattr(exports, "csv_query", broken)  # a query PostgreSQL refuses
    client = login(staff.finance)
    url = reverse("payments:payroll_export_csv", args=[payroll.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("payments:payroll_detail", args=[payroll.pk])
    assert "CSV 导出失败" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("debug", [False, True], ids=["make-run", "make-dev"])
def test_browser_downloads_the_csv_with_every_row(settings, page, staff, areas, debug):
    """`make run` serves with DEBUG off, `make dev` with DEBUG on: both download every row."""
    settings.DEBUG = debug
    _people(areas)
    payroll = generate(staff.finance)
    browser_login(page, "finance")
    page.goto(f"{page.base}/payments/{payroll.pk}/")
    with page.expect_download() as info:
        page.click("#export-csv")
    download = info.value
    assert download.suggested_filename == f"payroll-2026-11-{payroll.pk}.csv"
    with open(download.path(), "rb") as body:
        _assert_every_row(payroll, _rows(body.read()))
