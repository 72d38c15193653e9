"""The admin's history pages show past versions and never write one back (issue: a view-only
user approved a payroll through the history-detail form). Every registered model is tried
as every role, including a township-B administrator and the superuser."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse

from civil_affairs.areas.models import Area, Role
from civil_affairs.areas.services import assignment_create
from civil_affairs.core.admin import HistoryAdmin, keeps_history
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _tampered(obj: models.Model) -> dict[str, Any]:
    """The object's fields as a form would post them, each changed where it can be."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if field.choices:
            others = [c for c, _label in field.flatchoices if c != value]
            value = others[-1] if others else value
        elif isinstance(field, models.DecimalField):
            value = Decimal("9999.00")
        elif isinstance(field, models.BooleanField):
            value = "" if value else "on"
        elif isinstance(field, models.DateField) and value is not None:
            value = (value - datetime.timedelta(days=400)).isoformat()
        elif isinstance(field, models.CharField) and not field.choices:
            value = "tampered"
        if value is None:
            continue
        data[field.attname] = value
        data[field.name] = value
    return data


def _snapshot(obj: models.Model) -> tuple[dict[str, Any], int]:
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return model_to_dict(fresh), fresh.history.count()  # type: ignore[attr-defined]


@pytest.fixture
def demo_users() -> list[Any]:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = get_user_model()
    admin_b = users.objects.create_user("admin_b", password="pw")
    township_b = Area.objects.get(code="430922101")
    assignment_create(user=admin_b, area=township_b, role=Role.ADMINISTRATOR)
    return list(users.objects.filter(is_staff=True).order_by("username"))


def test_every_admin_of_a_model_with_history_is_a_history_admin():
    missing = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if keeps_history(model) and not isinstance(model_admin, HistoryAdmin)
    ]
    assert missing == []


def test_posting_a_past_version_changes_nothing_for_any_role(demo_users):
    tried = 0
    failures = []
    for model in admin.site._registry:
        if not keeps_history(model):
            continue
        record = model.history.order_by("-history_id").first()  # type: ignore[attr-defined]
        if record is None or not model._default_manager.filter(pk=record.id).exists():
            continue
        obj = model._default_manager.get(pk=record.id)
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
            args=[obj.pk, record.history_id],
        )
        payload = _tampered(obj)
        for user in demo_users:
            before = _snapshot(obj)
            response = login(user).post(url, payload)
            tried += 1
            if _snapshot(obj) != before or response.status_code not in (403, 404):
                failures.append((model.__name__, user.username, response.status_code))
    assert tried > 100  # every model with history that the demo fills, times every role
    assert failures == [], failures


def test_history_pages_read_and_answer_404_outside_the_users_areas(demo_users):
    from civil_affairs.people.models import Person

    users = {u.username: u for u in demo_users}
    person_a = Person.objects.filter(area__code__startswith="430922100").first()
    record = person_a.history.first()
    history_url = f"/admin/people/person/{person_a.pk}/history/"
    detail_url = f"{history_url}{record.history_id}/"
    reader = login(users["caseworker_a"])
    page = reader.get(detail_url)
    assert page.status_code == 200
    assert person_a.name in page.content.decode()
    assert reader.get(history_url).status_code == 200
    outsider = login(users["caseworker_b"])
    assert outsider.get(history_url).status_code == 404
    assert outsider.get(detail_url).status_code == 404
    assert outsider.post(detail_url, {"name": "x"}).status_code == 404
    # the superuser is refused too: a revert would bypass the services
    refused = login(users["admin"]).post(detail_url, {"name": "改名"})
    assert refused.status_code == 403
    person_a.refresh_from_db()
    assert person_a.name != "改名"


def test_history_of_models_without_history_rows_opens(demo_users):
    """Ledger entries, bank returns and match runs keep no history rows: their history page is
    Django's log of admin changes, not a server error."""
    from civil_affairs.payments.models import LedgerEntry

    entry = LedgerEntry.objects.first()
    client = login(get_user_model().objects.get(username="finance"))
    response = client.get(f"/admin/payments/ledgerentry/{entry.pk}/history/")
    assert response.status_code == 200
