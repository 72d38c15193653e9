"""Reads of payments, always through the access policy."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.money import ZERO

from .models import (
    ExportJob,
    LedgerEntry,
    Overpayment,
    Payment,
    Payroll,
    PayrollChunk,
    ReconciliationLine,
    ReconciliationRun,
    program_label,
)


def payroll_list(
    *, user: Any, status: str = "", month: datetime.date | None = None
) -> QuerySet[Payroll]:
    payrolls = policy.scope(user, Payroll.objects.select_related("area", "generated_by"))
    if status:
        payrolls = payrolls.filter(status=status)
    if month:
        payrolls = payrolls.filter(month=month)
    return payrolls.order_by("-month", "-id")


def payroll_get(*, user: Any, pk: int) -> Payroll:
    return get_object_or_404(
        policy.scope(user, Payroll.objects.select_related("area", "generated_by", "approved_by")),
        pk=pk,
    )


def payroll_payments(
    *,
    user: Any,
    payroll: Payroll,
    status: str = "",
    program: str = "",
    area: Area | None = None,
    query: str = "",
) -> QuerySet[Payment]:
    rows = policy.scope(
        user, Payment.objects.filter(payroll=payroll).select_related("person", "area")
    )
    if status:
        rows = rows.filter(status=status)
    if program:
        rows = rows.filter(program=program)
    if area is not None:
        rows = rows.filter(area__in=Area.objects.within(area.code))
    query = query.strip()
    if query:
        rows = rows.filter(Q(person__name__startswith=query) | Q(person__id_number=query))
    return rows.order_by("area__code", "person__name", "month", "id")


def payment_get(*, user: Any, pk: int) -> Payment:
    return get_object_or_404(
        policy.scope(user, Payment.objects.select_related("person", "area", "payroll")), pk=pk
    )


@dataclass
class TotalsRow:
    township: str
    program: str
    rows: int
    amount: Decimal
    held_rows: int
    held_amount: Decimal


def payroll_summary(payroll: Payroll) -> list[TotalsRow]:
    """Rows and amounts per township and program (held rows apart), from the stored totals."""
    area_ids = {t["area"] for t in payroll.totals}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=area_ids).select_related("parent")}
    table: dict[tuple[str, str, str], TotalsRow] = {}
    for entry in payroll.totals:
        area = areas.get(entry["area"])
        township = (area.township or area) if area else None
        key = (township.code if township else "", entry["program"], "")
        row = table.setdefault(
            key,
            TotalsRow(
                township=township.name if township else "",
                program=program_label(entry["program"]),
                rows=0,
                amount=ZERO,
                held_rows=0,
                held_amount=ZERO,
            ),
        )
        if entry["status"] == Payment.Status.HELD:
            row.held_rows += entry["rows"]
            row.held_amount += Decimal(entry["amount"])
        else:
            row.rows += entry["rows"]
            row.amount += Decimal(entry["amount"])
    return [table[key] for key in sorted(table)]


def status_counts(payroll: Payroll) -> dict[str, tuple[int, Decimal]]:
    counts: dict[str, tuple[int, Decimal]] = {}
    for entry in payroll.totals:
        rows, amount = counts.get(entry["status"], (0, ZERO))
        counts[entry["status"]] = (rows + entry["rows"], amount + Decimal(entry["amount"]))
    return counts


# advisory lock class (services._lock); key: a chunk's id, held by the worker inserting its
# rows for the whole transaction: the chunk's lease
LOCK_CHUNK = 40403
# A chunk taken by a worker but no longer locked by it was interrupted (its worker died);
# the grace covers the instant between the worker's note that it took the chunk and its lock.
RESUME_GRACE = datetime.timedelta(seconds=15)
# A generation where nothing ran, started or finished for this long is stalled: its waiting
# chunks are queued again too (their messages may be lost), and it may be generated anew.
STALL = datetime.timedelta(minutes=5)


def running_chunk_ids(payroll_ids: Sequence[int]) -> set[int]:
    """Chunks whose lease is held now: a live worker's transaction is inserting their rows.

    Read from pg_locks (no lock taken): the worker's advisory lock on the chunk dies with
    its connection, whatever killed it.
    """
    if not payroll_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.id FROM payments_payrollchunk c
            JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted
                 AND l.classid::bigint = %s AND l.objsubid = 2 AND l.objid::bigint = c.id
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            WHERE c.payroll_id = ANY(%s) AND NOT c.done
            """,
            [LOCK_CHUNK, list(payroll_ids)],
        )
        return {row[0] for row in cursor.fetchall()}


