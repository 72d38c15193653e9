"""The children's REST endpoints: one permission test per verb, mandatory reports 404."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from children import services
from children.models import Child, FollowUp
from tests.factories import next_id_number

from .conftest import register

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_registry_list_and_detail_by_area(kids_staff, areas, standards):
    mine = register(kids_staff.officer, areas.village_a, name="甲村儿童")
    other = register(kids_staff.officer, areas.village_b, name="乙村儿童")
    rows = api(kids_staff.director_a).get("/api/children/children/").json()["results"]
    assert [r["name"] for r in rows] == ["甲村儿童"]
    assert rows[0]["id_number_masked"] == mine.person.masked_id_number
    assert "id_number" not in rows[0]
    assert api(kids_staff.director_a).get(f"/api/children/children/{other.pk}/").status_code == 404
    assert api(kids_staff.finance).get("/api/children/children/").status_code == 403


def test_register_through_the_api(kids_staff, areas, standards):
    body = {
        "id_number": next_id_number(datetime.date(2016, 1, 1)),
        "name": "接口儿童",
        "area": areas.village_a.code,
        "category": "unsupported",
        "registered_on": "2025-01-01",
        "parents": [{"parent": "father", "situation": "prison", "evidence": "判决书"}],
    }
    response = api(kids_staff.director_a).post("/api/children/children/", body, format="json")
    assert response.status_code == 400
    assert "parents" in response.json()
    body["parents"].append({"parent": "mother", "situation": "dead", "evidence": "死亡证明"})
    response = api(kids_staff.director_a).post("/api/children/children/", body, format="json")
    assert response.status_code == 201, response.json()
    assert Child.objects.get().parents.count() == 2
    body["area"] = areas.village_b.code
    response = api(kids_staff.director_a).post("/api/children/children/", body, format="json")
    assert response.status_code == 400


def test_allowance_grant_and_stop(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a)
    response = api(kids_staff.director_a).post(
        "/api/children/allowances/grant/", {"child": child.pk, "start_month": "2026-06"}
    )
    assert response.status_code == 403
    response = api(kids_staff.officer).post(
        "/api/children/allowances/grant/", {"child": child.pk, "start_month": "2026-06"}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = api(kids_staff.officer).post(
        f"/api/children/allowances/{pk}/stop/", {"effective_month": "2026-09", "reason": "年满18"}
    )
    assert response.json()["end_month"] == "2026-08"


def test_visit_high_risk_then_close_follow_up(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, category="left_behind")
    today = timezone.localdate().isoformat()
    response = api(kids_staff.director_a).post(
        "/api/children/visits/",
        {"child": child.pk, "visited_on": today, "findings": "无人照看", "risk_level": "high"},
    )
    assert response.status_code == 201, response.json()
    follow_up = FollowUp.objects.get()
    rows = api(kids_staff.supervisor_a).get("/api/children/follow-ups/").json()["results"]
    assert [r["id"] for r in rows] == [follow_up.pk]
    assert (
        api(kids_staff.director_b).get(f"/api/children/follow-ups/{follow_up.pk}/").status_code
        == 404
    )
    response = api(kids_staff.supervisor_a).post(
        f"/api/children/follow-ups/{follow_up.pk}/close/", {"done_on": today, "outcome": "已处置"}
    )
    assert response.json()["status"] == "done"
    response = api(kids_staff.director_b).post(
        "/api/children/visits/",
        {"child": child.pk, "visited_on": today, "findings": "x", "risk_level": "low"},
    )
    assert response.status_code == 400  # a child outside their village is not a choice


def test_mandatory_reports_api(kids_staff, areas, standards):
    report = services.mandatory_report_receive(
        actor=kids_staff.officer,
        area=areas.village_a,
        received_at=timezone.now(),
        reporter="医院",
        child_name="秘密儿童",
        description="伤情",
    )
    for user in (kids_staff.caseworker_a, kids_staff.director_a, kids_staff.reviewer_a):
        client = api(user)
        assert client.get(f"/api/children/mandatory-reports/{report.pk}/").status_code == 404
        assert client.get("/api/children/mandatory-reports/").status_code == 403
        body = client.get("/api/children/children/?q=秘密").content.decode()
        assert "秘密儿童" not in body
    rows = api(kids_staff.officer).get("/api/children/mandatory-reports/").json()["results"]
    assert [r["child_name"] for r in rows] == ["秘密儿童"]
    assert (
        api(kids_staff.admin).get(f"/api/children/mandatory-reports/{report.pk}/").status_code
        == 200
    )


def test_care_activities_api(kids_staff, areas, standards):
    response = api(kids_staff.supervisor_a).post(
        "/api/children/care-activities/",
        {"area": areas.a.code, "held_on": "2026-06-01", "theme": "关爱", "funds_raised": "100"},
    )
    assert response.status_code == 201, response.json()
    response = api(kids_staff.caseworker_a).post(
        "/api/children/care-activities/",
        {"area": areas.a.code, "held_on": "2026-06-01", "theme": "关爱"},
    )
    assert response.status_code == 403
    rows = api(kids_staff.caseworker_b).get("/api/children/care-activities/").json()["results"]
    assert rows == []


def test_schema_lists_the_routes(kids_staff):
    body = api(kids_staff.officer).get("/api/schema/").content.decode()
    assert "/api/children/mandatory-reports/" in body
