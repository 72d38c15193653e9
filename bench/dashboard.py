"""The dashboards at scale: the county overview under load, and the summary refresh against
its floor.

    .venv/bin/python -m bench dashboard [--people=20000] [--clients=10] [--seconds=30]
                                        [--keep] [--reuse]

Creates a database of its own (`dashboard_bench` on the server of DATABASE_URL), migrates it,
fills it with `manage.py bench_data` (one active monthly entitlement per person) and writes
12 months of paid payroll rows for 2026 set-based (one payroll per month; 0.5% of the rows
failed at the bank and were reissued and paid in a supplementary payroll; a bank return per
payroll): people × 12 rows.

- floor: one `GROUP BY` over the payment rows (program, area, month: rows and amount of the
  paid rows), fetched — what any summary must at least read;
- refresh: the summary refresh job as it runs after a month's bank returns (`summary.run`:
  December's returns tallied — their tallies are removed first —, then the monthly step
  from the tallies, the distinct persons of the disability subsidies per month, quarter and
  year, the one-off ledger, the switch); the ratio refresh/floor (target ≤ 1.5);
- rebuild: the same job tallying every return again from nothing (trigger "rebuild": after
  an upgrade, or asked for); the ratio rebuild/floor;
  all best of `--repeat`, interleaved;
- overview: gunicorn serving the portal on 127.0.0.1, locust (headless) with `--clients`
  concurrent users opening /dashboard/ as the county approver for `--seconds`; the p95 and
  median in ms (target p95 < 300 ms), requests per second and failures.

The database is dropped at the end unless `--keep`; `--reuse` keeps a kept database's data.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._database import bench_database, database_url

BENCH_DATABASE = "dashboard_bench"
YEAR = 2026

PAYMENTS_SQL = """
INSERT INTO payments_payment (created_at, updated_at, payroll_id, person_id, program, month,
       area_id, amount, kind, source_id, status, hold_reason, bank_name, bank_account,
       bank_reason, settled_at, bank_return_id, reissued, reissue_of_id)
SELECT now(), now(), %(payroll)s, e.person_id, e.program, %(month)s, e.area_id,
       e.monthly_amount, 'regular', e.id,
       CASE WHEN e.id %% 200 = %(failed)s THEN 'failed' ELSE 'paid' END,
       '', '', '', '', now(), %(bank_return)s, e.id %% 200 = %(failed)s, NULL
  FROM relief_entitlement e
 WHERE e.status = 'active'
"""
REISSUE_SQL = """
INSERT INTO payments_payment (created_at, updated_at, payroll_id, person_id, program, month,
       area_id, amount, kind, source_id, status, hold_reason, bank_name, bank_account,
       bank_reason, settled_at, bank_return_id, reissued, reissue_of_id)
SELECT now(), now(), %(payroll)s, p.person_id, p.program, p.month, p.area_id, p.amount,
       'reissue', p.source_id, 'paid', '', '', '', '', now(), %(bank_return)s, false, p.id
  FROM payments_payment p
 WHERE p.status = 'failed'
"""
FLOOR_SQL = """
SELECT program, area_id, month, count(*) FILTER (WHERE kind <> 'back_pay'), sum(amount)
  FROM payments_payment
 WHERE status = 'paid'
 GROUP BY program, area_id, month
