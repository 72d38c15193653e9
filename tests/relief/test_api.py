"""REST endpoints: households, applications and entitlements, one permission test per verb."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from civil_affairs.core.months import add_months
from relief.models import Application, Entitlement, Household
from tests.relief.conftest import apply_for, head_of, make_household, member, next_month, walk

pytestmark = pytest.mark.django_db
S = Application.Status


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_household_with_members(staff, areas):
    response = api(staff.caseworker_a).post(
        "/api/relief/households/",
        {
            "area": areas.village_a.code,
            "address": "二组",
            "registered_type": "rural",
            "members": [
                {
                    "id_number": "11010519491231002X",
                    "name": "赵一",
                    "relationship": "head",
                    "income_wages": "500",
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["members"][0]["id_number_masked"] == "110105********002X"
    assert "11010519491231002X" not in response.content.decode()
    assert Household.objects.get().members.get().monthly_income == Decimal("500.00")


def test_create_household_bad_id_is_400_with_message(staff, areas):
    response = api(staff.caseworker_a).post(
        "/api/relief/households/",
        {
            "area": areas.village_a.code,
            "registered_type": "rural",
            "members": [
                {"id_number": "110105194912310021", "name": "赵一", "relationship": "head"}
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "members" in response.json()
    assert not Household.objects.exists()


def test_household_in_other_township_is_404_and_not_listed(staff, areas):
    household = make_household(staff.caseworker_b, areas.village_b, member("head", name="乙镇户"))
    client = api(staff.caseworker_a)
    assert client.get(f"/api/relief/households/{household.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/relief/households/{household.pk}/", {"address": "x"}, format="json"
        ).status_code
        == 404
    )
    assert "乙镇户" not in client.get("/api/relief/households/").content.decode()
    assert "乙镇户" not in client.get("/api/relief/households/?q=乙镇").content.decode()
    response = client.post(
        "/api/relief/households/",
        {
            "area": areas.village_b.code,
            "registered_type": "rural",
            "members": [
                {"id_number": "11010519491231002X", "name": "赵一", "relationship": "head"}
            ],
        },
        format="json",
    )
    assert response.status_code == 400  # the area is the caller's choice: a field error
    assert "area" in response.json(), response.json()
    assert Household.objects.count() == 1


def test_application_flow_through_the_api(staff, areas, standards):
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages="900"),
        member("spouse"),
        member("child", born=datetime.date(2011, 1, 1)),
    )
    worker = api(staff.caseworker_a)
    response = worker.post(
        "/api/relief/applications/",
        {
            "household": household.pk,
            "person": head_of(household).pk,
            "program": "dibao",
            "applied_on": str(datetime.date.today() - datetime.timedelta(days=20)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    base = f"/api/relief/applications/{pk}"
    today = datetime.date.today()
    assert worker.post(f"{base}/accept/", {}, format="json").status_code == 200
    response = worker.post(f"{base}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "入户调查" in str(response.json())  # waits for the home visit (Chinese by default)
    # a step's fields are checked by its page's form: each missing one named
    response = worker.post(f"{base}/visit/", {"visitors": "张敏"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"visited_on", "findings"}
    assert (
        worker.post(
            f"{base}/visit/",
            {"visited_on": str(today), "visitors": "张敏、王五", "findings": "属实"},
            format="json",
        ).status_code
        == 200
    )
    assert worker.post(f"{base}/request_crosscheck/", {}, format="json").status_code == 400
    assert worker.post(f"{base}/record_authorisation/", {}, format="json").status_code == 200
    assert worker.post(f"{base}/request_crosscheck/", {}, format="json").status_code == 200
    assert (
        worker.post(f"{base}/clear_crosscheck/", {"result": "无"}, format="json").status_code == 200
    )
    assert worker.post(f"{base}/submit/", {}, format="json").status_code == 200
    assert worker.post(f"{base}/approve/", {}, format="json").status_code == 403
    response = api(staff.reviewer_a).post(f"{base}/review/", {"opinion": "同意"}, format="json")
    assert response.status_code == 200
    assert response.json()["proposed_amount"] == "1380.00"
    assert (
        worker.post(
            f"{base}/start_notice/",
            {"start": str(today - datetime.timedelta(days=9))},
            format="json",
        ).status_code
        == 200
    )
    assert worker.post(f"{base}/close_notice/", {}, format="json").status_code == 200
    assert api(staff.reviewer_b).post(f"{base}/approve/", {}, format="json").status_code == 404
    response = api(staff.approver).post(f"{base}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == S.IN_PAYMENT
    assert response.json()["approved_amount"] == "1380.00"
    entitlement = api(staff.caseworker_a).get(
        f"/api/relief/entitlements/{response.json()['entitlement']}/"
    )
    assert entitlement.json()["monthly_amount"] == "1380.00"
    assert entitlement.json()["periods"][0]["valid_from"] == str(next_month())


def test_entitlement_changes_through_the_api(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head", wages="160"))
    walk(apply_for(staff.caseworker_a, household), staff, S.IN_PAYMENT)
    entitlement = Entitlement.objects.get()
    month = next_month()
    url = f"/api/relief/entitlements/{entitlement.pk}"
    response = api(staff.caseworker_b).post(
        f"{url}/stop/", {"effective_month": str(month), "reason": "x"}, format="json"
    )
    assert response.status_code == 404
    response = api(staff.finance).post(
        f"{url}/stop/", {"effective_month": str(month), "reason": "x"}, format="json"
    )
    assert response.status_code == 403
    response = api(staff.caseworker_a).post(
        f"{url}/change_amount/",
        {"effective_month": str(month), "reason": "复核", "monthly_amount": "-1"},
        format="json",
    )
    assert response.status_code == 400
    assert "monthly_amount" in response.json()
    response = api(staff.caseworker_a).post(
        f"{url}/stop/", {"effective_month": str(month), "reason": "死亡"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "stopped"
    assert response.json()["end_month"] == str(add_months(month, -1))  # nothing paid
