"""Load: caseworkers, reviewers, approvers and finance at once, on the bench data.

    .venv/bin/python -m bench load [--persons=1000000] [--users=50] [--seconds=120]
                                   [--workers=4] [--concurrency=2] [--no-payroll]
                                   [--keep] [--reuse]

Builds (or with --reuse, reuses a kept) database `load_bench`: the demo data (users of every
role) plus `manage.py bench_data --persons N`. Starts gunicorn (the production server,
DEBUG off, gunicorn.conf.py) and a Celery worker on 127.0.0.1 against it, logs every user in
first, one at a time (a login hashes the password on purpose: its time is reported on its
own), then runs locust headless with --users concurrent users for --seconds
(bench/_locust_portal.py: searching, opening households, saving the person form, the
approval queue and cases, the payroll pages and one payroll generated). Reports requests/s,
failures and p95 per page; the targets are p95 under 500 ms for pages and under 200 ms for
searches, with no errors.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench._database import bench_database, database_url

BENCH_DATABASE = "load_bench"
OUT = Path("var/bench")
SEARCHES = ("/relief/?q=[surname]", "/people/?q=[id number]")
# Who the scenario's users are and how many of each (locust's weights; the locust file reads
# them from the sample).
ROLES = {"caseworker_a": 30, "reviewer_a": 8, "approver": 4, "finance": 3}
PASSWORD = "demo-2026"  # noqa: S105 - the demo logins' documented password
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sample() -> dict[str, Any]:
    from django.db import connection

    from civil_affairs.areas.models import Area
    from civil_affairs.core.months import add_months, first_of_month
    from civil_affairs.payments import providers
    from civil_affairs.payments.models import Payroll

    township = Area.objects.get(code="430922100")
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT h.id FROM relief_household h JOIN areas_area a ON a.id = h.area_id
               WHERE a.code LIKE %s ORDER BY h.id DESC LIMIT 2000""",
            [township.code + "%"],
        )
        households = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """SELECT p.id, p.id_number, left(p.name, 1) FROM people_person p
               JOIN areas_area a ON a.id = p.area_id WHERE a.code LIKE %s
               ORDER BY p.id DESC LIMIT 2000""",
            [township.code + "%"],
        )
        people = cursor.fetchall()
        cursor.execute(
            """SELECT ap.id FROM relief_application ap JOIN areas_area a ON a.id = ap.area_id
               WHERE a.code LIKE %s ORDER BY ap.id""",
            [township.code + "%"],
        )
        applications = [row[0] for row in cursor.fetchall()]
    month = first_of_month(datetime.date.today())
    while Payroll.objects.filter(month=month).exists():
        month = add_months(month, 1)
    return {
        "households": households,
        "people": [row[0] for row in people],
        "id_numbers": [row[1] for row in people],
        "surnames": sorted({row[2] for row in people}),
        "applications": applications,
        "county_id": Area.objects.get(code="430922").pk,
        "programs": providers.payroll_programs(),
        "generate_month": month.strftime("%Y-%m"),
    }


def _vacuum() -> None:
    """Vacuum the data just built, so that the run reads it as a kept database is read (no
    hint bits to set, no autovacuum of a million fresh rows during the run)."""
    from django.db import connection

    from relief.management.commands.bench_data import TABLES

    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _payroll_under_load(month: str, seconds: float = 900) -> dict[str, Any]:
    """Wait for the payroll finance started to finish; its rows and how long it took."""
    from civil_affairs.core.months import parse_month
    from civil_affairs.payments.models import Payroll

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        payroll = Payroll.objects.filter(month=parse_month(month)).first()
        if payroll is None or payroll.status != Payroll.Status.GENERATING:
            break
        time.sleep(2)
    if payroll is None:
        return {"payroll under load": "not started (no finance user got to it)"}
    if payroll.generation_finished_at is None or payroll.generation_started_at is None:
        return {"payroll under load": f"not finished ({payroll.status})"}
    took = payroll.generation_finished_at - payroll.generation_started_at
    return {
        "payroll under load": payroll.status,
        "payroll rows": payroll.payments.count(),
        "payroll generation s": round(took.total_seconds(), 1),
    }


