"""The social_orgs API: the same checks and messages as the form, scoped reads."""

import pytest
from rest_framework.test import APIClient

from social_orgs.models import Inspection, Organisation

from .conftest import credit_code, register, wrong_check

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def _body(**values):
    body = {
        "area": "430922",
        "name": "县志愿者协会",
        "credit_code": credit_code("1"),
        "org_type": "1",
        "supervising_unit": "县民政局",
        "legal_representative": "钱会长",
        "funds": "30000.00",
        "registered_on": "2022-01-01",
    }
    body.update(values)
    return body


def test_register_refuses_bad_credit_codes_with_a_field_message(areas, officers):
    client = api(officers.registration)
    response = client.post(
        "/api/social_orgs/organisations/",
        _body(credit_code=wrong_check(credit_code())),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["credit_code"] == ["The check character of this credit code is wrong."]
    chinese = APIClient()
    chinese.force_authenticate(officers.registration)
    response = chinese.post(
        "/api/social_orgs/organisations/",
        _body(credit_code=wrong_check(credit_code())),
        format="json",
    )
    assert response.json()["credit_code"] == ["统一社会信用代码的校验码错误。"]
    response = client.post("/api/social_orgs/organisations/", _body(org_type="3"), format="json")
    assert response.status_code == 400
    assert "Foundation" in response.json()["credit_code"][0]
    assert not Organisation.objects.exists()
    response = client.post("/api/social_orgs/organisations/", _body(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "active"


def test_lists_are_scoped_and_writes_need_the_role(areas, officers):
    register(officers.registration, areas.county, name="县级协会")
    register(officers.clerk_a, areas.a, name="甲镇社区组织", registration="filed", credit_code="")
    names = {
        o["name"]
        for o in api(officers.clerk_a).get("/api/social_orgs/organisations/").json()["results"]
    }
    assert names == {"甲镇社区组织"}
    assert api(officers.clerk_b).get("/api/social_orgs/organisations/").json()["results"] == []
    response = api(officers.caseworker_a).post(
        "/api/social_orgs/organisations/", _body(area="430922100"), format="json"
    )
    assert response.status_code in (400, 403)
    assert not Organisation.objects.filter(name="县志愿者协会").exists()


def test_a_second_inspection_is_a_400_naming_the_year(areas, officers):
    org = register(officers.registration, areas.county)
    client = api(officers.registration)
    body = {"organisation": org.pk, "year": 2024, "reported_on": "2025-03-01", "result": "pass"}
    assert client.post("/api/social_orgs/inspections/", body, format="json").status_code == 201
    response = client.post("/api/social_orgs/inspections/", body, format="json")
    assert response.status_code == 400
    assert "year" in response.json()
    assert Inspection.objects.count() == 1
