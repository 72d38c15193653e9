"""A generation whose parts were left by a worker that is gone: the page says so, the beat
job queues the interrupted parts again, the button queues every unfinished part, and the
payroll ends with one set of rows. (A real SIGKILLed worker: test_worker.py.)"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from civil_affairs.payments import selectors, services, tasks
from civil_affairs.payments.models import Payment, Payroll, PayrollChunk
from tests.conftest import login

from .factories import NOV, beneficiary

pytestmark = pytest.mark.django_db
PROGRAMS = ["dibao"]


@pytest.fixture
def stuck(staff: Any, areas: Any) -> Payroll:
    """A payroll whose chunks were queued but never run (the queue is not called)."""
    for i in range(6):
        beneficiary(areas.village_a if i % 2 else areas.village_b, "dibao", f"{300 + i}.00")
    with TestCase.captureOnCommitCallbacks(execute=False):
        payroll = services.payroll_generate(
            actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=2
        )
    assert payroll.chunks.count() >= 3
    PayrollChunk.objects.filter(payroll=payroll).update(queued_at=timezone.now())
    return payroll


def _interrupt(chunk: PayrollChunk, seconds: int = 60) -> None:
    """As a worker that took the chunk and died: started, not done, no lease held."""
    chunk.started_at = timezone.now() - datetime.timedelta(seconds=seconds)
    chunk.worker = "celery@dead-host"
    chunk.save(update_fields=["started_at", "worker"])


def test_the_page_says_what_is_happening(staff, stuck):
    first, second, *_rest = stuck.chunks.order_by("number")
    _interrupt(first)
    _interrupt(second, seconds=2)  # just taken: within the grace, counted as running
    progress = selectors.generation_progress(stuck)
    assert (progress.done, progress.running, progress.interrupted) == (0, 1, 1)
    assert progress.waiting == progress.total - 2
    page = login(staff.finance).get(reverse("payments:payroll_progress", args=[stuck.pk]))
    text = page.content.decode()
    assert "已中断：1 个部分的后台进程已停止" in text
    assert "正在运行：1 个部分" in text
    assert 'id="resume"' in text
    # the approver may look but not resume
    text = login(staff.approver).get(reverse("payments:payroll_detail", args=[stuck.pk]))
    assert 'id="resume"' not in text.content.decode()


def test_beat_job_queues_only_the_interrupted_part_then_the_payroll_finishes(staff, stuck):
    first = stuck.chunks.order_by("number").first()
    assert first is not None
    _interrupt(first)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.resume_generations() == 1
    first.refresh_from_db()
    assert (first.done, first.runs, first.resumed) == (True, 1, 1)
    # the other parts are waiting in the queue, not stalled: not queued twice
    assert stuck.chunks.filter(done=False).count() == stuck.chunks.count() - 1
    assert Payroll.objects.get(pk=stuck.pk).status == Payroll.Status.GENERATING


def test_a_stalled_generation_is_queued_again_whole(staff, stuck):
    long_ago = timezone.now() - services.STALL - datetime.timedelta(minutes=1)
    PayrollChunk.objects.filter(payroll=stuck).update(queued_at=long_ago)
    Payroll.objects.filter(pk=stuck.pk).update(generation_started_at=long_ago)
    stuck.refresh_from_db()
    assert selectors.generation_progress(stuck).stalled
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.generations_resume() == stuck.chunks.count()
    payroll = Payroll.objects.get(pk=stuck.pk)
    assert payroll.status == Payroll.Status.DRAFT
    assert (payroll.rows, payroll.amount) == (6, Decimal("1815.00"))


def test_resume_button_finishes_the_payroll_with_one_set_of_rows(staff, stuck):
    _interrupt(stuck.chunks.order_by("number").first())
    client = login(staff.finance)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("payments:payroll_resume", args=[stuck.pk]), follow=True)
    assert f"已重新排队 {stuck.chunks.count()} 个部分" in response.content.decode()
    payroll = Payroll.objects.get(pk=stuck.pk)
    assert payroll.status == Payroll.Status.DRAFT
    rows = Payment.objects.filter(payroll=payroll)
    assert rows.count() == 6
    keys = list(rows.values_list("person_id", "program", "month"))
    assert len(keys) == len(set(keys))
    assert payroll.amount == Decimal("1815.00")
    # a chunk delivered again after the payroll is done writes nothing
    assert services.payroll_chunk_generate(chunk_id=payroll.chunks.first().pk) == 0
    with pytest.raises(ValidationError, match="只有正在生成的名册可以续跑"):
        services.payroll_resume(actor=staff.finance, payroll=payroll)


def test_only_finance_may_resume(staff, stuck):
    response = login(staff.approver).post(reverse("payments:payroll_resume", args=[stuck.pk]))
    assert response.status_code == 403
    assert not stuck.chunks.filter(resumed__gt=0).exists()
