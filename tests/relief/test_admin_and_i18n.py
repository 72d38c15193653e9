"""The admin of relief (standards through the service, scoped lists) and the Chinese catalogue."""

from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from civil_affairs.core.months import add_months
from civil_affairs.standards.models import Standard
from tests.conftest import login
from tests.relief.conftest import SINCE, make_household, member, next_month

pytestmark = pytest.mark.django_db


def test_every_relief_message_has_a_chinese_translation():
    po = polib.pofile(str(Path(settings.BASE_DIR) / "relief/locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.msgstr and not e.msgstr_plural]
    assert missing == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_pages_are_in_chinese_by_default(staff, areas, standards):
    page = login(staff.caseworker_a).get(reverse("relief:household_list")).content.decode()
    assert "家庭与案件" in page
    assert "完整身份证号码或姓名开头" in page
    assert "Households and cases" not in page


def test_admin_adds_a_standard_through_the_service(staff, areas, standards):
    client = login(staff.admin)
    response = client.post(
        reverse("admin:standards_standard_add"),
        {
            "kind": "dibao",
            "variant": "rural",
            "area": areas.county.pk,
            "valid_from": next_month().isoformat(),
            "value": "800",
            "note": "2027年标准",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    new = Standard.objects.get(kind="dibao", variant="rural", valid_from=next_month())
    assert new.value == Decimal("800.00")
    old = standards[("dibao", "rural")]
    old.refresh_from_db()
    assert old.valid_to == add_months(next_month(), -1)  # closed by the service


def test_admin_standard_form_names_the_bad_field(staff, areas, standards):
    response = login(staff.admin).post(
        reverse("admin:standards_standard_add"),
        {
            "kind": "dibao",
            "variant": "suburb",
            "area": areas.county.pk,
            "valid_from": next_month().isoformat(),
            "value": "800",
        },
    )
    assert response.status_code == 200
    assert "variant" in response.context["adminform"].form.errors
    assert Standard.objects.count() == len(standards)


def _form_error(response, field):
    assert response.status_code == 200, response.status_code
    [error] = response.context["adminform"].form.errors[field]
    assert escape(error) in response.content.decode()
    return error


def test_admin_shows_an_overlapping_new_standard_as_a_form_error(staff, areas, standards):
    before = list(Standard.objects.order_by("pk").values())
    response = login(staff.admin).post(
        reverse("admin:standards_standard_add"),
        {
            "kind": "dibao",
            "variant": "rural",
            "area": areas.county.pk,
            "valid_from": SINCE.isoformat(),  # the same first month as the row in force
            "value": "800",
        },
    )
    assert f"{SINCE:%Y-%m}" in _form_error(response, "valid_from")
    assert list(Standard.objects.order_by("pk").values()) == before


def test_admin_shows_an_overlapping_change_as_a_form_error(staff, areas, standards):
    old = standards[("dibao", "rural")]
    client = login(staff.admin)
    new = {"kind": "dibao", "variant": "rural", "area": areas.county.pk, "value": "800"}
    client.post(reverse("admin:standards_standard_add"), {**new, "valid_from": next_month()})
    old.refresh_from_db()
    assert old.valid_to == add_months(next_month(), -1)
    before = list(Standard.objects.order_by("pk").values())
    response = client.post(
        reverse("admin:standards_standard_change", args=[old.pk]),
        {"valid_to": "", "value": str(old.value), "note": old.note},  # open again: overlaps
    )
    _form_error(response, "valid_to")
    assert list(Standard.objects.order_by("pk").values()) == before


def test_caseworker_cannot_edit_standards_in_the_admin(staff, areas, standards):
    client = login(staff.caseworker_a)
    assert client.get(reverse("admin:standards_standard_add")).status_code == 403


def test_household_admin_is_scoped(staff, areas, standards):
    mine = make_household(staff.caseworker_a, areas.village_a, member("head", name="甲镇户主"))
    other = make_household(staff.caseworker_b, areas.village_b, member("head", name="乙镇户主"))
    client = login(staff.caseworker_a)
    listing = client.get(reverse("admin:relief_household_changelist")).content.decode()
    assert "甲镇户主" in listing
    assert "乙镇户主" not in listing
    response = client.get(reverse("admin:relief_household_change", args=[other.pk]))
    assert (response.status_code, response.url) == (302, reverse("admin:index"))  # "no such row"
    assert client.get(reverse("admin:relief_household_change", args=[mine.pk])).status_code == 200
