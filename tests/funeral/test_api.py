"""The REST endpoints: the same services and rules as the pages, and the schema."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from funeral.models import Death, Marriage, PlaceName

from .conftest import man, woman

pytestmark = pytest.mark.django_db
D = datetime.date


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_marriage_refused_through_the_api_with_the_reason(areas, officers, rules):
    groom, bride = man(D(2004, 6, 15)), woman(D(2000, 1, 1))
    body = {
        "area": areas.county.pk,
        "registered_on": "2026-06-14",
        "party_a_id_number": groom,
        "party_a_name": "张三",
        "party_b_id_number": bride,
        "party_b_name": "李四",
        "certificate_no": "J-API-1",
    }
    refused = api(officers.registrar).post("/api/funeral/marriages/", body, format="json")
    assert refused.status_code == 400
    assert "21" in refused.json()["party_a_id_number"][0]
    body["registered_on"] = "2026-06-15"
    created = api(officers.registrar).post("/api/funeral/marriages/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["party_a_id_number"] == groom
    marriage = Marriage.objects.get()
    divorce = api(officers.registrar).post(
        f"/api/funeral/marriages/{marriage.pk}/divorce/",
        {"applied_on": "2026-07-01"},
        format="json",
    )
    assert divorce.json()["cooling_off_ends"] == "2026-07-31"
    assert api(officers.admin).get("/api/funeral/marriages/").status_code == 403
    assert api(officers.admin).get(f"/api/funeral/marriages/{marriage.pk}/").status_code == 403
    assert api(officers.clerk_a).get(f"/api/funeral/marriages/{marriage.pk}/").status_code == 404


def test_deaths_and_place_names_through_the_api(areas, officers):
    from tests.factories import PersonFactory

    person = PersonFactory(area=areas.village_a)
    made = api(officers.funeral).post(
        "/api/funeral/deaths/",
        {
            "area": areas.village_a.pk,
            "id_number": person.id_number,
            "name": person.name,
            "died_on": "2026-03-10",
            "handled_on": "2026-03-11",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["id_number"] == person.masked_id_number
    sent = api(officers.approver).post(
        "/api/funeral/deaths/send/", {"area": areas.county.pk}, format="json"
    )
    assert sent.status_code == 201
    assert Death.objects.get().sent_list_id == sent.json()["id"]
    bad = api(officers.placenames).post(
        "/api/funeral/place-names/",
        {"area": areas.a.pk, "name": "新路", "pinyin": "=1+1", "kind": "road"},
        format="json",
    )
    assert bad.status_code == 400
    assert "pinyin" in bad.json()
    good = api(officers.placenames).post(
        "/api/funeral/place-names/",
        {"area": areas.a.pk, "name": "新路", "pinyin": "Xīn Lù", "kind": "road"},
        format="json",
    )
    assert good.status_code == 201
    assert PlaceName.objects.get().pinyin == "Xīn Lù"
    assert api(officers.clerk_a).get("/api/funeral/place-names/").json()["count"] == 1


def test_the_schema_lists_the_endpoints(officers):
    schema = api(officers.admin).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/funeral/marriages/{id}/divorce/" in paths
    assert "/api/funeral/deaths/send/" in paths
