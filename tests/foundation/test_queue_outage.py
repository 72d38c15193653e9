"""The queue (Redis) down for a while: pages still work, jobs asked for meanwhile wait in the
database (core/queue.py) and run once the broker is back."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker

from civil_affairs.celery import app
from civil_affairs.core import queue
from civil_affairs.core.models import QueuedTask
from civil_affairs.dashboard.models import SummaryRefresh
from civil_affairs.payments import services as payments_services
from civil_affairs.payments.models import ReconciliationRun
from tests.conftest import login, reset_broker_connections

REDIS_SERVER = shutil.which("redis-server") or ""
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class PrivateRedis:
    """A redis-server of this test's own on 127.0.0.1, to stop and start at will."""

    def __init__(self, tmp: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.tmp = tmp
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


@pytest.fixture
def redis(tmp_path: Path, settings: Any) -> Iterator[PrivateRedis]:
    if not REDIS_SERVER:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    old = (app.conf.broker_url, app.conf.task_default_queue, app.conf.broker_transport_options)
    app.conf.broker_url = server.url
    app.conf.task_default_queue = f"outage-{uuid.uuid4().hex[:8]}"
    # fail fast while it is down instead of retrying inside the request
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 2}
    settings.CELERY_BROKER_URL = server.url  # healthz reads it
    reset_broker_connections()
    try:
        yield server
    finally:
        server.stop()
        app.conf.broker_url, app.conf.task_default_queue, app.conf.broker_transport_options = old
        reset_broker_connections()


def test_jobs_asked_for_while_the_queue_is_down_run_when_it_is_back(
    redis: PrivateRedis, staff: Any
) -> None:
    redis.stop()
    reset_broker_connections()

    # the page works and the job is accepted: it waits in the database
    finance = login(staff.finance)
    assert finance.get("/").status_code == 200
    run = payments_services.reconciliation_start(actor=staff.finance)
    waiting = QueuedTask.objects.get()
    assert (waiting.task, waiting.args) == ("payments.reconcile_run", [run.pk])
    assert waiting.attempts == 1
    assert "payments.reconcile_run" in str(waiting)
    # the dashboard's refresh, asked for on the page, waits the same way
    assert finance.post("/dashboard/refresh/").status_code == 302
    refresh = SummaryRefresh.objects.get()
    assert refresh.status == SummaryRefresh.Status.QUEUED
    assert list(QueuedTask.objects.order_by("id").values_list("task", "args")) == [
        ("payments.reconcile_run", [run.pk]),
        ("dashboard.refresh_summary", [refresh.pk]),
    ]
    health = finance.get("/healthz")
    assert health.status_code == 503
    assert health.json()["broker"] != "ok"
    # the minute job finds the broker still down: the tasks keep waiting
    assert queue.send_waiting() == 0
    assert QueuedTask.objects.order_by("id").first().attempts == 2

    redis.start()
    reset_broker_connections()
    assert finance.get("/healthz").status_code == 200
    with start_worker(
        app,
        queues=[app.conf.task_default_queue],
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=10,
    ):
        assert queue.send_waiting() == 2
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            refresh.refresh_from_db()
            if run.status != ReconciliationRun.Status.RUNNING and refresh.status in (
                SummaryRefresh.Status.DONE,
                SummaryRefresh.Status.FAILED,
            ):
                break
            time.sleep(0.5)
    assert not QueuedTask.objects.exists()
    assert run.status == ReconciliationRun.Status.DONE
    assert refresh.status == SummaryRefresh.Status.DONE
