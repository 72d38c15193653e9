"""A payroll's timeline: notes the system writes are stored as a code and parameters and
read in the reader's language (core.notes)."""

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from civil_affairs.core.models import StatusChange
from civil_affairs.payments import services as payment_services
from tests.conftest import login

from .factories import NOV, beneficiary

pytestmark = pytest.mark.django_db


def _page(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_payroll_timeline_with_parameters_reads_in_either_language(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    with TestCase.captureOnCommitCallbacks(execute=True):
        payroll = payment_services.payroll_generate(
            actor=staff.finance, month=NOV, programs=["dibao"]
        )
    done = StatusChange.objects.get(object_id=payroll.pk, new_status="draft", note_code__gt="")
    assert done.note_params == {"rows": 1, "amount": "500.00"}
    with translation.override("en"):
        assert done.text == "1 rows, 500.00 yuan."
    with translation.override("zh-hans"):
        assert "500.00" in done.text
        assert done.text != "1 rows, 500.00 yuan."
    client = login(staff.finance)
    client.cookies.load({"django_language": "en"})
    page = _page(client, reverse("payments:payroll_detail", args=[payroll.pk]), "en")
    assert "Generation started." in page
    assert "1 rows, 500.00 yuan." in page
