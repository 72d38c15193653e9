"""Township A's caseworker against township B's data, verb by verb, in pages, API and admin."""

import pytest
from django.urls import reverse

from civil_affairs.people.models import AccessLog, Person
from tests.conftest import login

pytestmark = pytest.mark.django_db


# ---- pages


def test_page_list_shows_only_own_area_and_masks(staff, person_a, person_b):
    page = login(staff.caseworker_a).get(reverse("people:list")).content.decode()
    assert person_a.name in page
    assert person_b.name not in page
    assert person_a.masked_id_number in page
    assert person_a.id_number not in page


def test_page_search_by_full_id_number(staff, person_a, person_b):
    client = login(staff.caseworker_a)
    page = client.get(reverse("people:list"), {"q": person_a.id_number}).content.decode()
    assert person_a.name in page
    page = client.get(reverse("people:list"), {"q": person_b.id_number}).content.decode()
    assert person_b.name not in page


def test_page_detail_edit_reveal_of_other_area_are_404(staff, person_b):
    client = login(staff.caseworker_a)
    assert client.get(reverse("people:detail", args=[person_b.pk])).status_code == 404
    assert client.get(reverse("people:edit", args=[person_b.pk])).status_code == 404
    response = client.post(reverse("people:edit", args=[person_b.pk]), {"name": "hacked"})
    assert response.status_code == 404
    assert client.post(reverse("people:reveal", args=[person_b.pk])).status_code == 404
    person_b.refresh_from_db()
    assert person_b.name == "乙镇居民"
    assert not AccessLog.objects.exists()


def test_page_export_contains_only_own_area_masked_and_is_logged(staff, person_a, person_b):
    response = login(staff.caseworker_a).get(reverse("people:export"))
    body = b"".join(response.streaming_content).decode()
    assert person_a.masked_id_number in body
    assert person_a.id_number not in body
    assert person_b.name not in body
    assert AccessLog.objects.get().action == "export"


def test_page_export_whole_numbers_for_finance(staff, person_a, person_b):
    body = b"".join(login(staff.finance).get(reverse("people:export")).streaming_content).decode()
    assert person_a.id_number in body
    assert person_b.id_number in body


def test_supervisor_sees_both_townships(staff, person_a, person_b):
    client = login(staff.approver)
    page = client.get(reverse("people:list")).content.decode()
    assert person_a.name in page
    assert person_b.name in page
    assert client.get(reverse("people:detail", args=[person_b.pk])).status_code == 200


def test_page_form_refuses_invalid_id_with_field_message(staff, areas):
    response = login(staff.caseworker_a).post(
        reverse("people:create"),
        {"id_number": "110105194912310021", "name": "测试", "area": areas.village_a.pk},
    )
    assert response.status_code == 200
    assert 'data-field="id_number"' in response.content.decode()
    assert not Person.objects.exists()


def test_page_create_and_reveal(staff, areas):
    client = login(staff.caseworker_a)
    response = client.post(
        reverse("people:create"),
        {"id_number": "11010519491231002X", "name": "测试", "area": areas.village_a.pk},
    )
    person = Person.objects.get()
    assert response.status_code == 302
    page = client.post(reverse("people:reveal", args=[person.pk])).content.decode()
    assert "11010519491231002X" in page
    assert AccessLog.objects.filter(person=person, action="view_id").count() == 1


def test_finance_cannot_create_people(staff):
    assert login(staff.finance).get(reverse("people:create")).status_code == 403


# ---- API


def test_api_list_masks_and_scopes(staff, person_a, person_b):
    data = login(staff.caseworker_a).get("/api/people/").json()
    assert [row["name"] for row in data["results"]] == [person_a.name]
    assert data["results"][0]["id_number_masked"] == person_a.masked_id_number
    assert "id_number" not in data["results"][0]


def test_api_retrieve_update_reveal_other_area_404(staff, person_b):
    client = login(staff.caseworker_a)
    assert client.get(f"/api/people/{person_b.pk}/").status_code == 404
    response = client.patch(
        f"/api/people/{person_b.pk}/", {"phone": "1"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.post(f"/api/people/{person_b.pk}/reveal/").status_code == 404


def test_api_create_invalid_id_400_with_field(staff, areas):
    response = login(staff.caseworker_a).post(
        "/api/people/",
        {"id_number": "110105194912310021", "name": "x", "area": areas.village_a.code},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "校验码错误" in response.json()["id_number"][0]
    assert not Person.objects.exists()


def test_api_create_update_reveal(staff, areas):
    client = login(staff.caseworker_a)
    response = client.post(
        "/api/people/",
        {"id_number": "11010519491231002X", "name": "x", "area": areas.village_a.code},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(f"/api/people/{pk}/", {"phone": "139"}, content_type="application/json")
    assert response.status_code == 200
    assert Person.objects.get(pk=pk).phone == "139"
    assert client.post(f"/api/people/{pk}/reveal/").json() == {"id_number": "11010519491231002X"}


def test_api_permission_denied_is_403(staff, person_a):
    response = login(staff.finance).patch(
        f"/api/people/{person_a.pk}/", {"phone": "1"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_api_token_auth(staff, person_a):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=staff.caseworker_a)
    response = Client().get("/api/people/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.json()["count"] == 1
    assert Client().get("/api/people/").status_code in (401, 403)


def test_api_schema_and_docs(staff):
    client = login(staff.caseworker_a)
    assert b"/api/people/" in client.get("/api/schema/").content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn" not in docs.lower()


# ---- admin


def test_admin_changelist_and_change_view_scoped(staff, person_a, person_b):
    client = login(staff.caseworker_a)
    page = client.get("/admin/people/person/").content.decode()
    assert person_a.name in page
    assert person_b.name not in page
    # the admin answers an object outside the queryset as it answers a missing one
    for response in (
        client.get(f"/admin/people/person/{person_b.pk}/change/"),
        client.post(f"/admin/people/person/{person_b.pk}/change/", {"name": "hacked"}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    person_b.refresh_from_db()
    assert person_b.name == "乙镇居民"


def test_admin_export_is_scoped_masked_and_logged(staff, person_a, person_b):
    chosen = {f"personresource_{field}": "on" for field in ("id_number", "name", "area_code")}
    response = login(staff.caseworker_a).post(
        "/admin/people/person/export/", {"format": "0", "resource": "0", **chosen}
    )
    body = response.content.decode("utf-8-sig")
    assert person_a.masked_id_number in body
    assert person_b.name not in body
    assert AccessLog.objects.filter(action="export").exists()


def test_admin_add_refuses_invalid_id(staff, areas):
    response = login(staff.caseworker_a).post(
        "/admin/people/person/add/",
        {"id_number": "110105194912310021", "name": "x", "area": areas.village_a.pk},
    )
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    assert not Person.objects.exists()


def test_access_log_is_read_only_in_admin(staff, person_a):
    from civil_affairs.people import services

    services.person_reveal_id(actor=staff.admin, person=person_a)
    log = AccessLog.objects.get()
    client = login(staff.admin)
    assert client.get("/admin/people/accesslog/").status_code == 200
    assert (
        client.post(f"/admin/people/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert AccessLog.objects.count() == 1


def test_api_messages_follow_the_language(staff, areas):
    response = login(staff.caseworker_a).post(
        "/api/people/",
        {"id_number": "110105194912310021", "name": "x", "area": areas.village_a.code},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["id_number"] == ["The check character of this ID number is wrong."]
