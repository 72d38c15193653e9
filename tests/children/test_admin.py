"""The children's admin: scoped lists, exports masked and logged, mandatory reports absent for
everyone but their handlers."""

import pytest
from django.utils import timezone

from children import services
from civil_affairs.areas.roles import sync_groups
from civil_affairs.people.models import AccessLog
from tests.conftest import login

from .conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def groups(db):
    sync_groups()


def test_child_admin_scoped_and_export_masked(kids_staff, areas, standards):
    mine = register(kids_staff.officer, areas.village_a, name="甲村儿童")
    register(kids_staff.officer, areas.village_b, name="乙村儿童")
    client = login(kids_staff.director_a)
    page = client.get("/admin/children/child/").content.decode()
    assert "甲村儿童" in page
    assert "乙村儿童" not in page
    response = client.post(
        "/admin/children/child/export/", {"format": "0", "resource": "0", **_all_fields()}
    )
    body = response.content.decode("utf-8-sig")
    assert mine.person.masked_id_number in body
    assert mine.person.id_number not in body
    assert "乙村儿童" not in body
    assert AccessLog.objects.filter(detail__startswith="children (admin)").exists()


def _all_fields():
    from children.resources import ChildResource

    return {f"childresource_{name}": "on" for name in ChildResource._meta.fields}


def test_mandatory_report_admin_only_for_handlers(kids_staff, areas, standards):
    report = services.mandatory_report_receive(
        actor=kids_staff.officer,
        area=areas.village_a,
        received_at=timezone.now(),
        reporter="医院",
        child_name="秘密儿童",
        description="伤情",
    )
    url = f"/admin/children/mandatoryreport/{report.pk}/change/"
    for user in (kids_staff.caseworker_a, kids_staff.director_a, kids_staff.reviewer_a):
        client = login(user)
        user.is_staff = True
        user.save()
        assert client.get(url).status_code in (302, 403, 404)
        assert "秘密儿童" not in client.get(url, follow=True).content.decode()
        assert client.get("/admin/children/mandatoryreport/").status_code == 403
        assert "mandatoryreport" not in client.get("/admin/").content.decode()
    officer = kids_staff.officer
    officer.is_staff = True
    officer.save()
    client = login(officer)
    assert "秘密儿童" in client.get("/admin/children/mandatoryreport/").content.decode()
    assert client.get(url).status_code == 200
