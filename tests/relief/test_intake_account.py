"""The intake form takes each member's bank account for benefits (masked once on file, and
replaced only by typing a new one); member names on the household page link to the person."""

import pytest
from django.urls import reverse

from civil_affairs.people.models import Person
from relief.models import Household
from tests.conftest import login

from .test_views import household_post

pytestmark = pytest.mark.django_db
HEAD = "11010519491231002X"
SPOUSE = "430922196001010011"


def _intake(client, areas, head_account="6217 0000 1111 2222"):
    return client.post(
        reverse("relief:household_create"),
        household_post(
            areas,
            {
                "id_number": HEAD,
                "name": "王大",
                "bank_name": "农村信用社",
                "bank_account": head_account,
            },
            {"id_number": SPOUSE, "name": "王二", "relationship": "spouse"},
        ),
    )


def test_intake_stores_the_account_and_the_page_masks_it(staff, areas, standards):
    client = login(staff.caseworker_a)
    page = client.get(reverse("relief:household_create")).content.decode()
    assert 'name="members-0-bank_account"' in page
    response = _intake(client, areas)
    assert response.status_code == 302, response.content.decode()[:2000]
    head = Person.objects.get(id_number=HEAD)
    assert (head.bank_name, head.bank_account) == ("农村信用社", "6217000011112222")
    assert Person.objects.get(id_number=SPOUSE).bank_account == ""
    household = Household.objects.get()
    detail = client.get(reverse("relief:household_detail", args=[household.pk])).content.decode()
    assert "****2222" in detail
    assert "6217000011112222" not in detail
    # the member's name links to the person
    assert f'href="{reverse("people:detail", args=[head.pk])}"' in detail
    person_page = client.get(reverse("people:detail", args=[head.pk]))
    assert person_page.status_code == 200
    assert "王大" in person_page.content.decode()


def test_a_bad_account_names_the_member_and_the_field_and_writes_nothing(staff, areas, standards):
    response = _intake(login(staff.caseworker_a), areas, head_account="6217-abc")
    assert response.status_code == 200
    text = response.content.decode()
    assert "8 to 32 digits" in text or "8 至 32 位" in text or "8到32位" in text
    assert 'data-field="bank_account"' in text
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_edit_page_never_shows_the_account_and_empty_keeps_it(staff, areas, standards):
    client = login(staff.caseworker_a)
    _intake(client, areas)
    household = Household.objects.get()
    url = reverse("relief:household_edit", args=[household.pk])
    page = client.get(url).content.decode()
    assert "6217000011112222" not in page
    assert "****2222" in page  # said in the help text, the field itself is empty
    # saved again without typing an account: the one on file stays
    data = household_post(
        areas,
        {"id_number": HEAD, "name": "王大", "bank_name": "农村信用社", "bank_account": ""},
        {"id_number": SPOUSE, "name": "王二", "relationship": "spouse"},
    )
    data["members-INITIAL_FORMS"] = "2"
    client.post(url, data)
    assert Person.objects.get(id_number=HEAD).bank_account == "6217000011112222"
    # a new number typed replaces it
    data["members-0-bank_account"] = "6228480012345678"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get(id_number=HEAD).bank_account == "6228480012345678"
