"""The payments summary: refreshed set-based from the payment rows and the fund ledger.

A refresh writes its rows under its own id in steps (each committed, so the progress bar
moves); readers keep using the last finished refresh until the new one is done, then switch
to it in one step (`latest()`), and the older rows are deleted.

Steps:
1. monthly programs: paid payment rows per program, area and benefit month (one pass);
2. the distinct persons of the two disability subsidies per month, quarter and year (one
   hashed pass over their rows);
3. one-off programs: one-off payments out of the fund ledger that were not reversed, per
   program, the person's area and the month booked;
4. switch and purge.
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

# person-times (= persons per month) are paid rows that are not back pay: the engine pays a
# person's month once; a failed row counts only through its reissue
MONTHLY_SQL = """
INSERT INTO dashboard_paymentsummary
       (refresh_id, program, area_id, period, start, person_times, persons, amount)
SELECT %(refresh)s, program, area_id, 'month', month,
       count(*) FILTER (WHERE kind <> 'back_pay'),
       count(*) FILTER (WHERE kind <> 'back_pay'),
       sum(amount)
  FROM payments_payment
 WHERE status = 'paid'
 GROUP BY program, area_id, month
"""
# The distinct persons of the group: one hashed pass over its rows collects, per area, person
# and year, the months paid as bits; each month, quarter and year then counts the persons
# with a bit in it (no sort, no DISTINCT over the rows). Measured faster than folding this
# into the monthly pass as a second grouping set.
GROUP_SQL = """
WITH persons AS (
    SELECT area_id, date_part('year', month)::int AS year,
           bit_or(1 << (date_part('month', month)::int - 1)) AS months
      FROM payments_payment
     WHERE status = 'paid' AND kind <> 'back_pay' AND program = ANY(%(programs)s)
     GROUP BY area_id, person_id, 2
)
INSERT INTO dashboard_paymentsummary
       (refresh_id, program, area_id, period, start, person_times, persons, amount)
SELECT %(refresh)s, %(group)s, area_id, 'month', make_date(year, m, 1), 0, count(*), 0
  FROM persons CROSS JOIN generate_series(1, 12) AS m
 WHERE months & (1 << (m - 1)) <> 0
 GROUP BY area_id, year, m
UNION ALL
SELECT %(refresh)s, %(group)s, area_id, 'quarter', make_date(year, 3 * q - 2, 1), 0, count(*), 0
  FROM persons CROSS JOIN generate_series(1, 4) AS q
 WHERE months & (7 << (3 * (q - 1))) <> 0
 GROUP BY area_id, year, q
UNION ALL
SELECT %(refresh)s, %(group)s, area_id, 'year', make_date(year, 1, 1), 0, count(*), 0
  FROM persons
 GROUP BY area_id, year
"""

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
        cursor.execute(sql, params)
        SummaryRefresh.objects.filter(pk=refresh.pk).update(
            steps_done=refresh.steps_done + 1, rows=refresh.rows + max(cursor.rowcount, 0)
        )
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
        _step(refresh, MONTHLY_SQL, {"refresh": refresh.pk})
        with connection.cursor() as cursor:
            # the group's hash table fits in memory (this session only)
            cursor.execute("SET work_mem = '128MB'")
            try:
                _step(
                    refresh,
                    GROUP_SQL,
                    {"refresh": refresh.pk, "group": GROUP, "programs": list(GROUP_PROGRAMS)},
                )
            finally:
                cursor.execute("RESET work_mem")
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
