"""The children's pages per role: the registry, a child's page, visits and follow-ups, staff,
activities; mandatory reports only for those who handle them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from children import services
from children.models import Child, FollowUp, MandatoryReport
from civil_affairs.people.models import AccessLog
from tests.conftest import login
from tests.factories import next_id_number

from .conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(kids_staff, areas):
    return services.mandatory_report_receive(
        actor=kids_staff.officer,
        area=areas.village_a,
        received_at=timezone.now() - datetime.timedelta(hours=2),
        reporter="城关小学 张老师",
        child_name="秘密儿童",
        description="身上多处伤痕",
    )


def test_director_sees_only_their_village(kids_staff, areas, standards):
    register(kids_staff.officer, areas.village_a, name="甲村儿童")
    register(kids_staff.officer, areas.village_b, name="乙村儿童")
    page = login(kids_staff.director_a).get(reverse("children:child_list")).content.decode()
    assert "甲村儿童" in page
    assert "乙村儿童" not in page
    page = login(kids_staff.officer).get(reverse("children:child_list")).content.decode()
    assert "甲村儿童" in page
    assert "乙村儿童" in page


def test_child_page_of_another_village_is_404(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_b)
    response = login(kids_staff.director_a).get(reverse("children:child_detail", args=[child.pk]))
    assert response.status_code == 404


def test_register_through_the_page_and_field_errors(kids_staff, areas, standards):
    client = login(kids_staff.director_a)
    data = {
        "id_number": next_id_number(datetime.date(2016, 5, 1)),
        "name": "王小虎",
        "area": areas.village_a.pk,
        "category": "unsupported",
        "registered_on": "2025-03-01",
        "father_situation": "prison",
        "father_evidence": "",
        "mother_situation": "dead",
        "mother_evidence": "死亡证明",
    }
    response = client.post(reverse("children:child_create"), data)
    assert response.status_code == 200
    assert "Give the evidence" in response.content.decode() or "证据" in response.content.decode()
    assert not Child.objects.exists()
    data["father_evidence"] = "判决书"
    response = client.post(reverse("children:child_create"), data)
    child = Child.objects.get()
    assert response.status_code == 302
    assert child.parents.count() == 2


def test_director_records_high_risk_visit_supervisor_sees_follow_up(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, name="留守小明", category="left_behind")
    response = login(kids_staff.director_a).post(
        reverse("children:child_detail", args=[child.pk]),
        {
            "form": "visit",
            "visit-visited_on": timezone.localdate().isoformat(),
            "visit-findings": "独自在家",
            "visit-risk_level": "high",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    page = login(kids_staff.supervisor_a).get(reverse("children:follow_up_list")).content.decode()
    assert "留守小明" in page
    page = login(kids_staff.director_b).get(reverse("children:follow_up_list")).content.decode()
    assert "留守小明" not in page
    response = login(kids_staff.supervisor_a).post(
        reverse("children:follow_up_detail", args=[follow_up.pk]),
        {"done_on": timezone.localdate().isoformat(), "outcome": "已联系父母"},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_mandatory_report_pages_404_for_others(kids_staff, areas, standards, report):
    detail = reverse("children:report_detail", args=[report.pk])
    for user in (kids_staff.caseworker_a, kids_staff.director_a, kids_staff.reviewer_a):
        client = login(user)
        assert client.get(detail).status_code == 404
        assert client.get(reverse("children:report_list")).status_code == 403
        assert client.get(reverse("children:report_export")).status_code == 403
        assert (
            "秘密儿童"
            not in client.get(reverse("children:child_list") + "?q=秘密").content.decode()
        )
        assert "秘密儿童" not in client.get(reverse("home")).content.decode()
        assert "秘密儿童" not in client.get(reverse("children:child_export")).getvalue().decode()
    officer = login(kids_staff.officer)
    assert "秘密儿童" in officer.get(detail).content.decode()
    assert "秘密儿童" in officer.get(reverse("children:report_list") + "?q=秘密").content.decode()
    export = officer.get(reverse("children:report_export")).getvalue().decode()
    assert "秘密儿童" in export
    assert AccessLog.objects.filter(detail__startswith="mandatory_reports.csv").count() == 1


def test_officer_refers_and_closes(kids_staff, areas, standards, report):
    client = login(kids_staff.officer)
    url = reverse("children:report_detail", args=[report.pk])
    client.post(
        url,
        {
            "form": "refer",
            "refer-referred_to": "城关派出所",
            "refer-referred_on": timezone.localdate().isoformat(),
        },
    )
    client.post(url, {"form": "close", "close-outcome": "已立案侦查"})
    report.refresh_from_db()
    assert report.status == MandatoryReport.Status.CLOSED
    assert report.referred_to == "城关派出所"


def test_export_masks_id_numbers(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, name="导出儿童")
    body = login(kids_staff.officer).get(reverse("children:child_export")).getvalue().decode()
    assert "导出儿童" in body
    assert child.person.masked_id_number in body
    assert child.person.id_number not in body


def test_staff_page_lists_villages_without_director(kids_staff, areas, standards):
    client = login(kids_staff.officer)
    response = client.post(
        reverse("children:staff"),
        {
            "post": "director",
            "area": areas.village_a.pk,
            "name": "王主任",
            "appointed_on": "2024-01-01",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("children:staff")).content.decode()
    assert "王主任" in page
    without = page.split('id="villages-without"')[1].split("</ul>")[0]
    assert areas.village_b.name in without
    assert areas.village_a.name not in without


def test_activity_page(kids_staff, areas, standards):
    client = login(kids_staff.supervisor_a)
    response = client.post(
        reverse("children:activity_list"),
        {
            "area": areas.a.pk,
            "held_on": "2026-06-01",
            "theme": "六一关爱",
            "children_reached": "30",
            "funds_raised": "5000",
            "goods_value": "0",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("children:activity_list")).content.decode()
    assert "六一关爱" in page


def test_grant_allowance_from_the_page(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, category="orphan_institutional")
    client = login(kids_staff.officer)
    url = reverse("children:child_detail", args=[child.pk])
    assert client.post(url, {"form": "grant", "grant-start_month": "2026-06"}).status_code == 302
    assert child.allowances.get().start_month == datetime.date(2026, 6, 1)
    page = login(kids_staff.director_a).get(url).content.decode()
    assert 'id="grant"' not in page


def test_pages_read_right_in_both_languages(kids_staff, areas, standards):
    from django.conf import settings

    register(kids_staff.officer, areas.village_a, category="unsupported", name="双语儿童")
    client = login(kids_staff.officer)
    page = client.get(reverse("children:child_list")).content.decode()
    assert "儿童信息台账" in page
    assert "事实无人抚养儿童" in page
    page = client.get(reverse("home")).content.decode()
    assert "强制报告" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("children:child_list")).content.decode()
    assert "Children&#x27;s registry" in page or "Children's registry" in page
    assert "De-facto unsupported child" in page
