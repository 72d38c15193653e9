"""The payments summary: refreshed set-based from the tallies of the bank returns and the
fund ledger.

A refresh writes its rows under its own id in steps (each committed, so the progress bar
moves); readers keep using the last finished refresh until the new one is done, then switch
to it in one step (`latest()`), and the older rows are deleted.

Steps:
1. tally the bank returns applied since the last refresh (a rebuild: every return again).
   A return settles only rows still to pay, so what it paid is final: its paid rows are
   read by one refresh only, through the payroll's index, into ReturnTally (program × area
   × benefit month) and PersonMonths (the months each person was paid a disability
   subsidy, as bits). So a refresh reads a month's rows, not every month's;
2. monthly programs: the tallies summed per program, area and benefit month;
3. the distinct persons of the two disability subsidies per month, quarter and year, counted
   from PersonMonths;
4. one-off programs: one-off payments out of the fund ledger that were not reversed, per
   program, the person's area and the month booked;
then switch and purge.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import PaymentSummary, SummaryRefresh

# The programs counted together for distinct persons (a person paid both counts once).
GROUP = "disability_subsidies"
GROUP_PROGRAMS = ("disability_living", "disability_care")

STEPS = 4

# The paid rows of the returns being tallied: a return's rows are in its payroll, so the
# payroll's index finds them (payments_payment has no index on bank_return_id).
RETURN_ROWS = """
  FROM payments_payment p
 WHERE p.payroll_id = ANY(%(payrolls)s) AND p.bank_return_id = ANY(%(returns)s)
   AND p.status = 'paid'
"""
# person-times (= persons per month) are paid rows that are not back pay: the engine pays a
# person's month once; a failed row counts only through its reissue
TALLY_SQL = f"""
INSERT INTO dashboard_returntally (bank_return_id, program, area_id, month, person_times, amount)
SELECT p.bank_return_id, p.program, p.area_id, p.month,
       count(*) FILTER (WHERE p.kind <> 'back_pay'), sum(p.amount)
{RETURN_ROWS}
 GROUP BY p.bank_return_id, p.program, p.area_id, p.month
"""
# The group's months of each person, OR-ed into what earlier returns paid; a row whose bits
# do not change is not written. MERGE joins the two sets in one pass (measured about twice
# as fast as INSERT … ON CONFLICT, which probes the index row by row).
PERSON_MONTHS_SQL = f"""
MERGE INTO dashboard_personmonths m
USING (
    SELECT p.area_id, p.person_id, date_part('year', p.month)::int AS year,
           bit_or(1 << (date_part('month', p.month)::int - 1)) AS months
    {RETURN_ROWS}
       AND p.kind <> 'back_pay' AND p.program = ANY(%(programs)s)
     GROUP BY p.area_id, p.person_id, 3
) n ON m.area_id = n.area_id AND m.person_id = n.person_id AND m.year = n.year
WHEN MATCHED AND m.months | n.months <> m.months THEN UPDATE SET months = m.months | n.months
WHEN NOT MATCHED THEN INSERT (area_id, person_id, year, months)
     VALUES (n.area_id, n.person_id, n.year, n.months)
"""  # noqa: S608 - constants
MONTHLY_SQL = """
INSERT INTO dashboard_paymentsummary
       (refresh_id, program, area_id, period, start, person_times, persons, amount)
SELECT %(refresh)s, program, area_id, 'month', month,
       sum(person_times), sum(person_times), sum(amount)
  FROM dashboard_returntally
 GROUP BY program, area_id, month
"""
# Each month, quarter and year of PersonMonths: (period, its first month, its bits).
_PERIODS = [
    *(("month", m, 1 << (m - 1)) for m in range(1, 13)),
    *(("quarter", 3 * q - 2, 7 << (3 * (q - 1))) for q in range(1, 5)),
    ("year", 1, (1 << 12) - 1),
]
# One pass over PersonMonths counts, per area and year, the persons with a bit in each
# period (no sort, no DISTINCT); the counts are then turned into a row per period.
_COUNTS = ", ".join(
    f"count(*) FILTER (WHERE months & {bits} <> 0) AS c{i}"
    for i, (_period, _first, bits) in enumerate(_PERIODS)
)
_VALUES = ", ".join(
    f"('{period}', make_date(c.year, {first}, 1), c.c{i})"
    for i, (period, first, _bits) in enumerate(_PERIODS)
)
GROUP_SQL = f"""
INSERT INTO dashboard_paymentsummary
       (refresh_id, program, area_id, period, start, person_times, persons, amount)
SELECT %(refresh)s, %(group)s, c.area_id, v.period, v.start, 0, v.persons, 0
  FROM (SELECT area_id, year, {_COUNTS} FROM dashboard_personmonths GROUP BY area_id, year) c
 CROSS JOIN LATERAL (VALUES {_VALUES}) AS v(period, start, persons)
 WHERE v.persons > 0
"""  # noqa: S608 - built from constants

ONE_OFF_SQL = """
INSERT INTO dashboard_paymentsummary
       (refresh_id, program, area_id, period, start, person_times, persons, amount)
