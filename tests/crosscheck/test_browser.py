"""In the system Chromium, with a real Celery worker: the county approver uploads a death list
and watches it load; after a run, the caseworker finds the warning in the queue, sees the
evidence beside the case and dismisses it with a reason."""

import pytest

from civil_affairs.crosscheck.models import Warning
from tests.conftest import browser_login

from .conftest import DEATH_HEADER, csv_bytes, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.worker]


def test_upload_progress_then_queue_and_dismiss(
    page, staff, areas, beneficiaries, celery_worker_thread, tmp_path
):
    b = beneficiaries
    data = csv_bytes(
        [
            [b.head_a.id_number, b.head_a.name, "2026-03-10", "火化"],
            ["110105194912310021", "号码有误", "2026-03-10", ""],
        ],
        DEATH_HEADER,
    )
    path = tmp_path / "deaths.csv"
    path.write_bytes(data)

    browser_login(page, "approver")
    page.goto(f"{page.base}/crosscheck/lists/upload/")
    assert "上传外部名单" in page.content()
    page.fill("#id_source", "县公安局")
    page.fill("#id_valid_on", "2026-03-31")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("#upload-submit")
    # the progress bar polls until the worker has loaded the list, then the page reloads
    page.wait_for_selector("#rejected", timeout=30_000)
    assert "100%" in page.inner_text("#list-progress")
    assert "校验码错误" in page.inner_text("#rejected")  # row 3's check character
    assert "<td>3</td>" in page.inner_html("#rejected")

    run(areas.county)
    page.click("#logout")
    browser_login(page, "caseworker_a")
    page.goto(f"{page.base}/crosscheck/warnings/")
    assert b.head_a.name in page.inner_text("#warnings")
    assert b.head_b.name not in page.inner_text("#warnings")
    page.click(f"#warnings a:has-text('{b.head_a.name}')")
    assert "620.00" in page.inner_text("#case")
    assert "2026-03-10" in page.inner_text("#evidence")
    # a reason is required (the browser asks before sending; the server checks too)
    assert page.get_attribute("#dismiss-form textarea[name=reason]", "required") is not None
    page.fill("#dismiss-form textarea[name=reason]", "入户核实本人健在")
    with page.expect_navigation():
        page.click("#dismiss-submit")
    assert "入户核实本人健在" in page.inner_text("#resolution")
    assert Warning.objects.get().status == "dismissed"
