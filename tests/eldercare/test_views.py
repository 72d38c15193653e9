"""Pages, the API, the admin and the demo: what each role sees and may do, in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from civil_affairs.people.models import AccessLog
from eldercare import services
from eldercare.models import Finding, Institution, OldAgeAllowance
from tests.conftest import login

from .conftest import credit_code, id_number, make_institution

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def finding(officers, areas):
    home = make_institution(officers.eldercare, areas.village_a)
    services.resident_admit(
        actor=officers.eldercare,
        institution=home,
        id_number=id_number(D(1940, 3, 3)),
        name="周桂英",
        admitted_on=D(2025, 1, 1),
        ability_level=3,
        assessed_on=D(2025, 1, 2),
    )
    inspection = services.inspection_record(
        actor=officers.eldercare,
        institution=home,
        kind="fire",
        inspected_on=D(2026, 9, 1),
        inspectors="何丽",
    )
    return services.finding_add(
        actor=officers.eldercare,
        inspection=inspection,
        description="疏散通道堵塞",
        severity="major",
        deadline=D(2026, 9, 15),
    )


def test_pages_read_in_both_languages(officers, finding):
    client = login(officers.eldercare)
    home = finding.inspection.institution
    page = client.get(f"/eldercare/institutions/{home.pk}/").content.decode()
    assert "统一社会信用代码" in page
    assert home.credit_code in page
    assert "周桂英" in page
    assert "3 重度失能" in page
    assert "430922********" in page  # ID numbers masked
    overdue = client.get("/eldercare/findings/overdue/").content.decode()
    assert "逾期未整改" in overdue
    assert "疏散通道堵塞" in overdue
    assert "重大隐患" in overdue
    client.cookies["django_language"] = "en"
    english = client.get("/eldercare/findings/overdue/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Overdue rectifications" in english.decode()
    for url in (
        "/eldercare/",
        "/eldercare/inspections/",
        "/eldercare/screening/",
        "/eldercare/centres/",
        "/eldercare/modifications/",
        "/eldercare/care-workers/",
        "/eldercare/allowances/",
        f"/eldercare/inspections/{finding.inspection_id}/",
        f"/eldercare/findings/{finding.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_closing_a_major_finding_without_evidence_is_refused_on_the_page(officers, finding):
    client = login(officers.eldercare)
    url = f"/eldercare/findings/{finding.pk}/"
    response = client.post(url, {"fixed_on": "2026-09-20", "evidence": "", "verified": "on"})
    assert response.status_code == 200
    assert 'data-field="evidence"' in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "open"
    response = client.post(
        url, {"fixed_on": "2026-09-20", "evidence": "整改照片3张", "verified": "on"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.verified_by) == ("closed", officers.eldercare)


def test_other_areas_get_404_and_other_roles_403(officers, finding, areas):
    other = make_institution(officers.eldercare, areas.village_b, name="乙镇养老院")
    client = login(officers.caseworker_a)
    assert client.get(f"/eldercare/institutions/{other.pk}/").status_code == 404
    assert client.get(f"/eldercare/findings/{finding.pk}/").status_code == 200
    assert (
        client.post(f"/eldercare/findings/{finding.pk}/", {"fixed_on": "2026-09-20"}).status_code
        == 403
    )
    assert "乙镇养老院" not in client.get("/eldercare/").content.decode()
    children = login(officers.children)
    assert children.get("/eldercare/").status_code == 403
    assert (
        children.get(f"/eldercare/institutions/{finding.inspection.institution_id}/").status_code
        == 403
    )


def test_an_institution_is_filed_on_its_page(officers, areas):
    client = login(officers.eldercare)
    data = {
        "area": areas.village_a.pk,
        "credit_code": "12430922000000001X",
        "name": "新建养老院",
        "nature": "private",
        "beds": "50",
        "nursing_beds": "10",
    }
    response = client.post("/eldercare/institutions/new/", data)
    assert 'data-field="credit_code"' in response.content.decode()
    assert not Institution.objects.exists()
    data["credit_code"] = credit_code()
    response = client.post("/eldercare/institutions/new/", data)
    assert response.status_code == 302
    assert Institution.objects.get().name == "新建养老院"


def test_enrol_on_the_allowance_page(officers, areas, standards):
    from tests.factories import PersonFactory

    person = PersonFactory(
        area=areas.village_a, id_number=id_number(D(1946, 5, 20)), birth_date=D(1946, 5, 20)
    )
    client = login(officers.caseworker_a)
    response = client.post(
        "/eldercare/allowances/", {"id_number": person.id_number, "applied_on": "2026-05-22"}
    )
    assert response.status_code == 302
    allowance = OldAgeAllowance.objects.get()
    page = client.get(f"/eldercare/allowances/{allowance.pk}/").content.decode()
    assert "2026-06" in page
    assert "100.00" in page
    assert (
        login(officers.caseworker_b).get(f"/eldercare/allowances/{allowance.pk}/").status_code
        == 404
    )


# ---- the API


def test_the_api_lists_scoped_and_closes_through_the_service(officers, finding, areas):
    make_institution(officers.eldercare, areas.village_b, name="乙镇养老院")
    api = login(officers.caseworker_a)
    names = [i["name"] for i in api.get("/api/eldercare/institutions/").json()["results"]]
    assert names == ["青山养老院"]
    overdue = api.get("/api/eldercare/findings/?overdue=true").json()["results"]
    assert [(f["id"], f["overdue"]) for f in overdue] == [(finding.pk, True)]
    refused = api.post(
        f"/api/eldercare/findings/{finding.pk}/close/",
        {"fixed_on": "2026-09-20"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    officer = login(officers.eldercare)
    response = officer.post(
        f"/api/eldercare/findings/{finding.pk}/close/",
        {"fixed_on": "2026-09-20", "verified": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "evidence" in response.json()
    response = officer.post(
        f"/api/eldercare/findings/{finding.pk}/close/",
        {"fixed_on": "2026-09-20", "verified": True, "evidence": "复查记录"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert (
        login(officers.caseworker_b).get(f"/api/eldercare/findings/{finding.pk}/").status_code
        == 404
    )
    assert login(officers.children).get("/api/eldercare/findings/").status_code == 403


def test_the_api_files_an_institution_and_names_bad_fields(officers, areas):
    api = login(officers.eldercare)
    bad = api.post(
        "/api/eldercare/institutions/",
        {"name": "x", "credit_code": "123", "nature": "public", "beds": 5, "area": "430922100201"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "credit_code" in bad.json()
    good = api.post(
        "/api/eldercare/institutions/",
        {
            "name": "接口养老院",
            "credit_code": credit_code(),
            "nature": "public",
            "beds": 5,
            "area": "430922100201",
        },
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    assert Institution.objects.get().name == "接口养老院"


def test_the_api_enrols_and_stops_an_allowance(officers, areas, standards):
    from tests.factories import PersonFactory

    person = PersonFactory(
        area=areas.village_a, id_number=id_number(D(1935, 5, 20)), birth_date=D(1935, 5, 20)
    )
    api = login(officers.caseworker_a)
    created = api.post(
        "/api/eldercare/allowances/",
        {"person": person.pk, "applied_on": "2026-03-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["first_month"], body["tier"], body["monthly_amount"]) == (
        "2026-03",
        "90",
        "200.00",
    )
    stopped = api.post(
        f"/api/eldercare/allowances/{body['id']}/stop/",
        {"effective_month": "2026-07", "reason": "迁出本县"},
        content_type="application/json",
    )
    assert stopped.status_code == 200, stopped.content
    assert (stopped.json()["status"], stopped.json()["end_month"]) == ("stopped", "2026-06")
    other = login(officers.caseworker_b).post(
        "/api/eldercare/allowances/",
        {"person": person.pk},
        content_type="application/json",
    )
    assert other.status_code == 400  # a person outside their areas cannot be named


# ---- admin export and the demo


def test_the_admin_exports_masked_and_logged(officers, finding):
    officers.eldercare.is_staff = True
    officers.eldercare.save()
    client = login(officers.eldercare)
    response = client.post(
        "/admin/eldercare/resident/export/",
        {
            "format": "0",
            "resource": "0",
            **{
                f"residentresource_{f}": "on"
                for f in (
                    "institution_code",
                    "id_number",
                    "person_name",
                    "admitted_on",
                    "discharged_on",
                    "ability_level",
                    "assessed_on",
                    "vaccinated",
                    "vaccinated_on",
                )
            },
        },
    )
    assert response.status_code == 200, response.content[:500]
    text = response.content.decode("utf-8-sig")
    assert "周桂英" in text
    assert "430922********" in text
    assert AccessLog.objects.filter(user=officers.eldercare, action="export").exists()


def test_seed_demo_loads_eldercare_once(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("seed_demo", stdout=None)
    counts = (Institution.objects.count(), Finding.objects.count(), OldAgeAllowance.objects.count())
    assert counts == (3, 3, 4)
    assert Finding.objects.filter(severity="major", status="open").exists()
    call_command("seed_demo", stdout=None)
    assert (
        Institution.objects.count(),
        Finding.objects.count(),
        OldAgeAllowance.objects.count(),
    ) == counts
