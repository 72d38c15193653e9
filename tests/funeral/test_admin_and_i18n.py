"""The admin (scoped, read-only, exports masked and logged) and the translations."""

from __future__ import annotations

import datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings

from civil_affairs.people.models import AccessLog
from funeral import services
from tests.conftest import login
from tests.factories import PersonFactory

from .conftest import man, woman

pytestmark = pytest.mark.django_db
D = datetime.date


def test_every_funeral_message_has_a_chinese_translation():
    po = polib.pofile(str(Path(settings.BASE_DIR) / "funeral/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert [e.msgid for e in po if not e.msgstr and not e.msgstr_plural] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_admin_lists_marriages_to_the_registrar_only(areas, officers, rules):
    services.marriage_register(
        actor=officers.registrar,
        area=areas.county,
        registered_on=D(2026, 5, 1),
        party_a_id_number=man(D(1990, 1, 1)),
        party_a_name="甲",
        party_b_id_number=woman(D(1990, 1, 1)),
        party_b_name="乙",
        certificate_no="J-ADMIN-1",
    )
    assert "J-ADMIN-1" in login(officers.registrar).get("/admin/funeral/marriage/").content.decode()
    assert login(officers.admin).get("/admin/funeral/marriage/").status_code == 403


def test_death_export_is_masked_and_logged(areas, officers):
    person = PersonFactory(area=areas.village_a)
    services.death_record(
        actor=officers.funeral,
        area=areas.village_a,
        id_number=person.id_number,
        name=person.name,
        died_on=D(2026, 3, 1),
        handled_on=D(2026, 3, 2),
    )
    client = login(officers.funeral)
    page = client.get("/admin/funeral/death/")
    assert page.status_code == 200
    assert person.masked_id_number in page.content.decode()
    exported = client.post(
        "/admin/funeral/death/export/",
        {
            "format": "0",
            "resource": "0",
            **{
                f"deathresource_{f}": "on"
                for f in [
                    "id",
                    "area_code",
                    "id_number",
                    "name",
                    "died_on",
                    "disposal",
                    "handled_on",
                    "facility",
                    "cremation_certificate",
                ]
            },
        },
    )
    assert exported.status_code == 200, exported.content[:500]
    text = exported.content.decode("utf-8-sig")
    assert person.masked_id_number in text
    assert person.id_number not in text
    assert AccessLog.objects.filter(user=officers.funeral, action="export").exists()
