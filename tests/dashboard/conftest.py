"""Known payment records, paid through the payments services as in production: two months
of payrolls, a row failed at the bank and reissued, one-off medical aid, and
the welfare allowances of a paying app of the test's own (eldercare and children register
the real ones)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import TestCase

from civil_affairs.celery import app
from civil_affairs.payments import bankfile, providers, services
from civil_affairs.payments.models import Payment
from tests.crosscheck.sources import TABLE, Allowances
from tests.factories import PersonFactory
from tests.payments.factories import approved, beneficiary, fund, generate

OCT = datetime.date(2026, 10, 1)
NOV = datetime.date(2026, 11, 1)
MONTHLY = ["dibao", "extreme_poverty", "disability_living", "disability_care"]
WELFARE = ["old_age_allowance", "orphan_allowance"]


@pytest.fixture(autouse=True)
def _forget_latest_refresh() -> Any:
    """The latest refresh is remembered a few seconds per process: not across tests."""
    from civil_affairs.dashboard import summary

    summary.forget()
    yield
    summary.forget()


@pytest.fixture(autouse=True)
def _celery_in_process() -> Any:
    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


def bank_return(staff: Any, payroll: Any, failed: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    stream, _name = services.payroll_bank_file(actor=staff.finance, payroll=payroll)
    b"".join(stream)
    payroll.refresh_from_db()
    lines = [
        (
            p.pk,
            p.bank_account,
            p.person.name,
            int(p.amount * 100),
            p.pk not in failed,
            "账户已销户" if p.pk in failed else "",
        )
        for p in Payment.objects.filter(payroll=payroll).select_related("person").order_by("pk")
    ]
    content = bankfile.result_file(payroll.pk, payroll.month, NOV, lines)
    services.bank_return_apply(
        actor=staff.finance, payroll=payroll, content=content, file_name=f"r{payroll.pk}.txt"
    )


@pytest.fixture
def paid(staff: Any, areas: Any, monkeypatch: Any) -> SimpleNamespace:
    """Township A (village_a): P1 dibao 500 (Oct, Nov); P2 disability living 100 and care 200
    (Oct, Nov); P6 old-age allowance 80 (Oct, Nov); medical aid 800 to P1 (Nov).
    Township B (village_b): P3 dibao 300 (Nov); P4 extreme poverty 1,100 (Oct; Nov failed
    at the bank, reissued and paid); P5 care 120 (Oct, Nov); P7 orphan allowance 1,200 (Nov);
    medical aid 650 to P3 (Nov).
    """
    with connection.cursor() as cursor:
        cursor.execute(TABLE)
    welfare = Allowances(WELFARE)
    for provider in welfare.providers():
        monkeypatch.setitem(providers._providers, provider.program, provider)
    monkeypatch.setitem(providers._one_off, "medical_aid", "慈善医疗援助")

    p1 = beneficiary(areas.village_a, "dibao", "500.00", start=OCT)
    p2 = beneficiary(areas.village_a, "disability_living", "100.00", start=OCT)
    from tests.payments.factories import entitle

    entitle(p2, "disability_care", "200.00", start=OCT)
    p3 = beneficiary(areas.village_b, "dibao", "300.00", start=NOV)
    p4 = beneficiary(areas.village_b, "extreme_poverty", "1100.00", start=OCT)
    p5 = beneficiary(areas.village_b, "disability_care", "120.00", start=OCT)
    p6 = PersonFactory(area=areas.village_a, bank_name="农商银行", bank_account="6217000000009001")
    p7 = PersonFactory(area=areas.village_b, bank_name="农商银行", bank_account="6217000000009002")
    welfare.grant(p6, "80.00", start=OCT, program="old_age_allowance")
    welfare.grant(p7, "1200.00", start=NOV, program="orphan_allowance")

    programs = MONTHLY + WELFARE
    for program in programs:
        fund(staff.finance, program)
    october = approved(generate(staff.finance, month=OCT, programs=programs), staff)
    bank_return(staff, october)
    november = approved(generate(staff.finance, month=NOV, programs=programs), staff)
    bad = Payment.objects.get(payroll=november, person=p4)
    bank_return(staff, november, failed={bad.pk})
    bad.refresh_from_db()
    services.payment_correct_account(
        actor=staff.caseworker_b, payment=bad, bank_name="建设银行", bank_account="6227000011112222"
    )
    supplementary = services.payroll_reissue(actor=staff.finance, payments=[bad], month=NOV)
    supplementary = approved(supplementary, staff)
    bank_return(staff, supplementary)

    fund(staff.finance, "medical_aid")
    services.ledger_pay_one_off(
        actor=staff.finance,
        program="medical_aid",
        person=p1,
        area=areas.village_a,
        amount=Decimal("800.00"),
        source="test:1",
        booked_on=NOV,
    )
    services.ledger_pay_one_off(
        actor=staff.finance,
        program="medical_aid",
        person=p3,
        area=areas.village_b,
        amount=Decimal("650.00"),
        source="test:2",
        booked_on=NOV,
    )
    return SimpleNamespace(p1=p1, p2=p2, p3=p3, p4=p4, p5=p5, p6=p6, p7=p7, bad=bad)


def refresh() -> Any:
    """Run a refresh to its end in this process (as the Celery task does)."""
    from civil_affairs.dashboard import services as dashboard_services

    with TestCase.captureOnCommitCallbacks(execute=True):
        run = dashboard_services.summary_refresh_start(actor=None, trigger="on_demand")
    run.refresh_from_db()
    return run
