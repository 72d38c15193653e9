"""In Chromium: finance generates a payroll, watches the progress bar fed by a real worker,
sees the totals; the approver approves it."""

import psycopg
import pytest

from civil_affairs.payments.models import Payroll
from tests.conftest import browser_login

from .factories import beneficiary, fund
from .workers import WORKER_MARKS, wait_for

pytestmark = [*WORKER_MARKS, pytest.mark.browser]


def test_generate_with_progress_bar_then_approve(page, staff, areas, workers):
    people = [beneficiary(areas.village_a, "dibao", "500.00") for _ in range(3)]
    people += [beneficiary(areas.village_b, "dibao", "300.00") for _ in range(3)]
    # hold one person's row lock: the chunk paying them cannot commit until it is released,
    # so the page is seen mid-run
    blocker = psycopg.connect(workers.database_url)
    blocker.execute("SELECT 1 FROM people_person WHERE id = %s FOR UPDATE", [people[-1].pk])
    workers.start(concurrency=1)
    try:
        browser_login(page, "finance")
        page.goto(f"{page.base}/payments/")
        page.fill("#id_month", "2026-11")
        page.uncheck("input[name=programs][value=extreme_poverty]")
        page.click("#generate")
        page.wait_for_selector("#progress [role=progressbar]")
        assert "正在生成" in page.inner_text("#progress")
        payroll = Payroll.objects.get()
        assert payroll.status == Payroll.Status.GENERATING
    finally:
        blocker.rollback()
        blocker.close()
    # htmx polls the bar; when the worker is done the page reloads with the totals
    page.wait_for_selector("#totals", timeout=60_000)
    assert "桃花江镇" in page.inner_text("#totals")
    assert page.inner_text("#total-amount") == "2,400.00"
    fund(staff.finance, "dibao", "5000.00")
    page.click("#submit")
    page.wait_for_selector("text=已提交审批。")

    page.context.clear_cookies()
    browser_login(page, "approver")
    page.goto(f"{page.base}/payments/{payroll.pk}/")
    page.fill("form[action$='/approve/'] input[name=note]", "同意")
    page.click("#approve")
    page.wait_for_selector("text=已审批通过。")
    wait_for(lambda: Payroll.objects.get().status == "approved", 10, "the approval")
