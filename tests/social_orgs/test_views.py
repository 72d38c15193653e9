"""The social_orgs pages: field messages, lists a user checks, and 404 outside one's areas."""

import datetime

import pytest

from social_orgs.models import Inspection, Organisation

from ..conftest import login
from .conftest import credit_code, register, wrong_check

pytestmark = pytest.mark.django_db
D = datetime.date


def _form(areas, **values):
    data = {
        "registration": "registered",
        "area": areas.county.pk,
        "name": "县摄影家协会",
        "credit_code": credit_code("1"),
        "org_type": "1",
        "supervising_unit": "县文联",
        "legal_representative": "赵会长",
        "funds": "30000",
        "registered_on": "2021-05-01",
    }
    data.update(values)
    return data


def test_the_register_form_shows_credit_code_errors_under_the_field(areas, officers):
    client = login(officers.registration)
    response = client.post(
        "/social_orgs/organisations/new/", _form(areas, credit_code=wrong_check(credit_code()))
    )
    assert response.status_code == 200
    assert 'data-field="credit_code"' in response.text
    assert "统一社会信用代码的校验码错误。" in response.text
    response = client.post("/social_orgs/organisations/new/", _form(areas, org_type="3"))
    assert "但该组织为“基金会”" in response.text
    assert 'data-field="credit_code"' in response.text
    assert not Organisation.objects.exists()
    response = client.post("/social_orgs/organisations/new/", _form(areas))
    org = Organisation.objects.get()
    assert response.status_code == 302
    assert response.url == f"/social_orgs/organisations/{org.pk}/"
    page = client.get(response.url).text
    assert "县摄影家协会" in page
    assert "县文联" in page


def test_a_second_inspection_is_refused_on_the_page(areas, officers):
    org = register(officers.registration, areas.county)
    client = login(officers.registration)
    data = {
        "form": "inspection",
        "inspection-year": "2024",
        "inspection-reported_on": "2025-03-01",
        "inspection-result": "pass",
    }
    assert client.post(f"/social_orgs/organisations/{org.pk}/", data).status_code == 302
    response = client.post(f"/social_orgs/organisations/{org.pk}/", data)
    assert response.status_code == 200
    assert f"{org.name}的2024年度年检已登记。" in response.text
    assert Inspection.objects.count() == 1


def test_the_inspection_page_lists_those_not_inspected(areas, officers):
    r = officers.registration
    done = register(r, areas.county, name="已年检协会")
    register(r, areas.county, name="未年检协会")
    Inspection.objects.create(
        organisation=done, year=2024, reported_on=D(2025, 3, 1), result="pass"
    )
    page = login(r).get("/social_orgs/inspections/?year=2024").text
    missing = page.split('id="not-inspected"')[1].split("</table>")[0]
    assert "未年检协会" in missing
    assert "已年检协会" not in missing
    assert "未年检协会" in page.split('id="revocation"')[1].split("</ul>")[0]


def test_pages_of_other_areas_are_404_and_writes_need_the_role(areas, officers):
    org = register(officers.registration, areas.county)
    filed = register(officers.clerk_a, areas.a, registration="filed", credit_code="")
    clerk_b = login(officers.clerk_b)
    assert clerk_b.get(f"/social_orgs/organisations/{org.pk}/").status_code == 404
    assert clerk_b.get(f"/social_orgs/organisations/{filed.pk}/").status_code == 404
    clerk_a = login(officers.clerk_a)
    assert clerk_a.get(f"/social_orgs/organisations/{filed.pk}/").status_code == 200
    response = clerk_a.post(
        f"/social_orgs/organisations/{filed.pk}/",
        {
            "form": "status",
            "status-status": "revoked",
            "status-on": "2024-01-01",
            "status-reason": "x",
        },
    )
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.status == "active"


@pytest.mark.parametrize(
    "url",
    [
        "/social_orgs/",
        "/social_orgs/inspections/",
        "/social_orgs/lists/",
        "/social_orgs/enforcement/",
        "/social_orgs/charities/",
        "/social_orgs/stations/",
        "/social_orgs/volunteers/",
        "/social_orgs/lottery/",
    ],
)
def test_every_list_page_opens_in_both_languages(areas, officers, url):
    client = login(officers.registration)
    assert client.get(url).status_code == 200
    client.cookies["django_language"] = "en"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
