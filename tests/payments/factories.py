"""Entitlements (relief's contract with payments) and payroll helpers for payments' tests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.test import TestCase

from civil_affairs.payments import providers, services
from civil_affairs.payments.models import Payroll
from relief.models import Entitlement, EntitlementPeriod
from tests.factories import PersonFactory

NOV = datetime.date(2026, 11, 1)
OCT = datetime.date(2026, 10, 1)
SEP = datetime.date(2026, 9, 1)
DEC = datetime.date(2026, 12, 1)


def entitle(
    person: Any,
    program: str = "dibao",
    amount: str | Decimal = "500.00",
    *,
    start: datetime.date = NOV,
    end: datetime.date | None = None,
    status: str = "active",
    suspended_from: datetime.date | None = None,
    area: Any = None,
    periods: list[tuple[datetime.date, datetime.date | None, str]] | None = None,
) -> Entitlement:
    """An entitlement with one open period (or the periods given: from, to, amount)."""
    entitlement = Entitlement.objects.create(
        program=program,
        person=person,
        area=area or person.area,
        monthly_amount=Decimal(amount),
        start_month=start,
        end_month=end,
        status=status,
        suspended_from=suspended_from,
    )
    for valid_from, valid_to, value in periods or [(start, None, str(amount))]:
        EntitlementPeriod.objects.create(
            entitlement=entitlement,
            valid_from=valid_from,
            valid_to=valid_to,
            monthly_amount=Decimal(value),
        )
    return entitlement


def beneficiary(area: Any, program: str = "dibao", amount: str = "500.00", **kwargs: Any) -> Any:
    """A person in `area` with an account and an entitlement."""
    person = PersonFactory(area=area, bank_name="农商银行", bank_account=_account())
    entitle(person, program, amount, **kwargs)
    return person


_accounts = iter(range(6217_0000_0000_0001, 6217_9999_9999_9999))


def _account() -> str:
    return str(next(_accounts))


def generate(
    actor: Any, month: datetime.date = NOV, programs: Any = None, **kwargs: Any
) -> Payroll:
    """Run a generation to its end in this process (Celery eager, see conftest)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        payroll = services.payroll_generate(
            actor=actor,
            month=month,
            programs=programs
            or ["dibao", "extreme_poverty", "disability_living", "disability_care"],
            **kwargs,
        )
    payroll.refresh_from_db()
    return payroll


def fund(actor: Any, program: str = "dibao", amount: str = "1000000.00") -> Any:
    return services.ledger_allocate(
        actor=actor, program=program, amount=Decimal(amount), reference="财社〔2026〕1号"
    )


def approved(payroll: Payroll, staff: Any) -> Payroll:
    """Submit (finance) and approve (approver) a draft payroll, funding it first."""
    for program in sorted({providers.fund_of(p) for p in payroll.programs}):
        fund(staff.finance, program)
    services.payroll_submit(actor=staff.finance, payroll=payroll)
    return services.payroll_approve(actor=staff.approver, payroll=payroll)
