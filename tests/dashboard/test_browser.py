"""In Chromium: the county approver opens the overview, drills down to a township and a
village, downloads a chart's PNG and follows a queue link to its list."""

from __future__ import annotations

import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_drill_down_chart_and_queue(page, staff, areas):
    browser_login(page, "approver")
    page.click("#nav-dashboard")
    page.click("#nav-overview")
    page.wait_for_selector("#figures")
    assert "全县总览" in page.inner_text("#dashboard-title")
    assert "桃江县" in page.inner_text("#dashboard-title")

    page.click(f"#breakdown a.drill:text('{areas.a.name}')")
    page.wait_for_selector(f"#area-path :text('{areas.a.name}')")
    assert areas.a.name in page.inner_text("#dashboard-title")
    page.click(f"#breakdown a.drill:text('{areas.village_a.name}')")
    page.wait_for_selector(f"#area-path :text('{areas.village_a.name}')")
    assert areas.village_a.name in page.inner_text("#dashboard-title")
    assert "桃江县" in page.inner_text("#area-path")

    with page.expect_download() as download:
        page.click("#charts a.chart-download >> nth=0")
    saved = download.value.path()
    with open(saved, "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert download.value.suggested_filename.endswith(f"-{areas.village_a.code}-2026.png")

    page.click("#queues a.queue-link[data-key='crosscheck.open_warnings']")
    page.wait_for_url("**/crosscheck/warnings/**")
    assert areas.village_a.code in page.url
