"""Real Celery worker processes for payments' tests, on a queue and a Redis key prefix of the
test run's own, pointed at the test database (tests use transaction=True so that the
workers see committed rows)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from civil_affairs.celery import app
from tests.conftest import reset_broker_connections

REDIS_URL = os.environ.get("REDIS_URL", "")
PROGRAMS = ["dibao", "extreme_poverty"]

WORKER_MARKS = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not REDIS_URL, reason="REDIS_URL is not set: the worker tests need a real Redis"
    ),
]


class Workers:
    """Start and stop worker processes of one test."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.queue = f"payments-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.prefix = f"{self.queue}:"
        url = urlsplit(os.environ["DATABASE_URL"])
        self.database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(
        self, *, concurrency: int = 1, visibility: int | None = None, beat: bool = False
    ) -> subprocess.Popen[bytes]:
        """A worker; with `beat`, the beat scheduler of the project's settings inside it
        (django-celery-beat's PeriodicTask rows of the test database)."""
        log = self.tmp / f"worker-{len(self.procs)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.payments.worker_settings",
            "DATABASE_URL": self.database_url,
            "CELERY_QUEUE": self.queue,
            "PAYMENTS_TEST_KEYPREFIX": self.prefix,
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        if visibility:
            env["PAYMENTS_TEST_VISIBILITY"] = str(visibility)
        celery = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"
        proc = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
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
                "INFO",
                "-n",
                f"{self.queue}-{len(self.procs)}@%h",
                *(["-B", "-s", str(self.tmp / "beat-schedule")] if beat else []),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log = log  # type: ignore[attr-defined]
        self.procs.append(proc)
        wait_for(lambda: b"ready." in log.read_bytes(), 60, f"worker start ({log})")
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """kill -9 the worker and its pool processes."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)

    def logs(self) -> str:
        return "\n".join(p.log.read_text(errors="replace")[-3000:] for p in self.procs)  # type: ignore[attr-defined]


def wait_for(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    """This process publishes to the run's queue and key prefix while the test runs."""
    import redis

    pool = Workers(tmp_path)
    saved = (app.conf.task_default_queue, app.conf.broker_transport_options)
    app.conf.task_default_queue = pool.queue
    app.conf.broker_transport_options = {**saved[1], "global_keyprefix": pool.prefix}
    _reset_producers()
    try:
        yield pool
    finally:
        pool.stop_all()
        app.conf.task_default_queue, app.conf.broker_transport_options = saved
        _reset_producers()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{pool.prefix}*"):
            client.delete(key)
        if os.environ.get("PAYMENTS_WORKER_LOGS"):
            print(pool.logs())


def _reset_producers() -> None:
    reset_broker_connections()