"""


def fill(people: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from civil_affairs.areas.models import Area
    from civil_affairs.payments.models import BankReturn, Payroll

    def bank_return(payroll: Payroll) -> int:
        return BankReturn.objects.create(
            payroll=payroll,
            file_name=f"return-{payroll.pk}.txt",
            sha256=f"bench-{payroll.pk}",
            content=b"",
            uploaded_by=user,
        ).pk

    started = time.monotonic()
    call_command(
        "bench_data",
        persons=people,
        households=max(1, int(people * 0.4)),
        month=f"{YEAR}-01",
        reset=True,
        verbosity=0,
    )
    figures: dict[str, Any] = {"bench_data_seconds": round(time.monotonic() - started, 1)}
    started = time.monotonic()
    user, _created = get_user_model().objects.get_or_create(username="bench_finance")
    county = Area.objects.get(code="430922")
    with transaction.atomic(), connection.cursor() as cursor:
        for m in range(1, 13):
            month = datetime.date(YEAR, m, 1)
            payroll = Payroll.objects.create(
                month=month,
                programs=["dibao"],
                area=county,
                status="partly_failed",
                generated_by=user,
            )
            cursor.execute(
                PAYMENTS_SQL,
                {
                    "payroll": payroll.pk,
                    "month": month,
                    "failed": m,
                    "bank_return": bank_return(payroll),
                },
            )
        supplementary = Payroll.objects.create(
            month=datetime.date(YEAR, 12, 1),
            kind="supplementary",
            programs=["dibao"],
            area=county,
            status="paid",
            generated_by=user,
        )
        cursor.execute(
            REISSUE_SQL,
            {"payroll": supplementary.pk, "bank_return": bank_return(supplementary)},
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE payments_payment")
        cursor.execute("SELECT count(*) FROM payments_payment")
        figures["payment_rows"] = cursor.fetchone()[0]
    figures["payments_seconds"] = round(time.monotonic() - started, 1)
    return figures


def floor_seconds() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL)
        cursor.fetchall()
    return time.perf_counter() - started


def refresh_seconds(trigger: str) -> tuple[float, int]:
    """The refresh job as it runs after December's bank returns (the regular payroll's and
    the supplementary's: their tallies and the persons' December bits are removed first, so
    it reads their rows and writes the bits again), or a rebuild (trigger "rebuild": every
    return tallied again from nothing)."""
    from django.db import connection

    from civil_affairs.dashboard import summary
    from civil_affairs.dashboard.models import SummaryRefresh

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id FROM payments_bankreturn r JOIN payments_payroll p ON p.id = r.payroll_id"
            " WHERE p.month = %s",
            [datetime.date(YEAR, 12, 1)],
        )
        december = [row[0] for row in cursor.fetchall()]
        for table in ("dashboard_talliedreturn", "dashboard_returntally"):
            cursor.execute(f"DELETE FROM {table} WHERE bank_return_id = ANY(%s)", [december])
        # and the December bit of each person (only December's returns pay December here)
        cursor.execute(
            "UPDATE dashboard_personmonths SET months = months & ~2048 "
            "WHERE year = %s AND months & 2048 <> 0",
            [YEAR],
        )
    run = SummaryRefresh.objects.create(trigger=trigger)
    started = time.perf_counter()
    summary.run(run.pk)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    return seconds, run.rows


def session_of_approver() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from civil_affairs.areas.models import Area, Role
    from civil_affairs.areas.services import assignment_create

    users: Any = get_user_model()
    approver, created = users.objects.get_or_create(username="bench_approver")
    if created:
        assignment_create(
            user=approver, area=Area.objects.get(code="430922"), role=Role.COUNTY_APPROVER
        )
    client = Client()
    client.force_login(approver, backend="django.contrib.auth.backends.ModelBackend")
    return str(client.cookies["sessionid"].value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _warm(port: int, session: str, times: int) -> None:
    """Each worker's first requests load the code and the catalogues: not what is measured."""
    import urllib.request

    for _ in range(times):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/dashboard/?period={YEAR}",
            headers={"Cookie": f"sessionid={session}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            response.read()


def load(clients: int, seconds: int, workers: int) -> dict[str, Any]:
    """gunicorn on loopback, locust headless against it; the overview's percentiles."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(BENCH_DATABASE),
        "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
        "DJANGO_DEBUG": "0",
    }
    here = Path(__file__).resolve().parent
    bindir = Path(sys.executable).parent
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        [
            str(bindir / "gunicorn"),
            "civil_affairs.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=here.parent,
        env=env,
    )
    try:
        for _ in range(100):  # until it answers
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        env["BENCH_SESSION"] = session_of_approver()
        _warm(port, env["BENCH_SESSION"], workers * 6)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "stats")
            subprocess.run(  # noqa: S603 - our own venv's locust
                [
                    str(bindir / "locust"),
                    "-f",
                    str(here / "_dashboard_locust.py"),
                    "--headless",
                    "-u",
                    str(clients),
                    "-r",
                    str(clients),
                    "-t",
                    f"{seconds}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                check=False,
                env=env,
                cwd=here.parent,
            )
            with open(f"{prefix}_stats.csv", newline="") as f:
                row = next(r for r in csv.DictReader(f) if r["Name"] == "overview")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "overview_requests": int(row["Request Count"]),
        "overview_failures": int(row["Failure Count"]),
        "overview_median_ms": float(row["50%"]),
        "overview_p95_ms": float(row["95%"]),
        "overview_requests_per_second": round(float(row["Requests/s"]), 1),
    }


def run(args: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench dashboard")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database's data")
    options = parser.parse_args(args)

    figures: dict[str, Any] = {"people": options.people, "clients": options.clients}
    with bench_database(BENCH_DATABASE, keep=options.keep, reuse=options.reuse) as existing:
        if not existing:
            figures.update(fill(options.people))
        floors, refreshes, rebuilds = [], [], []
        for _ in range(options.repeat):  # interleaved: the machine is shared
            floors.append(floor_seconds())
            rebuilds.append(refresh_seconds("rebuild")[0])
            seconds, rows = refresh_seconds("bank_return")
            refreshes.append(seconds)
        floor = min(floors)
        figures["summary_rows"] = rows
        figures["floor_group_by_seconds"] = round(floor, 2)
        figures["refresh_seconds"] = round(min(refreshes), 2)
        figures["refresh_over_floor"] = round(min(refreshes) / floor, 2)
        figures["refresh_target"] = "≤ 1.5"
        figures["rebuild_seconds"] = round(min(rebuilds), 2)
        figures["rebuild_over_floor"] = round(min(rebuilds) / floor, 2)
        figures.update(load(options.clients, options.seconds, options.workers))
        figures["overview_target"] = "p95 < 300 ms"
    return figures
