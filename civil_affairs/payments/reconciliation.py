"""Reconciliation: what the programs owe, month by month, against what the payrolls pay.

Per person, program and benefit month up to the program's latest payroll month, the
providers' rows (what is owed, engine.rows_query) are compared with the rows of every payroll
(what was paid or will be: any status, reissued rows replaced by their reissue), less the
overpayments registered for them (a decision already taken). Every difference is a line:

- owed more than paid: a month the next payroll will pay as arrears or back pay (it is
  listed so that finance sees it before that payroll, and so that a month that would never
  be paid could not go unnoticed);
- paid more than owed: a cut or a stop entered after the month was paid — never clawed back
  silently: finance decides (register an overpayment to recover, or leave it).

After a payroll that pays everything owed, the reconciliation is empty: a test builds
standards that change, late approvals, stops and months already paid, and expects exactly
that. The nightly job (beat) runs it and the home page of finance shows its differences.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import engine, providers
from .models import Payroll, ReconciliationLine, ReconciliationRun


@dataclass(frozen=True)
class Difference:
    person_id: int
    program: str
    month: datetime.date
    area_id: int
    owed: Decimal
    paid: Decimal

    @property
    def difference(self) -> Decimal:
        return self.owed - self.paid


def as_of_months() -> dict[str, datetime.date]:
    """Per monthly program, the month of its latest regular payroll (generated, not
    cancelled): what is owed up to that month must be in some payroll by then."""
    latest: dict[str, datetime.date] = {}
    rows = (
        Payroll.objects.filter(kind=Payroll.Kind.REGULAR)
        .exclude(status__in=[Payroll.Status.CANCELLED, Payroll.Status.GENERATING])
        .values_list("programs", "month")
    )
    for programs, month in rows:
        for program in programs:
            if program not in latest or month > latest[program]:
                latest[program] = month
    known = {p.program for p in providers.all_providers()}
    return {p: m for p, m in latest.items() if p in known}


COMPARE_SQL = """
WITH owed AS (
    SELECT r.person_id, r.month, min(r.area_id) AS area_id, sum(r.amount) AS amount
    FROM ({owed}) AS r(program, person_id, area_id, month, amount, source_id)
    GROUP BY r.person_id, r.month
), paid AS (
    SELECT x.person_id, x.month, min(x.area_id) AS area_id, sum(x.amount) AS amount
    FROM payments_payment x
    WHERE x.program = %(program)s AND x.month <= %(as_of)s AND NOT x.reissued
    GROUP BY x.person_id, x.month
), decided AS (
    SELECT x.person_id, x.month, sum(o.amount) AS amount
    FROM payments_overpayment o JOIN payments_payment x ON x.id = o.payment_id
    WHERE x.program = %(program)s AND x.month <= %(as_of)s
    GROUP BY x.person_id, x.month
)
SELECT coalesce(o.person_id, p.person_id), coalesce(o.month, p.month),
       coalesce(o.area_id, p.area_id), coalesce(o.amount, 0),
       coalesce(p.amount, 0) - coalesce(d.amount, 0)
FROM owed o
FULL JOIN paid p ON p.person_id = o.person_id AND p.month = o.month
LEFT JOIN decided d
  ON d.person_id = coalesce(o.person_id, p.person_id) AND d.month = coalesce(o.month, p.month)
WHERE coalesce(o.amount, 0) <> coalesce(p.amount, 0) - coalesce(d.amount, 0)
ORDER BY 3, 1, 2
"""


def differences(program: str, as_of: datetime.date) -> list[Difference]:
    """Every person and month of `program` up to `as_of` whose payments differ from what is
    owed (no access policy: callers scope the result)."""
    owed, params = engine.rows_query([program], as_of)
    params.update({"program": program, "as_of": as_of})
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(COMPARE_SQL.format(owed=owed), params)
        return [
            Difference(person_id=p, program=program, month=m, area_id=a, owed=o, paid=d)
            for p, m, a, o, d in cursor.fetchall()
        ]


def run(*, run_id: int) -> ReconciliationRun:
    """Compute a run's lines, program by program (each in its own transaction, so the page's
    progress bar moves). A failure is written on the run."""
    recon = ReconciliationRun.objects.get(pk=run_id)
    as_of = as_of_months()
    recon.as_of = {p: m.isoformat() for p, m in as_of.items()}
    recon.programs_total = len(as_of)
    recon.save(update_fields=["as_of", "programs_total"])
    try:
        for program, month in sorted(as_of.items()):
            with transaction.atomic():
                found = differences(program, month)
                ReconciliationLine.objects.bulk_create(
                    (
                        ReconciliationLine(
                            run=recon,
                            person_id=d.person_id,
                            program=d.program,
                            month=d.month,
                            area_id=d.area_id,
                            owed=d.owed,
                            paid=d.paid,
                            difference=d.difference,
                        )
                        for d in found
                    ),
                    batch_size=5000,
                )
                recon.programs_done += 1
                recon.lines_found += len(found)
                recon.save(update_fields=["programs_done", "lines_found"])
    except Exception as exc:
        recon.status = ReconciliationRun.Status.FAILED
        recon.error = repr(exc)[:2000]
        recon.finished_at = timezone.now()
        recon.save(update_fields=["status", "error", "finished_at"])
        raise
    recon.status = ReconciliationRun.Status.DONE
    recon.finished_at = timezone.now()
    recon.save(update_fields=["status", "finished_at"])
    return recon


def latest_run() -> ReconciliationRun | None:
    done = ReconciliationRun.objects.filter(status=ReconciliationRun.Status.DONE)
    newest = done.aggregate(at=Max("started_at"))["at"]
    return done.filter(started_at=newest).first() if newest else None


def purge(keep: int = 30) -> int:
    """Runs beyond the `keep` newest are deleted with their lines."""
    old = list(ReconciliationRun.objects.order_by("-started_at").values_list("pk", flat=True))
    deleted, _ = ReconciliationRun.objects.filter(pk__in=old[keep:]).delete()
    return deleted
