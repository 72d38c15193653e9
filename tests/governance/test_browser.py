"""In the system Chromium: a township clerk checks a candidate's eligibility, registers the
by-election result, and the vacancy disappears from the list."""

import datetime

import pytest

from governance import services
from governance.models import Member, Vacancy
from tests.conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
D = datetime.date


def test_a_clerk_registers_a_by_election_and_the_vacancy_leaves_the_list(page, areas, officers):
    committee = services.committee_elect(
        actor=officers.clerk_a, area=areas.village_a, kind="village", elected_on=D(2021, 4, 10)
    )
    chair = services.member_add(
        actor=officers.clerk_a, committee=committee, name="原村主任", sex="M", post="chair"
    )
    services.member_leave(
        actor=officers.clerk_a, member=chair, left_on=D(2024, 1, 5), reason="辞职"
    )

    browser_login(page, "clerk_a")
    page.goto(f"{page.base}/governance/vacancies/")
    assert "原村主任" in page.inner_text("#vacancies")
    with page.expect_navigation():
        page.click("#vacancies a")
    page.fill("#id_check-candidate_name", "新村主任")
    page.select_option("#id_check-candidate_sex", "F")
    page.fill("#id_check-checked_on", "2024-02-01")
    page.select_option("#id_check-eligible", "yes")
    with page.expect_navigation():
        page.click("#save-check")
    assert "候选人资格审查通过" in page.inner_text("#vacancy-status")

    page.fill("#id_election-held_on", "2024-03-01")
    page.fill("#id_election-votes_cast", "300")
    page.fill("#id_election-votes_for", "220")
    page.select_option("#id_election-elected", "yes")
    with page.expect_navigation():
        page.click("#save-election")
    # back on the list: the vacancy is gone
    assert page.url.endswith("/governance/vacancies/")
    assert "原村主任" not in page.inner_text("#vacancies")
    assert "无职位空缺。" in page.inner_text("#vacancies")
    assert Vacancy.objects.get().status == "filled"
    new_chair = Member.objects.get(post="chair", left_on__isnull=True)
    assert (new_chair.name, new_chair.by_election) == ("新村主任", True)