SELECT %(refresh)s, le.program, COALESCE(pp.area_id, le.area_id), 'month',
       date_trunc('month', le.booked_on)::date,
       count(*), count(DISTINCT le.person_id), -sum(le.amount)
  FROM payments_ledgerentry le
  LEFT JOIN people_person pp ON pp.id = le.person_id
 WHERE le.kind = 'one_off'
   AND NOT EXISTS (SELECT 1 FROM payments_ledgerentry r WHERE r.reversal_of_id = le.id)
 GROUP BY le.program, COALESCE(pp.area_id, le.area_id), date_trunc('month', le.booked_on)
"""
# a one-off person's yearly distinct count is not needed by any figure: persons per month only


# The latest finished refresh, remembered for a few seconds: a page reads it for each of its
# money figures. A refresh finished in this process forgets it at once; others within LATEST_TTL.
LATEST_TTL = 5.0
_latest: tuple[float, SummaryRefresh | None] | None = None


def latest() -> SummaryRefresh | None:
    """The finished refresh whose rows the figures read."""
    global _latest
    now = time.monotonic()
    if _latest is None or now - _latest[0] > LATEST_TTL:
        found = (
            SummaryRefresh.objects.filter(status=SummaryRefresh.Status.DONE)
            .order_by("-finished_at", "-id")
            .first()
        )
        _latest = (now, found)
    return _latest[1]


def forget() -> None:
    global _latest
    _latest = None


def _step(refresh: SummaryRefresh, sql: str, params: dict[str, Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # short statements: compiling costs more
        cursor.execute(sql, params)
        SummaryRefresh.objects.filter(pk=refresh.pk).update(
            steps_done=refresh.steps_done + 1, rows=refresh.rows + max(cursor.rowcount, 0)
        )
    refresh.refresh_from_db(fields=["steps_done", "rows"])


def _tally(refresh: SummaryRefresh) -> None:
    """Step 1: tally the bank returns not tallied yet (a rebuild: all of them, from nothing).
    One refresh tallies at a time (the table lock), so no return is tallied twice."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE dashboard_talliedreturn IN SHARE ROW EXCLUSIVE MODE")
        if refresh.trigger == SummaryRefresh.Trigger.REBUILD:
            # TRUNCATE refuses while foreign-key checks of this transaction wait (a caller's
            # transaction may hold some: run them now)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "TRUNCATE dashboard_talliedreturn, dashboard_returntally, dashboard_personmonths"
            )
        cursor.execute(
            "SELECT r.id, r.payroll_id FROM payments_bankreturn r WHERE NOT EXISTS "
            "(SELECT 1 FROM dashboard_talliedreturn t WHERE t.bank_return_id = r.id)"
        )
        found = cursor.fetchall()
        returns = [bank_return for bank_return, _payroll in found]
        if returns:
            # the persons' hash table fits in memory (this transaction only)
            cursor.execute("SET LOCAL work_mem = '128MB'")
            params = {
                "returns": returns,
                "payrolls": sorted({payroll for _return, payroll in found}),
                "programs": list(GROUP_PROGRAMS),
            }
            cursor.execute(TALLY_SQL, params)
            cursor.execute(PERSON_MONTHS_SQL, params)
            cursor.execute(
                "INSERT INTO dashboard_talliedreturn (bank_return_id, tallied_at) "
                "SELECT unnest(%s::bigint[]), now()",
                [returns],
            )
        SummaryRefresh.objects.filter(pk=refresh.pk).update(steps_done=1)
    refresh.refresh_from_db(fields=["steps_done", "rows"])


def run(refresh_id: int) -> SummaryRefresh:
    """Compute a refresh's rows (a Celery task's work); a refresh already done does nothing."""
    refresh = SummaryRefresh.objects.get(pk=refresh_id)
    if refresh.status in (SummaryRefresh.Status.DONE, SummaryRefresh.Status.FAILED):
        return refresh
    refresh.status = SummaryRefresh.Status.RUNNING
    refresh.started_at = timezone.now()
    refresh.steps_total = STEPS
    refresh.steps_done = 0
    refresh.save(update_fields=["status", "started_at", "steps_total", "steps_done"])
    # a rerun of a refresh that died midway starts from an empty set
    PaymentSummary.objects.filter(refresh=refresh).delete()
    forget()
    try:
        _tally(refresh)
        _step(refresh, MONTHLY_SQL, {"refresh": refresh.pk})
        _step(refresh, GROUP_SQL, {"refresh": refresh.pk, "group": GROUP})
        _step(refresh, ONE_OFF_SQL, {"refresh": refresh.pk})
        previous = latest()
        with transaction.atomic():
            refresh.status = SummaryRefresh.Status.DONE
            refresh.finished_at = timezone.now()
            refresh.steps_done = STEPS
            refresh.save(update_fields=["status", "finished_at", "steps_done"])
        forget()
        # readers now use this one: the older sets go (but the one just replaced, which a
        # page that began before the switch may still be reading)
        keep = [refresh.pk, previous.pk if previous else refresh.pk]
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM dashboard_paymentsummary WHERE refresh_id <> ALL(%s)", [keep]
            )
    except Exception as exc:
        PaymentSummary.objects.filter(refresh=refresh).delete()
        refresh.status = SummaryRefresh.Status.FAILED
        refresh.error = repr(exc)[:2000]
        refresh.finished_at = timezone.now()
        refresh.save(update_fields=["status", "error", "finished_at"])
        raise
    return refresh


def refreshed_at() -> datetime.datetime | None:
    done = latest()
    return done.finished_at if done else None
