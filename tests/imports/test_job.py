"""Big files go to a Celery job (a real worker on Redis): the upload answers at once, the page
shows a progress bar that htmx polls, and reloads itself when the job is done. In Chromium: a
GBK CSV of 20,000 rows checked and imported through the job, the bar seen halfway."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from civil_affairs.imports.models import StagedImport
from civil_affairs.people.models import Person
from tests.conftest import browser_login, login
from tests.factories import next_id_number

from .conftest import csv_bytes
from .specs import BULK_KEY, HOLD_LOCK, KEY

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HEADER = ["户号", "身份证号", "姓名", "区划代码", "电话"]


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def people(village: str, n: int) -> list[list[str]]:
    return [HEADER] + [[f"F{i}", next_id_number(), f"居民{i}", village, ""] for i in range(n)]


def status(item: StagedImport) -> str:
    return StagedImport.objects.get(pk=item.pk).status


def test_a_big_file_is_checked_then_saved_by_the_job(
    celery_worker_thread, staff, village_a, settings
):
    settings.IMPORTS_JOB_ROWS = 100
    rows = people(village_a, 300)
    rows[150][1] = rows[150][1][:17] + ("1" if rows[150][1][17] != "1" else "2")  # row 151
    client = login(staff.caseworker_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports:upload", args=[KEY]),
        {"file": SimpleUploadedFile("big.csv", csv_bytes(rows, "gbk"))},
    )
    assert response.status_code == 302
    item = StagedImport.objects.get()
    assert item.as_job
    wait_for(lambda: status(item) == StagedImport.Status.CHECKED, 60, "the check")
    item.refresh_from_db()
    assert set(item.result["errors"]) == {"151"}
    response = client.post(reverse("imports:confirm", args=[item.pk]), {"valid_only": "True"})
    assert response.status_code == 302
    wait_for(lambda: status(item) == StagedImport.Status.SAVED, 120, "the import")
    item.refresh_from_db()
    assert item.rows_saved == 299
    assert Person.objects.count() == 299
    # the progress fragment: once done it tells htmx to reload the page
    fragment = client.get(reverse("imports:progress", args=[item.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"


@pytest.mark.browser
def test_20000_gbk_rows_imported_through_the_job_with_the_progress_bar(
    page, staff, village_a, celery_worker_thread, tmp_path
):
    rows = people(village_a, 20_000)
    path = tmp_path / "居民名册.csv"
    path.write_bytes(csv_bytes(rows, "gbk"))  # Excel's "CSV" on a Chinese Windows
    database = connection.settings_dict
    blocker = psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"],
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        password=database["PASSWORD"] or None,
        autocommit=True,
    )
    blocker.execute("SELECT pg_advisory_lock(%s)", [HOLD_LOCK])  # the save waits halfway
    try:
        browser_login(page, "caseworker_a")
        page.goto(f"{page.base}{reverse('imports:upload', args=[BULK_KEY])}")
        page.set_input_files("#id_file", str(path))
        started = time.monotonic()
        page.click("#upload")
        page.wait_for_selector("#import-status")
        assert time.monotonic() - started < 10, "the upload waited on the check"
        # the check runs in the worker; the page reloads itself with the result
        page.wait_for_selector("#confirm-all", timeout=180_000)
        assert "共读取 20000 行：错误 0 行，正确 20000 行。" in page.inner_text("#summary")
        page.click("#confirm-all")
        # the bar is seen moving: half the rows are done, the rest wait for the test's lock
        # (first the file is checked again: "正在检查", then saved: "正在导入")
        page.wait_for_function(
            "() => { const text = document.querySelector('#progress-text');"
            " return text && text.textContent.includes('正在导入：10000 / 20000 行'); }",
            timeout=180_000,
        )
        assert page.get_attribute("#progress-bar", "aria-valuenow") == "50"
        assert Person.objects.count() == 0  # one transaction: nothing is seen half-written
    finally:
        blocker.close()  # releases the lock
    page.wait_for_selector("#import-saved", timeout=180_000)
    assert "已导入 20000 行。" in page.inner_text("#import-saved")
    assert Person.objects.count() == 20_000
    assert StagedImport.objects.get().rows_saved == 20_000
