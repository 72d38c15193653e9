"""In the system Chromium: a child director records a visit with a high risk on the child's
page, and the follow-up appears in the child supervisor's list."""

import datetime

import pytest

from children.models import FollowUp
from tests.conftest import browser_login

from .conftest import register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_high_risk_visit_opens_follow_up_for_the_supervisor(page, kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, name="留守小明", category="left_behind")
    today = datetime.date.today()
    browser_login(page, "director_a")
    page.goto(f"{page.base}/children/")
    with page.expect_navigation():
        page.click("text=留守小明")
    page.fill("#id_visit-visited_on", today.isoformat())
    page.fill("#id_visit-findings", "父母外出务工，孩子独自在家一周")
    page.select_option("#id_visit-risk_level", "high")
    with page.expect_navigation():
        page.click("#save-visit")
    assert "高风险" in page.inner_text("#risk")
    assert "独自在家" in page.inner_text("#visits")
    follow_up = FollowUp.objects.get(child=child)
    assert follow_up.deadline == today + datetime.timedelta(days=7)

    page.click("#logout")
    page.wait_for_selector("#id_username")
    browser_login(page, "supervisor_a")
    page.click("#nav-children")
    with page.expect_navigation():
        page.click("#nav-follow-ups")
    rows = page.inner_text("#follow-ups")
    assert "留守小明" in rows
    assert str(follow_up.deadline) in rows
