"""The governance pages: vacancies and by-elections, certificates, rules, deliberations."""

import datetime

import pytest

from governance import services
from governance.models import CertificateRequest, Vacancy

from ..conftest import login

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def vacancy(areas, officers):
    committee = services.committee_elect(
        actor=officers.clerk_a, area=areas.village_a, kind="village", elected_on=D(2021, 4, 10)
    )
    chair = services.member_add(
        actor=officers.clerk_a, committee=committee, name="老主任", sex="M", post="chair"
    )
    return services.member_leave(
        actor=officers.clerk_a, member=chair, left_on=D(2023, 1, 1), reason="辞职"
    )


def test_a_by_election_on_the_pages_takes_the_vacancy_off_the_list(vacancy, officers):
    client = login(officers.clerk_a)
    assert "老主任" in client.get("/governance/vacancies/").text
    url = f"/governance/vacancies/{vacancy.pk}/"
    response = client.post(
        url,
        {
            "form": "election",
            "election-held_on": "2023-02-01",
            "election-votes_cast": "100",
            "election-votes_for": "60",
            "election-elected": "yes",
        },
    )
    assert "只有资格联审通过的候选人才能进行补选。" in response.text
    response = client.post(
        url,
        {
            "form": "check",
            "check-candidate_name": "新人",
            "check-candidate_sex": "F",
            "check-checked_on": "2023-01-10",
            "check-eligible": "yes",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "form": "election",
            "election-held_on": "2023-02-01",
            "election-votes_cast": "100",
            "election-votes_for": "60",
            "election-elected": "yes",
        },
    )
    assert response.status_code == 302
    assert response.url == "/governance/vacancies/"
    assert "老主任" not in client.get("/governance/vacancies/").text
    assert Vacancy.objects.get().status == "filled"
    assert login(officers.clerk_b).get(url).status_code == 404


def test_the_women_warning_shows_on_the_committee_page(vacancy, officers):
    page = login(officers.clerk_a).get(f"/governance/committees/{vacancy.committee_id}/").text
    assert "该委员会没有妇女成员（《村民委员会组织法》第六条）。" in page


def test_a_request_for_a_cancelled_certificate_is_refused_with_the_basis_on_the_page(
    areas, officers
):
    services.certificate_cancel(
        actor=officers.governance,
        area=areas.county,
        item="无犯罪记录证明",
        legal_basis="公安部门出具",
        cancelled_on=D(2020, 1, 1),
    )
    client = login(officers.clerk_a)
    response = client.post(
        "/governance/certificates/",
        {
            "form": "request",
            "request-area": areas.village_a.pk,
            "request-applicant": "村民",
            "request-item": "无犯罪记录证明",
            "request-requested_on": "2024-05-05",
        },
        follow=True,
    )
    assert "公安部门出具" in response.text
    assert CertificateRequest.objects.get().outcome == "refused"


def test_deliberation_steps_out_of_order_show_the_next_step(areas, officers):
    d = services.deliberation_start(
        actor=officers.clerk_a,
        area=areas.village_a,
        subject="修建文化广场",
        proposed_on=D(2024, 1, 1),
        record="提议",
    )
    client = login(officers.clerk_a)
    response = client.post(
        f"/governance/deliberations/{d.pk}/",
        {"form": "step", "step-step": "4", "step-on": "2024-01-05", "step-record": "x"},
    )
    assert response.status_code == 200
    assert 'data-field="step"' in response.text
    response = client.post(
        f"/governance/deliberations/{d.pk}/", {"form": "implement", "implement-on": "2024-01-05"}
    )
    assert response.status_code == 200
    assert d.steps.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/governance/",
        "/governance/vacancies/",
        "/governance/lists/",
        "/governance/certificates/",
        "/governance/rules/",
        "/governance/deliberations/",
        "/governance/disclosures/",
    ],
)
def test_every_list_page_opens(areas, officers, url):
    assert login(officers.clerk_a).get(url).status_code == 200
    assert login(officers.caseworker_a).get(url).status_code == 200