def chunk_state(chunk: PayrollChunk, running: set[int], now: datetime.datetime) -> str:
    """done, running, interrupted (taken by a worker that is gone) or waiting (in the queue)."""
    if chunk.done:
        return "done"
    if chunk.pk in running:
        return "running"
    if chunk.started_at is not None:
        return "running" if now - chunk.started_at < RESUME_GRACE else "interrupted"
    return "waiting"


def last_activity(payroll: Payroll) -> datetime.datetime | None:
    """When a part of the generation last started, finished or was queued."""
    moments = payroll.chunks.aggregate(
        started=Max("started_at"), finished=Max("finished_at"), queued=Max("queued_at")
    )
    return max(
        filter(None, [*moments.values(), payroll.generation_started_at]),
        default=None,
    )


@dataclass
class Progress:
    """What a generation is doing, for its page: parts done, running now (and on which
    workers), waiting in the queue, interrupted (their worker is gone, to be queued again),
    how often parts were resumed, and when anything last moved."""

    done: int
    total: int
    running: int = 0
    waiting: int = 0
    interrupted: int = 0
    resumed: int = 0
    workers: tuple[str, ...] = ()
    last_activity: datetime.datetime | None = None
    stalled: bool = False

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total

    @property
    def may_resume(self) -> bool:
        """The resume button is offered when parts wait for a worker that is gone, or
        nothing moves."""
        return bool(self.interrupted) or (self.stalled and self.done < self.total)


def generation_progress(payroll: Payroll) -> Progress:
    chunks = list(
        payroll.chunks.only("id", "done", "started_at", "worker", "resumed").order_by("number")
    )
    total = len(chunks)
    done = sum(1 for c in chunks if c.done)
    if payroll.status != Payroll.Status.GENERATING:
        return Progress(done=done, total=total)
    running_ids = running_chunk_ids([payroll.pk])
    now = timezone.now()
    states = [chunk_state(c, running_ids, now) for c in chunks]
    last = last_activity(payroll)
    return Progress(
        done=done,
        total=total,
        running=states.count("running"),
        waiting=states.count("waiting"),
        interrupted=states.count("interrupted"),
        resumed=sum(c.resumed for c in chunks),
        workers=tuple(
            sorted({c.worker for c, s in zip(chunks, states, strict=True) if s == "running"} - {""})
        ),
        last_activity=last,
        stalled=not running_ids and (last is None or now - last > STALL / 5),
    )


def months_in_payrolls(
    *, person_id: int, source_id: int, programs: Sequence[str]
) -> set[datetime.date]:
    """The benefit months a program's record (`source_id`) has rows for in any payroll, paid
    or to pay (a reissued row counts through its reissue). No policy: for services that
    already checked the record."""
    return set(
        Payment.objects.filter(
            person_id=person_id,  # served by the unique index
            source_id=source_id,
            program__in=list(programs),
            reissued=False,
        ).values_list("month", flat=True)
    )


def failed_payments(*, user: Any) -> QuerySet[Payment]:
    """Rows to correct and reissue: failed at the bank (or held out of a payroll already sent)
    and not yet paid again."""
    rows = Payment.objects.filter(reissued=False).filter(
        Q(status=Payment.Status.FAILED)
        | Q(status=Payment.Status.HELD, payroll__status__in=Payroll.ACTION_STATUSES["reissue"])
    )
    return (
        policy.scope(user, rows)
        .select_related("person", "area", "payroll")
        .order_by("area__code", "person__name", "month")
    )


def ledger_entries(*, user: Any, program: str = "") -> QuerySet[LedgerEntry]:
    entries = policy.scope(
        user,
        LedgerEntry.objects.select_related("payroll", "created_by", "bank_return", "overpayment"),
    )
    if program:
        entries = entries.filter(program=program)
    return entries.order_by("-booked_on", "-id")


