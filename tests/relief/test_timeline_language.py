"""Notes the system writes on a timeline are stored as what happened (a code and its
parameters) and read in the reader's language."""

import pytest
from django.urls import reverse

from civil_affairs.core.status import history
from tests.conftest import login
from tests.relief.conftest import apply_for

from .test_services import three_member_household

pytestmark = pytest.mark.django_db


def _page(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_case_timeline_reads_in_the_readers_language(staff, areas, standards):
    application = apply_for(staff.caseworker_a, three_member_household(staff, areas))
    change = history(application).get()
    assert change.note_code == "relief.registered"
    assert change.note == "已登记。"  # the site's language, for the admin and the table
    client = login(staff.caseworker_a)
    client.cookies.load({"django_language": "en"})
    url = reverse("relief:application_detail", args=[application.pk])
    assert "Registered." in _page(client, url, "en")
    client.cookies.load({"django_language": "zh-hans"})
    assert "已登记。" in _page(client, url, "zh-hans")
