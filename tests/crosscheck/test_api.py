"""REST: lists, runs and warnings; one permission test per verb."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civil_affairs.crosscheck import services
from civil_affairs.crosscheck.models import ExternalList, MatchRun, Warning
from tests.conftest import login

from .conftest import DEATH_HEADER, csv_bytes, deaths, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(staff, areas, beneficiaries):
    b = beneficiaries
    deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10"), (b.head_b, "2026-03-12")])
    run(areas.county)
    return beneficiaries


def test_warnings_list_is_scoped_and_masked(staff, raised):
    data = login(staff.caseworker_a).get("/api/crosscheck/warnings/").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["person_name"] == "甲户主"
    assert item["person_id_number"] == raised.head_a.masked_id_number
    assert item["evidence_row"]["row_number"] == 2
    assert item["evidence_row"]["event_date"] == "2026-03-10"
    assert item["suggested_month"] == "2026-04"
    assert (
        login(staff.approver).get("/api/crosscheck/warnings/?area=430922101").json()["count"] == 1
    )
    assert login(staff.approver).get("/api/crosscheck/warnings/?kind=vehicle").json()["count"] == 0


def test_warning_of_another_area_is_404(staff, raised):
    other = Warning.objects.get(person=raised.head_b)
    client = login(staff.caseworker_a)
    assert client.get(f"/api/crosscheck/warnings/{other.pk}/").status_code == 404
    response = client.post(
        f"/api/crosscheck/warnings/{other.pk}/dismiss/",
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_dismiss_needs_a_reason_and_the_right_role(staff, raised):
    warning = Warning.objects.get(person=raised.head_a)
    url = f"/api/crosscheck/warnings/{warning.pk}/dismiss/"
    response = login(staff.caseworker_a).post(url, {"reason": ""}, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = login(staff.caseworker_a).post(
        url, {"reason": "=HYPERLINK(1)"}, content_type="application/json"
    )
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    response = login(staff.reviewer_a).post(
        url, {"reason": "误报"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = login(staff.caseworker_a).post(
        url, {"reason": "误报"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()[0]["status"] == "dismissed"
    again = login(staff.caseworker_a).post(url, {"reason": "误报"}, content_type="application/json")
    assert again.status_code == 400  # already dismissed


def test_confirm_validates_its_input(staff, raised):
    warning = Warning.objects.get(person=raised.head_a)
    url = f"/api/crosscheck/warnings/{warning.pk}/confirm/"
    response = login(staff.caseworker_a).post(
        url, {"action": "stop", "effective_month": "April"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "effective_month" in response.json()
    response = login(staff.caseworker_a).post(
        url, {"action": "keep", "effective_month": "2026-04"}, content_type="application/json"
    )
    assert response.status_code == 400  # a death cannot be confirmed without a change
    warning.refresh_from_db()
    assert warning.status == "open"


def test_list_upload_and_rejected_rows(staff, areas, beneficiaries):
    data = csv_bytes(
        [
            [beneficiaries.head_a.id_number, "甲户主", "2026-03-10", ""],
            ["123", "坏", "2026-03-10", ""],
        ],
        DEATH_HEADER,
    )
    client = login(staff.approver)
    response = client.post(
        "/api/crosscheck/lists/",
        {
            "kind": "death",
            "area": "430922",
            "valid_on": "2026-03-31",
            "source": "县公安局",
            "file": SimpleUploadedFile("d.csv", data),
        },
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending"
    from civil_affairs.crosscheck.loading import list_load

    list_load(external_list=ExternalList.objects.get(pk=body["id"]))
    detail = client.get(f"/api/crosscheck/lists/{body['id']}/").json()
    assert (detail["status"], detail["rows_loaded"], detail["rows_rejected"]) == ("loaded", 1, 1)
    rejected = client.get(f"/api/crosscheck/lists/{body['id']}/rejected/").json()
    assert rejected["results"] == [
        {
            "row_number": 3,
            "field": "id_number",
            "problem": "id_length",
            "problem_text": "不是18位",  # in the reader's language (Chinese by default)
            "value": "123",
        }
    ]
    assert login(staff.caseworker_a).get("/api/crosscheck/lists/").status_code == 403
    response = login(staff.caseworker_a).post(
        "/api/crosscheck/lists/",
        {
            "kind": "death",
            "area": "430922100",
            "valid_on": "2026-03-31",
            "source": "x",
            "file": SimpleUploadedFile("d.csv", data),
        },
    )
    assert response.status_code == 403


def test_list_upload_with_a_missing_column_is_400_naming_it(staff, areas):
    data = csv_bytes([["11010519491231002X", "张三"]], ["身份证号码", "姓名"])
    response = login(staff.approver).post(
        "/api/crosscheck/lists/",
        {
            "kind": "death",
            "area": "430922",
            "valid_on": "2026-03-31",
            "source": "x",
            "file": SimpleUploadedFile("d.csv", data),
        },
    )
    assert response.status_code == 400
    assert "col_event_date" in response.json()


def test_runs_create_and_list(staff, areas):
    client = login(staff.approver)
    response = client.post(
        "/api/crosscheck/runs/",
        {"area": "430922", "checks": ["lists"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert MatchRun.objects.get().checks == ["lists"]
    assert client.get("/api/crosscheck/runs/").json()["count"] == 1
    response = login(staff.caseworker_a).post(
        "/api/crosscheck/runs/", {"area": "430922100"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert login(staff.reviewer_a).get("/api/crosscheck/runs/").json()["count"] == 0  # county run


def test_schema_lists_the_endpoints(staff):
    schema = login(staff.approver).get("/api/schema/").content.decode()
    for path in (
        "/api/crosscheck/lists/",
        "/api/crosscheck/runs/",
        "/api/crosscheck/warnings/{id}/confirm/",
    ):
        assert path in schema


def test_confirm_through_the_api(staff, raised):
    warning = Warning.objects.get(person=raised.head_a)
    response = login(staff.caseworker_a).post(
        f"/api/crosscheck/warnings/{warning.pk}/confirm/",
        {"action": "stop", "effective_month": "2026-04", "note": "火化记录属实"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    (item,) = response.json()
    assert (item["status"], item["resolution_action"], item["effective_month"]) == (
        "confirmed",
        "stop",
        "2026-04",
    )
    assert item["outcome"]["benefits"] == [
        {
            "ref": f"relief.entitlement:{raised.dibao_a.pk}",
            "program": "dibao",
            "action": "stop",
            "from": "2026-04-01",
            "amount": None,
        }
    ]
    raised.dibao_a.refresh_from_db()
    assert raised.dibao_a.status == "stopped"


def test_pages_in_english_on_request(staff, raised):
    client = login(staff.approver)
    client.cookies["django_language"] = "en"
    page = client.get("/crosscheck/warnings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Warnings" in page


def test_queue_filters_are_the_pages_own(staff, raised):
    """mine: only households the user is caseworker of; a bad filter is refused by name."""
    raised.house_b.caseworker = staff.approver
    raised.house_b.save()
    client = login(staff.approver)
    assert client.get("/api/crosscheck/warnings/").json()["count"] == 2
    mine = client.get("/api/crosscheck/warnings/?mine=true").json()
    assert [w["person_name"] for w in mine["results"]] == ["乙户主"]
    response = client.get("/api/crosscheck/warnings/?min_age_days=soon&severity=dire")
    assert response.status_code == 400
    assert set(response.json()) == {"min_age_days", "severity"}


def test_list_upload_without_mapping_takes_the_saved_one_with_its_delimiter(staff, areas):
    services.mapping_save(
        actor=staff.approver,
        kind="death",
        columns={"id_number": "证件号", "name": "姓名", "event_date": "死亡日期"},
        delimiter="\t",
    )
    data = "证件号\t姓名\t死亡日期\n11010519491231002X\t张三\t2026-03-10\n".encode()
    response = login(staff.approver).post(
        "/api/crosscheck/lists/",
        {
            "kind": "death",
            "area": "430922",
            "valid_on": "2026-03-31",
            "source": "县公安局",
            "file": SimpleUploadedFile("d.tsv", data),
        },
    )
    assert response.status_code == 202, response.json()
    assert ExternalList.objects.get().delimiter == "\t"
