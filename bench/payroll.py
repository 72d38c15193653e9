"""The monthly payroll job at scale, against its floor.

    .venv/bin/python -m bench payroll [--persons=1000000] [--workers=1,2] [--chunk=50000]
                                      [--keep] [--reuse]

Creates a database of its own (`payments_bench` on the server of DATABASE_URL), migrates it
and fills it with `manage.py bench_data` (one active monthly entitlement per person), then
for each worker count:

- (b) the floor: one plain `INSERT … SELECT` of the same rows (the providers' union, as the
  engine builds it, without chunks) into an empty table identical to
  payments_payment (same columns, indexes and foreign keys), committed;
- (a) the full job: `payroll_generate` through Celery with a real worker process of that
  concurrency, from the call until the payroll is a totalled draft (chunks, chord, totals);
- (c) the plain floor: the same number of rows, amounts precomputed in one source table
  (not timed), inserted by one plain `INSERT … SELECT` into a table with only a primary
  key, the foreign keys and the unique key, committed (Django's foreign keys are deferred:
  the commit checks them, in the floor and the job too).

It reports the times, the ratios job/floor (target ≤ 1.5) and job/plain floor (target ≤ 2),
and where the rest goes: what computing the rows costs (what is owed less what is paid:
the SELECT alone), the table's other indexes and its foreign keys (the same insert into
tables with and without them), and the chunks, chord and totals (the job less the floor);
and the peak resident memory of any worker process (target ≤ 300 MB; read from /proc's
VmHWM, the kernel's high-water mark).

`--history=N` first pays N earlier months (the entitlements start N months before the
payroll month, and N payrolls' rows are in the table), so that what is owed less what is
paid is computed over N + 1 months per entitlement, as after N months in production.
The broker is Redis when REDIS_URL is set (on a key prefix of its own), kombu's filesystem
transport otherwise. The database is dropped at the end unless `--keep`; `--reuse` keeps
the data of a kept database and skips bench_data.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench._database import admin_sql, bench_database, database_url

BENCH_DATABASE = "payments_bench"
MONTH = "2026-11"
PROGRAMS = ["dibao", "extreme_poverty", "disability_living", "disability_care"]


def fill(persons: int, *, reuse_data: bool) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    figures: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM relief_entitlement WHERE status = 'active'")
        have = cursor.fetchone()[0]
    if not (reuse_data and have == persons):
        started = time.monotonic()
        call_command(
            "bench_data",
            persons=persons,
            households=max(1, int(persons * 0.4)),
            month=MONTH,
            reset=True,
            verbosity=0,
        )
        figures["bench_data_seconds"] = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM relief_entitlement WHERE status = 'active'")
        figures["active_entitlements"] = cursor.fetchone()[0]
    return figures


def finance_user() -> Any:
    from django.contrib.auth import get_user_model

    from civil_affairs.areas.models import Area, Role
    from civil_affairs.areas.services import assignment_create

    user, _ = get_user_model().objects.get_or_create(username="bench_finance")
    assignment_create(user=user, area=Area.objects.get(code="430922"), role=Role.FINANCE)
    return user


def generate_inline(actor: Any, *, chunk: int) -> Any:
    """A payroll generated in this process (for benches that need one, not to time it)."""
    from civil_affairs.core.months import parse_month
    from civil_affairs.payments import services

    payroll = services.payroll_generate(
        actor=actor, month=parse_month(MONTH), programs=PROGRAMS, chunk_persons=chunk
    )
    for part in payroll.chunks.all():
        services.payroll_chunk_generate(chunk_id=part.pk)
    services.payroll_generation_finish(payroll_id=payroll.pk)
    payroll.refresh_from_db()
    return payroll


# ---- a worker process


class Worker:
    def __init__(self, concurrency: int, db_url: str) -> None:
        from django.conf import settings

        self.queue = f"payments-bench-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        log_dir = Path(settings.BASE_DIR) / "var" / "bench"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = log_dir / f"{self.queue}.log"
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "CELERY_QUEUE": self.queue,
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
        }
        if not os.environ.get("REDIS_URL"):  # kombu's filesystem transport needs its folders
            for folder in ("out", "control"):
                (Path(settings.VAR_DIR) / "broker" / folder).mkdir(parents=True, exist_ok=True)
        celery = Path(sys.executable).with_name("celery")
        self.proc = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [
                str(celery),
                "-A",
                "civil_affairs",
                "worker",
                "-Q",
                self.queue,
                "-c",
                str(concurrency),
                "-P",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "WARNING",
                "-n",
                f"{self.queue}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready(concurrency)

    def _wait_ready(self, concurrency: int) -> None:
        import psutil

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the worker died: see {self.log}")
            children = psutil.Process(self.proc.pid).children(recursive=True)
            if len(children) >= concurrency:
                time.sleep(2)  # the pool processes finish importing
                return
            time.sleep(0.2)
        raise RuntimeError(f"the worker did not start: see {self.log}")

    def peak_rss_mb(self) -> float:
        """The largest high-water mark of resident memory among the worker's processes."""
        import psutil

        peak = 0
        for proc in [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(True)]:
            with contextlib.suppress(OSError, psutil.Error):
                for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        return round(peak / 1024, 1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        if os.environ.get("REDIS_URL"):  # the run's queue and its bindings go with it
            import redis

            client = redis.Redis.from_url(os.environ["REDIS_URL"])
            for key in client.scan_iter(match=f"*{self.queue}*"):
                client.delete(key)


def use_queue(queue: str) -> None:
    """This process publishes to `queue`: the run's worker serves it alone."""
    from civil_affairs.celery import app

    app.conf.task_default_queue = queue


# ---- the two measurements


def clear_payrolls() -> None:
    admin_sql(
        "TRUNCATE payments_payment, payments_payrollchunk, payments_payroll_areas, "
        "payments_payroll, payments_historicalpayment, payments_historicalpayroll, "
        "core_statuschange, django_celery_results_taskresult, "
        "django_celery_results_chordcounter CASCADE"
    )


def floor_seconds(actor: Any) -> tuple[float, int]:
    """(b): one plain INSERT … SELECT of the same rows into an identical empty table."""
    from django.db import connection, transaction

    from civil_affairs.areas.models import Area
    from civil_affairs.core.months import parse_month
    from civil_affairs.payments import engine
    from civil_affairs.payments.models import Payroll

    admin_sql("DROP TABLE IF EXISTS payments_floor")
    admin_sql("CREATE TABLE payments_floor (LIKE payments_payment INCLUDING ALL)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'payments_payment'::regclass AND contype = 'f'"
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE payments_floor ADD CONSTRAINT "f_{name}" {definition}')
    # the floor's rows need a payroll to point at; a cancelled one is in no one's way
    owner = Payroll.objects.create(
        month=parse_month(MONTH),
        programs=PROGRAMS,
        area=Area.objects.get(code="430922"),
        status=Payroll.Status.CANCELLED,
        generated_by=actor,
    ).pk
    sql, params = engine.insert_query(
        table="payments_floor",
        payroll_id=owner,
        programs=PROGRAMS,
        month=parse_month(MONTH),
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        rows = cursor.rowcount
    return time.perf_counter() - started, rows


def plain_floor(actor: Any) -> dict[str, float]:
    """(c) and its parts: the rows precomputed into a source table (not timed), then inserted
    into tables with fewer and fewer of payments_payment's indexes and foreign keys."""
    from django.db import connection, transaction

    from civil_affairs.areas.models import Area
    from civil_affairs.core.months import parse_month
    from civil_affairs.payments import engine, providers
    from civil_affairs.payments.models import Payroll

    month = parse_month(MONTH)
    owner = Payroll.objects.create(
        month=month,
        programs=PROGRAMS,
        area=Area.objects.get(code="430922"),
        status=Payroll.Status.CANCELLED,
        generated_by=actor,
    ).pk
    rows, params = engine.rows_query(providers.with_parts(PROGRAMS), month)
    paid = engine.PAID_SQL
    select = (
        "SELECT r.program, r.person_id, r.area_id, r.month, "
        "r.amount - coalesce(paid.amount, 0) AS amount, r.source_id "
        f"FROM ({rows}) AS r(program, person_id, area_id, month, amount, source_id) "
        f"LEFT JOIN LATERAL ({paid}) AS paid ON true "
        "WHERE r.amount > coalesce(paid.amount, 0)"
    )
    figures: dict[str, float] = {}
    admin_sql("DROP TABLE IF EXISTS payments_source")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        started = time.perf_counter()
        cursor.execute(f"SELECT count(*) FROM ({select}) AS s", params)
        figures["select_seconds"] = time.perf_counter() - started
        cursor.execute(f"CREATE UNLOGGED TABLE payments_source AS {select}", params)
    admin_sql("ANALYZE payments_source")
    columns = "payroll_id, person_id, program, month, area_id, amount, source_id"
    plain = (
        "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
        "payroll_id bigint NOT NULL, person_id bigint NOT NULL, program varchar(30) NOT NULL, "
        "month date NOT NULL, area_id bigint NOT NULL, amount numeric(14, 2) NOT NULL, "
        "source_id bigint NOT NULL"
    )
    keys = (
        ", FOREIGN KEY (payroll_id) REFERENCES payments_payroll (id) DEFERRABLE INITIALLY "
        "DEFERRED, FOREIGN KEY (person_id) REFERENCES people_person (id) DEFERRABLE INITIALLY "
        "DEFERRED, FOREIGN KEY (area_id) REFERENCES areas_area (id) DEFERRABLE INITIALLY DEFERRED"
    )
    unique = ", UNIQUE (person_id, program, month, payroll_id)"
    for name, definition in [
        ("plain_floor_seconds", plain + keys + unique),
        ("no_fk_seconds", plain + unique),
    ]:
        admin_sql("DROP TABLE IF EXISTS payments_plain")
        admin_sql(f"CREATE TABLE payments_plain ({definition})")
        # timed through the commit, as the floor and the job are: Django's foreign keys are
        # deferred, so they are checked there
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO payments_plain ({columns}) "
                f"SELECT {owner}, person_id, program, month, area_id, amount, source_id "
                "FROM payments_source"
            )
        figures[name] = time.perf_counter() - started
    admin_sql("DROP TABLE IF EXISTS payments_plain")
    admin_sql("DROP TABLE IF EXISTS payments_source")
    return figures


def pay_history(months: int) -> None:
    """Entitlements start `months` earlier and those months are paid: the rows each month's
    payroll would have made, in closed payrolls, set-based."""
    from django.db import connection

    from civil_affairs.areas.models import Area
    from civil_affairs.core.months import add_months, parse_month
    from civil_affairs.payments.models import Payroll

    if months <= 0:
        return
    month = parse_month(MONTH)
    first = add_months(month, -months)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE relief_entitlement SET start_month = %s", [first])
        cursor.execute("UPDATE relief_entitlementperiod SET valid_from = %s", [first])
    actor = finance_user()
    for i in range(months):
        paid_month = add_months(first, i)
        payroll = Payroll.objects.create(
            month=paid_month,
            programs=PROGRAMS,
            area=Area.objects.get(code="430922"),
            status=Payroll.Status.CLOSED,
            generated_by=actor,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO payments_payment (payroll_id, person_id, program, month, area_id, "
                "amount, kind, source_id, status, reissued, hold_reason, bank_name, "
                "bank_account, bank_reason, created_at, updated_at) "
                "SELECT %s, e.person_id, e.program, %s, e.area_id, e.monthly_amount, 'regular', "
                "e.id, 'paid', false, '', '', '', '', now(), now() "
                "FROM relief_entitlement e WHERE e.status = 'active'",
                [payroll.pk, paid_month],
            )
    admin_sql("VACUUM ANALYZE payments_payment")


def job_seconds(actor: Any, *, chunk: int, timeout: float = 3600) -> tuple[float, Any]:
    """(a): the payroll job through Celery, from the call to the totalled draft."""
    from civil_affairs.core.months import parse_month
    from civil_affairs.payments import services
    from civil_affairs.payments.models import Payroll

    started = time.perf_counter()
    payroll = services.payroll_generate(
        actor=actor, month=parse_month(MONTH), programs=PROGRAMS, chunk_persons=chunk
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Payroll.objects.filter(pk=payroll.pk).values_list("status", flat=True).first()
        if status == Payroll.Status.DRAFT:
            break
        if status == Payroll.Status.FAILED:
            raise RuntimeError("the generation failed")
        time.sleep(0.05)
    else:
        raise RuntimeError("the generation did not finish in time")
    elapsed = time.perf_counter() - started
    payroll.refresh_from_db()
    return elapsed, payroll


def run(args: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench payroll")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="a fraction of --persons")
    parser.add_argument("--workers", default="1,2", help="worker processes per run")
    parser.add_argument("--chunk", type=int, default=0, help="persons per chunk")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept bench database")
    parser.add_argument("--history", type=int, default=0, help="months already paid")
    options = parser.parse_args(args)
    persons = max(10, int(options.persons * options.scale))
    from civil_affairs.payments import engine

    chunk = options.chunk or engine.CHUNK_PERSONS
    figures: dict[str, Any] = {
        "persons": persons,
        "chunk_persons": chunk,
        "months_already_paid": options.history,
    }
    with bench_database(BENCH_DATABASE, keep=options.keep, reuse=options.reuse) as existing:
        figures.update(fill(persons, reuse_data=existing))
        admin_sql("VACUUM ANALYZE")
        actor = finance_user()
        db_url = database_url(BENCH_DATABASE)
        floor_seconds(actor)  # warms the caches for both
        for count in [int(c) for c in options.workers.split(",") if c.strip()]:
            clear_payrolls()
            pay_history(options.history)
            parts = plain_floor(actor)
            floor, floor_rows = floor_seconds(actor)
            worker = Worker(count, db_url)
            try:
                use_queue(worker.queue)
                job, payroll = job_seconds(actor, chunk=chunk)
                peak = worker.peak_rss_mb()
            finally:
                worker.stop()
            if payroll.rows != floor_rows:
                raise RuntimeError(f"the job made {payroll.rows} rows, the floor {floor_rows}")
            label = f"{count}_worker" + ("s" if count > 1 else "")
            figures[f"rows_{label}"] = payroll.rows
            figures[f"chunks_{label}"] = payroll.chunks.count()
            figures[f"floor_seconds_{label}"] = round(floor, 2)
            figures[f"job_seconds_{label}"] = round(job, 2)
            figures[f"ratio_{label}"] = round(job / floor, 2)
            plain = parts["plain_floor_seconds"]
            figures[f"plain_floor_seconds_{label}"] = round(plain, 2)
            figures[f"ratio_to_plain_floor_{label}"] = round(job / plain, 2)
            # where the job's time goes, beyond the plain floor (seconds; the last is the rest)
            figures[f"where_{label}"] = {
                "rows_owed_less_paid_select": round(parts["select_seconds"], 2),
                "foreign_keys": round(plain - parts["no_fk_seconds"], 2),
                "other_indexes_and_columns": round(floor - plain - parts["select_seconds"], 2),
                "chunks_chord_totals": round(job - floor, 2),
            }
            figures[f"worker_peak_rss_mb_{label}"] = peak
        admin_sql("DROP TABLE IF EXISTS payments_floor")
    figures["target_ratio"] = 1.5
    figures["target_ratio_to_plain_floor"] = 2.0
    figures["target_peak_rss_mb"] = 300
    return figures