def _wait_healthy(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:  # noqa: S310 - 127.0.0.1
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server at {url} did not answer /healthz")


def _log_in(url: str, username: str) -> tuple[dict[str, str], float]:
    """A session of `username`'s (its cookies) and how long the login's POST took."""
    import requests

    session = requests.Session()
    page = session.get(url + "/login/", timeout=60)
    token = CSRF.search(page.text)
    started = time.perf_counter()
    answer = session.post(
        url + "/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token and token[1]},
        allow_redirects=False,
        timeout=60,
    )
    took = time.perf_counter() - started
    if answer.status_code != 302:
        raise SystemExit(f"{username} could not log in: {answer.status_code}")
    return {name: value or "" for name, value in session.cookies.get_dict().items()}, took


def _sessions(url: str, users: int) -> tuple[dict[str, list[dict[str, str]]], list[float]]:
    """Enough sessions for each role's share of `users` (one spare), and the logins' times."""
    sessions: dict[str, list[dict[str, str]]] = {}
    times: list[float] = []
    for username, weight in ROLES.items():
        sessions[username] = []
        for _ in range(math.ceil(users * weight / sum(ROLES.values())) + 1):
            cookies, took = _log_in(url, username)
            sessions[username].append(cookies)
            times.append(took)
    return sessions, times


def _stats(prefix: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            if name == "Aggregated":
                figures["requests"] = int(row["Request Count"])
                figures["failures"] = int(row["Failure Count"])
                figures["requests_per_s"] = round(float(row["Requests/s"]), 1)
                figures["p95_ms_all"] = float(row["95%"])
                continue
            target = 200 if name in SEARCHES else 500
            figures[f"p95_ms {row['Type']} {name} (target {target})"] = float(row["95%"])
    return figures


def run(args: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench load")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's processes")
    parser.add_argument(
        "--no-payroll", action="store_true", help="finance only reads (no payroll generated)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept bench database")
    options = parser.parse_args(args)

    from django.core.management import call_command

    OUT.mkdir(parents=True, exist_ok=True)
    with bench_database(BENCH_DATABASE, keep=options.keep, reuse=options.reuse) as existing:
        if not existing:
            started = time.perf_counter()
            call_command("seed_demo", verbosity=0)
            call_command(
                "bench_data", persons=options.persons, households=int(options.persons * 0.4)
            )
            _vacuum()
            print(f"   data: {time.perf_counter() - started:.0f} s", flush=True)
        sample = _sample()
        sample_file = OUT / "load_sample.json"
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(BENCH_DATABASE),
            "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
            "DJANGO_DEBUG": "0",
            "LOAD_SAMPLE": str(sample_file),
        }
        bin_dir = Path(sys.executable).parent
        log = (OUT / "load_servers.log").open("w")
        servers = [
            subprocess.Popen(  # noqa: S603 - our own command
                [
                    str(bin_dir / "gunicorn"),
                    "civil_affairs.wsgi",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={options.workers}",
                ],
                env=env,
                stdout=log,
                stderr=log,
            ),
            subprocess.Popen(  # noqa: S603 - our own command
                [
                    str(bin_dir / "celery"),
                    "-A",
                    "civil_affairs",
                    "worker",
                    f"--concurrency={options.concurrency}",
                ],
                env=env,
                stdout=log,
                stderr=log,
            ),
        ]
        try:
            _wait_healthy(url)
            sample["weights"] = ROLES
            if options.no_payroll:
                sample["generate_month"] = ""
            sample["sessions"], logins = _sessions(url, options.users)
            sample_file.write_text(json.dumps(sample))
            prefix = OUT / "load"
            subprocess.run(  # noqa: S603 - our own command
                [
                    str(bin_dir / "locust"),
                    "-f",
                    str(Path(__file__).with_name("_locust_portal.py")),
                    "--headless",
                    f"--users={options.users}",
                    f"--spawn-rate={max(1, options.users // 10)}",
                    f"--run-time={options.seconds}s",
                    f"--host={url}",
                    f"--csv={prefix}",
                    "--only-summary",
                ],
                env=env,
                check=False,
            )
            payroll = (
                _payroll_under_load(sample["generate_month"]) if sample["generate_month"] else {}
            )
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=60)
        figures: dict[str, Any] = {"persons": options.persons, "users": options.users}
        logins.sort()
        figures["logins before the run, one at a time"] = len(logins)
        figures["login median ms"] = round(logins[len(logins) // 2] * 1000)
        figures["login slowest ms"] = round(logins[-1] * 1000)
        figures.update(payroll)
        figures.update(_stats(prefix))
        return figures
