"""`manage.py seed_demo` gives the cross-check pages something to show, and can run again."""

import pytest
from django.core.management import call_command

from civil_affairs.crosscheck.models import ExternalList, RejectedRow, Warning
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_lists_and_warnings_once(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("seed_demo", stdout=None)
    lists = ExternalList.objects.order_by("kind")
    assert [(lst.kind, lst.status) for lst in lists] == [("death", "loaded"), ("vehicle", "loaded")]
    assert list(RejectedRow.objects.values_list("row_number", "problem")) == [
        (8, "id_checksum"),
        (9, "missing"),
    ]
    assert Warning.objects.filter(kind="death", status="open").exists()
    assert Warning.objects.filter(kind="death", status="dismissed").exists()
    assert Warning.objects.filter(kind="vehicle", status="open").exists()
    counts = (ExternalList.objects.count(), Warning.objects.count())
    call_command("seed_demo", stdout=None)
    assert (ExternalList.objects.count(), Warning.objects.count()) == counts

    from django.contrib.auth import get_user_model

    caseworker = get_user_model().objects.get(username="caseworker_a")
    page = login(caseworker).get("/crosscheck/warnings/").content.decode()
    assert "死亡与火化" in page
    reviewer = get_user_model().objects.get(username="reviewer_a")
    assert 'id="overdue-warnings"' in login(reviewer).get("/").content.decode()
