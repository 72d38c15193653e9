"""Generation through a real Celery worker process on Redis: a killed worker, concurrent starts.

Each test starts `celery worker` subprocesses on a queue and a Redis key prefix unique to
the run, pointed at this test database (transaction=True, so that they see committed rows).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from civil_affairs.payments import services
from civil_affairs.payments.models import Payment, Payroll, PayrollChunk

from .factories import NOV, beneficiary
from .workers import PROGRAMS, WORKER_MARKS, Workers, wait_for

pytestmark = WORKER_MARKS


@pytest.fixture
def county(areas: Any) -> list[Any]:
    """Twelve people over the four villages, each with dibao, some also extreme poverty."""
    villages = [
        areas.by_code[c] for c in ("430922100201", "430922100001", "430922101201", "430922101001")
    ]
    people = []
    for i in range(12):
        person = beneficiary(villages[i % 4], "dibao", f"{400 + 10 * i}.00")
        if i % 3 == 0:
            from .factories import entitle

            entitle(person, "extreme_poverty", "1000.00")
        people.append(person)
    return people


def expected() -> tuple[int, Decimal]:
    from relief.models import Entitlement

    rows = Entitlement.objects.filter(program__in=PROGRAMS, status="active")
    return rows.count(), sum((e.monthly_amount for e in rows), Decimal("0.00"))


def wait_draft(payroll: Payroll, workers: Workers, seconds: float = 90) -> Payroll:
    try:
        wait_for(
            lambda: Payroll.objects.get(pk=payroll.pk).status == Payroll.Status.DRAFT,
            seconds,
            "the payroll to be generated",
        )
    except AssertionError:
        print(workers.logs())
        raise
    return Payroll.objects.get(pk=payroll.pk)


def assert_one_set(payroll: Payroll) -> None:
    count, total = expected()
    rows = Payment.objects.filter(payroll=payroll)
    assert rows.count() == count
    assert payroll.rows == count
    assert payroll.amount == total
    keys = list(rows.values_list("person_id", "program", "month"))
    assert len(keys) == len(set(keys))


def test_generation_through_a_worker(staff, county, workers):
    workers.start(concurrency=2)
    payroll = services.payroll_generate(
        actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=3
    )
    payroll = wait_draft(payroll, workers)
    assert payroll.chunks.count() > 3
    assert set(payroll.chunks.values_list("done", flat=True)) == {True}
    assert_one_set(payroll)
    # a second generation pays the same, once
    services.payroll_generate(actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=5)
    again = wait_draft(payroll, workers)
    assert_one_set(again)


def test_kill_9_of_the_whole_worker_mid_run_resumes_within_two_minutes(staff, county, workers):
    """Production Celery settings (acks_late, Redis visibility timeout of an hour): the killed
    worker's message would come back only after an hour. The chunk's lease (its advisory
    lock) dies with the worker's connection; the page says the part was interrupted; a fresh
    worker, with the beat job that resumes generations every minute, finishes the payroll
    within two minutes of the kill, with exact totals and no duplicate row."""
    import time

    from django.apps import apps
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from civil_affairs.payments import selectors

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    payroll = services.payroll_generate(
        actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=3
    )
    chunks = list(payroll.chunks.order_by("number"))
    assert len(chunks) >= 3
    second = chunks[1]
    # Block the second chunk: another transaction holds a row with one of its keys, so the
    # chunk's INSERT waits on it (a "mid-run" that the test controls).
    from relief.models import Entitlement

    key_person = (
        Entitlement.objects.filter(
            person_id__gte=second.person_from, person_id__lte=second.person_to, program="dibao"
        )
        .values_list("person_id", "area_id")
        .first()
    )
    assert key_person is not None
    blocker = psycopg.connect(workers.database_url)
    blocker.execute(
        "INSERT INTO payments_payment (payroll_id, person_id, program, month, area_id, amount, "
        "kind, source_id, status, reissued, hold_reason, bank_name, bank_account, bank_reason, "
        "created_at, updated_at) VALUES (%s, %s, 'dibao', %s, %s, 1, 'regular', 0, 'pending', "
        "false, '', '', '', '', now(), now())",
        [payroll.pk, key_person[0], NOV, key_person[1]],
    )
    first_worker = workers.start(concurrency=1)
    try:
        wait_for(lambda: PayrollChunk.objects.get(pk=chunks[0].pk).done, 60, "the first chunk")
        wait_for(lambda: _insert_waiting(workers), 60, "the second chunk to be mid-run")
        assert selectors.generation_progress(payroll).running == 1  # its lease is held
        workers.kill(first_worker)  # SIGKILL to the worker and its pool: no goodbye
        killed_at = time.monotonic()
    finally:
        blocker.rollback()  # the killed worker's transaction can never commit
        blocker.close()
    assert Payroll.objects.get(pk=payroll.pk).status == Payroll.Status.GENERATING
    assert not PayrollChunk.objects.get(pk=second.pk).done

    # the page says what happened: the part is interrupted, and it will be queued again
    wait_for(
        lambda: selectors.generation_progress(payroll).interrupted == 1, 60, "the lease to lapse"
    )
    client = Client()
    client.force_login(staff.finance)
    page = client.get(reverse("payments:payroll_progress", args=[payroll.pk])).content.decode()
    assert "中断" in page
    assert 'id="resume"' in page

    # the beat job of the migration (the test database is flushed between tests)
    migration = __import__(
        "civil_affairs.payments.migrations.0008_beat_resume_generations", fromlist=["create"]
    )
    migration.create(apps, None)
    workers.start(concurrency=1, beat=True)  # production visibility: no early redelivery
    payroll = wait_draft(payroll, workers, seconds=120 - (time.monotonic() - killed_at))
    assert time.monotonic() - killed_at < 120
    assert_one_set(payroll)
    chunk = PayrollChunk.objects.get(pk=second.pk)
    assert (chunk.done, chunk.runs) == (True, 1)
    assert chunk.resumed >= 1


def _insert_waiting(workers: Workers) -> bool:
    with psycopg.connect(workers.database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO payments_payment%%'"
        ).fetchone()
    return bool(row and row[0])


def test_two_generations_started_at_once_end_with_one_set_of_rows(staff, county, workers):
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        try:
            barrier.wait()
            results.append(
                services.payroll_generate(
                    actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=4
                )
            )
        except ValidationError as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    started = [r for r in results if isinstance(r, Payroll)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(started) == 1
    assert len(refused) == 1
    assert f"#{started[0].pk}" in refused[0].messages[0]
    workers.start(concurrency=2)
    workers.start(concurrency=1)
    payroll = wait_draft(started[0], workers)
    assert Payroll.objects.count() == 1
    assert_one_set(payroll)


def test_every_chunk_delivered_twice_to_two_workers(staff, county, workers):
    from civil_affairs.payments import tasks

    payroll = services.payroll_generate(
        actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=2
    )
    for chunk in payroll.chunks.all():  # as a broker that redelivers would
        tasks.generate_chunk.delay(chunk.pk)
    workers.start(concurrency=2)
    workers.start(concurrency=2)
    payroll = wait_draft(payroll, workers)
    assert_one_set(payroll)
