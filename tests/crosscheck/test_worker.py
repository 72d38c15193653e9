"""Through a real Celery worker on Redis: a list loads in the background, a run is a chord."""

from __future__ import annotations

import time

import pytest

from civil_affairs.crosscheck import services
from civil_affairs.crosscheck.models import ExternalList, MatchRun, Warning

from .conftest import deaths

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _wait(check, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


def test_upload_loads_in_the_worker_and_a_run_raises_warnings(
    celery_worker_thread, staff, areas, beneficiaries, monkeypatch
):
    from civil_affairs.crosscheck import matching

    monkeypatch.setattr(matching, "LIST_CHUNK_ROWS", 1)  # several chunks in the chord
    b = beneficiaries
    lst = deaths(
        staff.approver,
        areas.county,
        [(b.head_a, "2026-03-10"), (b.head_b, "2026-03-12"), (b.spouse_a, "2026-01-01")],
        load=False,
    )
    loaded = _wait(lambda: ExternalList.objects.filter(pk=lst.pk, status="loaded").first())
    assert (loaded.rows_loaded, loaded.rows_rejected, loaded.progress) == (3, 0, 100)

    record = services.run_start(actor=staff.approver, area=areas.county, checks=["lists"])
    done = _wait(lambda: MatchRun.objects.filter(pk=record.pk, status="done").first())
    assert done.chunks_total >= 3
    assert done.chunks_done == done.chunks_total
    assert done.warnings_created == Warning.objects.count() == 3

    again = services.run_start(actor=staff.approver, area=areas.county, checks=["lists"])
    rerun = _wait(lambda: MatchRun.objects.filter(pk=again.pk, status="done").first())
    assert rerun.warnings_created == 0
    assert Warning.objects.count() == 3


def test_a_failing_chunk_marks_the_run_failed(
    celery_worker_thread, staff, areas, beneficiaries, monkeypatch
):
    from civil_affairs.crosscheck import matching

    def broken(run, chunk):
        raise RuntimeError("database went away")

    monkeypatch.setattr(matching, "run_chunk", broken)
    record = services.run_start(actor=staff.approver, area=areas.county, checks=["duplicates"])
    failed = _wait(lambda: MatchRun.objects.filter(pk=record.pk, status="failed").first())
    assert failed.finished_at is not None
    assert failed.error
