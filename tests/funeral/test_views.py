"""The pages: each role sees its lists and forms; refusals show their reasons."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from funeral.models import Death, Marriage, MarriageRefusal, PlaceName
from tests.conftest import login
from tests.factories import PersonFactory

from .conftest import man, woman

pytestmark = pytest.mark.django_db
D = datetime.date


def english(user):
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_registrar_is_refused_an_under_age_marriage_and_sees_why(areas, officers, rules):
    client = english(officers.registrar)
    groom, bride = man(D(2005, 1, 1)), woman(D(1995, 1, 1))
    page = client.post(
        "/funeral/marriages/",
        {
            "form": "marriage",
            "marriage-area": areas.county.pk,
            "marriage-registered_on": "2026-06-01",
            "marriage-party_a_name": "小王",
            "marriage-party_a_id_number": groom,
            "marriage-party_b_name": "小李",
            "marriage-party_b_id_number": bride,
            "marriage-certificate_no": "J430922-2026-0001",
            "marriage-both_present": "on",
        },
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Registration refused" in text.split('id="refusal"')[1]
    assert "小王 (a man) is 21 years and 151 days old on 2026-06-01" in text
    assert not Marriage.objects.exists()
    assert MarriageRefusal.objects.get().party_a_id_number == groom
    assert groom in client.get("/funeral/refusals/").content.decode()


def test_a_marriage_registered_through_the_page(areas, officers, rules):
    client = login(officers.registrar)
    groom, bride = man(D(1990, 1, 1)), woman(D(1995, 1, 1))
    page = client.post(
        "/funeral/marriages/",
        {
            "form": "marriage",
            "marriage-area": areas.county.pk,
            "marriage-registered_on": "2026-06-01",
            "marriage-party_a_name": "小王",
            "marriage-party_a_id_number": groom,
            "marriage-party_b_name": "小李",
            "marriage-party_b_id_number": bride,
            "marriage-certificate_no": "J430922-2026-0002",
            "marriage-both_present": "on",
        },
    )
    marriage = Marriage.objects.get()
    assert page.status_code == 302
    assert page.url == f"/funeral/marriages/{marriage.pk}/"
    detail = client.get(page.url).content.decode()
    assert groom in detail
    assert "J430922-2026-0002" in detail


def test_marriage_records_are_the_registrars_alone(areas, officers):
    for user in (officers.admin, officers.funeral, officers.caseworker_a, officers.approver):
        assert login(user).get("/funeral/marriages/").status_code == 403
    assert login(officers.registrar).get("/funeral/marriages/").status_code == 200


def test_deaths_page_records_and_sends(areas, officers):
    person = PersonFactory(area=areas.village_a, name="故人甲")
    page = login(officers.funeral).post(
        "/funeral/deaths/",
        {
            "form": "death",
            "death-area": areas.village_a.pk,
            "death-id_number": person.id_number,
            "death-name": person.name,
            "death-died_on": "2026-03-10",
            "death-handled_on": "2026-03-12",
            "death-disposal": "cremation",
        },
    )
    assert page.status_code == 302
    death = Death.objects.get()
    assert death.person == person
    listed = login(officers.approver).get("/funeral/deaths/").content.decode()
    assert "故人甲" in listed
    assert 'id="send-deaths"' in listed
    assert person.id_number not in listed  # masked
    sent = login(officers.approver).post("/funeral/deaths/", {"form": "send"})
    assert sent.status_code == 302
    death.refresh_from_db()
    assert death.sent_list is not None
    assert login(officers.clerk_a).get(f"/funeral/deaths/{death.pk}/").status_code == 403


def test_place_names_page_in_both_languages(areas, officers):
    client = login(officers.placenames)
    page = client.post(
        "/funeral/places/",
        {
            "form": "place",
            "place-area": areas.a.pk,
            "place-name": "清河路",
            "place-pinyin": "Qinghe Lu",
            "place-kind": "road",
        },
    )
    assert page.status_code == 302
    assert PlaceName.objects.get().name == "清河路"
    chinese = client.get("/funeral/places/").content.decode()
    assert "地名" in chinese
    assert "清河路" in chinese
    in_english = english(officers.placenames).get("/funeral/places/").content.decode()
    assert "Place names" in in_english
    assert "Road or street" in in_english
    assert "道路街巷" in chinese
    bad = client.post(
        "/funeral/places/",
        {
            "form": "place",
            "place-area": areas.a.pk,
            "place-name": "错",
            "place-pinyin": "Cuò2",
            "place-kind": "road",
        },
    )
    assert 'data-field="pinyin"' in bad.content.decode()
    assert PlaceName.objects.count() == 1
    assert login(officers.clerk_a).get("/funeral/places/").status_code == 200


def test_every_list_page_answers_its_role(areas, officers):
    pages = {
        officers.funeral: ["deaths", "cemeteries", "plans"],
        officers.registrar: ["marriages", "divorces", "refusals", "relatives", "agencies"],
        officers.placenames: ["places", "namings", "corrections", "entries", "boundaries"],
    }
    for user, names in pages.items():
        client = login(user)
        for name in names:
            assert client.get(f"/funeral/{name}/").status_code == 200, (user, name)
    assert "/funeral/deaths/" in login(officers.funeral).get("/").content.decode()


def test_detail_pages_take_their_actions(areas, officers, rules):
    from funeral import services

    registrar = login(officers.registrar)
    marriage = services.marriage_register(
        actor=officers.registrar,
        area=areas.county,
        registered_on=D(2020, 5, 1),
        party_a_id_number=man(D(1990, 1, 1)),
        party_a_name="甲",
        party_b_id_number=woman(D(1990, 1, 1)),
        party_b_name="乙",
        certificate_no="J-PAGE-1",
    )
    applied = registrar.post(
        f"/funeral/marriages/{marriage.pk}/",
        {"form": "divorce", "divorce-applied_on": "2026-03-01", "divorce-both_present": "on"},
    )
    assert applied.status_code == 302
    application = marriage.divorces.get()
    withdrawn = registrar.post(
        f"/funeral/divorces/{application.pk}/",
        {
            "form": "withdraw",
            "withdraw-party_id_number": marriage.party_a_id_number,
            "withdraw-on": "2026-03-05",
        },
    )
    assert withdrawn.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    page = registrar.get(f"/funeral/divorces/{application.pk}/").content.decode()
    assert "withdrawn" in page
    assert 'id="form-certify"' not in page  # a withdrawn application offers no certificate

    places = login(officers.placenames)
    line = services.boundary_create(
        actor=officers.placenames, area=areas.county, name="县界", parties="甲县、乙县"
    )
    services.marker_add(actor=officers.placenames, boundary=line, number="1")
    inspected = places.post(
        f"/funeral/boundaries/{line.pk}/",
        {
            "form": "inspection",
            "inspection-inspected_on": "2026-05-01",
            "inspection-parties": "甲县、乙县",
            "inspection-markers_checked": "2",
        },
    )
    assert 'data-field="markers_checked"' in inspected.content.decode()
    assert not line.inspections.exists()
    listed = places.get("/funeral/boundaries/?from=2026-01-01&to=2026-12-31").content.decode()
    assert "县界" not in listed  # no inspection in the period
