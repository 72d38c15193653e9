"""The governance API: committees, the eligibility check and by-election, certificates."""

import datetime

import pytest
from rest_framework.test import APIClient

from governance import services

pytestmark = pytest.mark.django_db
D = datetime.date


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_committee_election_and_a_by_election_through_the_api(areas, officers):
    client = api(officers.clerk_a)
    response = client.post(
        "/api/governance/committees/",
        {"area": "430922100201", "kind": "village", "elected_on": "2021-04-10"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    committee = response.json()
    assert committee["term_ends_on"] == "2026-04-09"
    assert committee["warnings"]  # no woman yet
    from governance.models import Committee

    c = Committee.objects.get(pk=committee["id"])
    chair = services.member_add(
        actor=officers.clerk_a, committee=c, name="主任", sex="M", post="chair"
    )
    vacancy = services.member_leave(
        actor=officers.clerk_a, member=chair, left_on=D(2023, 1, 1), reason="辞职"
    )
    url = f"/api/governance/vacancies/{vacancy.pk}/"
    response = client.post(
        url + "by_election/",
        {"held_on": "2023-02-01", "votes_cast": 10, "votes_for": 6, "elected": True},
        format="json",
    )
    assert response.status_code == 400
    response = client.post(
        url + "check/",
        {
            "candidate_name": "新主任",
            "candidate_sex": "F",
            "checked_on": "2023-01-10",
            "eligible": True,
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "checked"
    response = client.post(
        url + "by_election/",
        {"held_on": "2023-02-01", "votes_cast": 10, "votes_for": 6, "elected": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "filled"
    assert client.get("/api/governance/vacancies/").json()["results"] == []
    assert api(officers.clerk_b).post(url + "check/", {}, format="json").status_code == 404


def test_a_certificate_request_for_a_cancelled_item_is_refused_with_the_basis(areas, officers):
    services.certificate_cancel(
        actor=officers.governance,
        area=areas.county,
        item="出生证明",
        legal_basis="由医疗机构出具",
        cancelled_on=D(2019, 1, 1),
    )
    client = api(officers.clerk_a)
    assert [
        c["item"] for c in client.get("/api/governance/cancelled-certificates/").json()["results"]
    ] == ["出生证明"]
    response = client.post(
        "/api/governance/certificate-requests/",
        {
            "area": "430922100201",
            "applicant": "村民",
            "item": "出生证明",
            "requested_on": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["outcome"] == "refused"
    assert "由医疗机构出具" in response.json()["basis"]
