"""Demo data of payments, made through the services on top of the domain apps' demo cases
(seed_demo loads those first; this module knows them only through the registries).

The fund receives its 2026 allocations, for every monthly program registered; the first
month with benefits to pay gets a payroll that went all the way through (approved, sent to
the bank, one row failed with the bank's reason, waiting to be corrected and reissued); the
month after has a draft to submit.
Idempotent: nothing is added when a payroll exists already.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection

from civil_affairs import benefits
from civil_affairs.areas.models import Area
from civil_affairs.core.months import add_months
from civil_affairs.people import services as people_services
from civil_affairs.people.models import Person

from . import bankfile, providers, services
from .models import LedgerEntry, Payment, Payroll

# The county's 2026 allocations of the programs it funds most; every other registered
# program gets the default one.
ALLOCATIONS = {
    "dibao": ("300000.00", "桃财社〔2026〕12号"),
    "extreme_poverty": ("150000.00", "桃财社〔2026〕13号"),
    "disability_living": ("30000.00", "桃财社〔2026〕14号"),
    "disability_care": ("30000.00", "桃财社〔2026〕14号"),
}
DEFAULT_ALLOCATION = ("50000.00", "桃财社〔2026〕15号")


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _generate(actor: Any, month: datetime.date) -> Payroll:
    """Generate in this process (the demo runs before any worker); the queued chord that
    follows finds every chunk done and changes nothing."""
    payroll = services.payroll_generate(
        actor=actor, month=month, programs=providers.payroll_programs()
    )
    for chunk in payroll.chunks.all():
        services.payroll_chunk_generate(chunk_id=chunk.pk)
    services.payroll_generation_finish(payroll_id=payroll.pk)
    payroll.refresh_from_db()
    return payroll


def _beneficiaries() -> list[int]:
    """Ids of the people with an open benefit in any app."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT b.person_id FROM ({benefits.open_sql()}) AS b "  # noqa: S608
            "ORDER BY b.person_id"
        )
        return [pk for (pk,) in cursor.fetchall()]


def load(areas: dict[str, Area]) -> None:
    if Payroll.objects.exists():
        return
    admin, finance, approver = _user("admin"), _user("finance"), _user("approver")
    # every monthly program gets its allocation, whichever demo funded others before
    allocated = set(
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ALLOCATION).values_list(
            "program", flat=True
        )
    )
    for program in providers.payroll_programs():
        if program not in allocated:
            amount, reference = ALLOCATIONS.get(program, DEFAULT_ALLOCATION)
            services.ledger_allocate(
                actor=finance,
                program=program,
                amount=Decimal(amount),
                reference=reference,
                note="2026年度资金",
                area=areas["430922"],
            )

    people = _beneficiaries()
    found = benefits.open_benefits(people)
    if not found:
        return
    first = min(b.start_month for b in found)
    for person in Person.objects.filter(pk__in=people).order_by("pk"):
        if not person.bank_account:
            people_services.person_update(
                actor=admin,
                person=person,
                bank_name="湖南农商银行",
                bank_account=f"62300130{person.pk:010d}",
            )

    payroll = _generate(finance, first)
    if not payroll.payable_rows:
        return
    services.payroll_submit(actor=finance, payroll=payroll, note="演示：月度发放")
    services.payroll_approve(actor=approver, payroll=payroll, note="同意发放")
    stream, _name = services.payroll_bank_file(actor=finance, payroll=payroll)
    b"".join(stream)
    rows = list(
        Payment.objects.filter(payroll=payroll, status=Payment.Status.PENDING)
        .select_related("person")
        .order_by("pk")
    )
    failed = rows[-1].pk
    result = bankfile.result_file(
        payroll.pk,
        payroll.month,
        first,
        [
            (
                p.pk,
                p.bank_account,
                p.person.name,
                bankfile.fen(p.amount),
                p.pk != failed,
                "账户已冻结",
            )
            for p in rows
        ],
    )
    services.bank_return_apply(
        actor=finance, payroll=payroll, content=result, file_name="回盘-演示.txt"
    )
    _generate(finance, add_months(first, 1))