@dataclass
class Balance:
    program: str
    label: str
    allocated: Decimal
    disbursed: Decimal
    returned: Decimal
    recovered: Decimal
    reversed: Decimal
    balance: Decimal


def reversed_entries(entries: list[LedgerEntry]) -> set[int]:
    """Which of these entries were reversed already (their page offers no second reversal)."""
    return set(
        LedgerEntry.objects.filter(reversal_of__in=[e.pk for e in entries]).values_list(
            "reversal_of_id", flat=True
        )
    )


def ledger_balances(*, user: Any) -> list[Balance]:
    """Per program: what came in, what went out, and the balance, in the user's funds."""
    rows = (
        ledger_entries(user=user)
        .values("program", "kind")
        .annotate(total=Sum("amount"))
        .order_by("program", "kind")
    )
    table: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        table.setdefault(row["program"], {})[row["kind"]] = row["total"] or ZERO
    kinds = LedgerEntry.Kind
    return [
        Balance(
            program=program,
            label=program_label(program),
            allocated=sums.get(kinds.ALLOCATION, ZERO),
            # paid out: payrolls and one-off payments
            disbursed=-sums.get(kinds.DISBURSEMENT, ZERO) - sums.get(kinds.ONE_OFF, ZERO),
            returned=sums.get(kinds.RETURN, ZERO),
            recovered=sums.get(kinds.RECOVERY, ZERO),
            reversed=-sums.get(kinds.REVERSAL, ZERO),
            balance=sum(sums.values(), ZERO),
        )
        for program, sums in sorted(table.items())
    ]


def overpayment_list(*, user: Any, status: str = "") -> QuerySet[Overpayment]:
    rows = policy.scope(user, Overpayment.objects.select_related("person", "area", "payment"))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "area__code", "person__name", "month")


def overpayment_get(*, user: Any, pk: int) -> Overpayment:
    return get_object_or_404(
        policy.scope(user, Overpayment.objects.select_related("person", "area", "payment")), pk=pk
    )


def supplementary_payrolls(*, user: Any, payroll: Payroll) -> QuerySet[Payroll]:
    """The payrolls that reissue rows of `payroll`."""
    return policy.scope(
        user, Payroll.objects.filter(payments__reissue_of__payroll=payroll).distinct()
    )


def export_job_get(*, user: Any, pk: int) -> ExportJob:
    """Only the requester sees (and downloads) an export job."""
    return get_object_or_404(
        ExportJob.objects.select_related("payroll"), pk=pk, requested_by_id=user.pk
    )


def recent_export_jobs(*, user: Any, payroll: Payroll) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(payroll=payroll, requested_by_id=user.pk).order_by(
        "-created_at"
    )[:5]


# ---- reconciliation


def reconciliation_lines(
    *, user: Any, run: ReconciliationRun, sign: str = "", program: str = ""
) -> QuerySet[ReconciliationLine]:
    """A run's differences in the user's areas; `sign` "to_pay" or "too_much"."""
    lines = policy.scope(user, run.lines.select_related("person", "area"))
    if sign == "to_pay":
        lines = lines.filter(difference__gt=0)
    elif sign == "too_much":
        lines = lines.filter(difference__lt=0)
    if program:
        lines = lines.filter(program=program)
    return lines.order_by("area__code", "person__name", "program", "month")


def reconciliation_summary(*, user: Any, run: ReconciliationRun) -> dict[str, Any]:
    """How many differences, and how much, each way, in the user's areas."""
    lines = policy.scope(user, run.lines.all())
    to_pay = lines.filter(difference__gt=0).aggregate(n=Count("id"), total=Sum("difference"))
    too_much = lines.filter(difference__lt=0).aggregate(n=Count("id"), total=Sum("difference"))
    return {
        "to_pay": to_pay["n"],
        "to_pay_amount": to_pay["total"] or ZERO,
        "too_much": too_much["n"],
        "too_much_amount": -(too_much["total"] or ZERO),
    }
