"""The pages: the queue per area, evidence beside the case, dismissing, uploads, runs."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civil_affairs.crosscheck.models import ExternalList, MatchRun, Warning
from civil_affairs.people.models import AccessLog
from tests.conftest import login
from tests.factories import PersonFactory

from .conftest import DEATH_HEADER, csv_bytes, deaths, entitle, household_of, run, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(staff, areas, beneficiaries):
    b = beneficiaries
    deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10"), (b.head_b, "2026-03-12")])
    run(areas.county)
    return beneficiaries


def test_a_caseworker_sees_only_warnings_of_their_own_area(staff, raised):
    page = login(staff.caseworker_a).get("/crosscheck/warnings/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲户主" in text
    assert "乙户主" not in text
    assert raised.head_a.masked_id_number in text
    assert raised.head_a.id_number not in text  # masked in lists
    other = Warning.objects.get(person=raised.head_b)
    assert login(staff.caseworker_a).get(f"/crosscheck/warnings/{other.pk}/").status_code == 404
    assert "乙户主" in login(staff.caseworker_b).get("/crosscheck/warnings/").content.decode()
    county = login(staff.approver).get("/crosscheck/warnings/").content.decode()
    assert "甲户主" in county
    assert "乙户主" in county


def test_queue_filters_by_kind_severity_age_and_status(staff, raised):
    client = login(staff.approver)
    assert "甲户主" in client.get("/crosscheck/warnings/?kind=death&severity=high").content.decode()
    assert "甲户主" not in client.get("/crosscheck/warnings/?kind=vehicle").content.decode()
    assert "甲户主" not in client.get("/crosscheck/warnings/?severity=low").content.decode()
    assert "甲户主" not in client.get("/crosscheck/warnings/?min_age_days=3").content.decode()
    Warning.objects.update(created_at=timezone.now() - datetime.timedelta(days=5))
    assert "甲户主" in client.get("/crosscheck/warnings/?min_age_days=3").content.decode()
    assert "甲户主" not in client.get("/crosscheck/warnings/?status=dismissed").content.decode()
    assert "甲户主" in client.get("/crosscheck/warnings/?area=430922100").content.decode()
    assert "乙户主" not in client.get("/crosscheck/warnings/?area=430922100").content.decode()
    assert "甲户主" in client.get("/crosscheck/warnings/?q=甲户").content.decode()


def test_the_detail_shows_the_evidence_beside_the_case(staff, raised):
    warning = Warning.objects.get(person=raised.head_a)
    page = login(staff.caseworker_a).get(f"/crosscheck/warnings/{warning.pk}/")
    text = page.content.decode()
    assert 'id="evidence"' in text
    assert 'id="case"' in text
    assert "县公安局" in text  # the department
    assert "2026-03-10" in text  # the date of death
    assert "620.00" in text  # the dibao amount on the case side
    assert "甲配偶" in text  # the household
    assert 'id="confirm-form"' in text
    assert 'id="dismiss-form"' in text
    assert 'value="2026-04"' in text  # the suggested month preset
    # a reviewer may look but not resolve
    reviewer = login(staff.reviewer_a).get(f"/crosscheck/warnings/{warning.pk}/").content.decode()
    assert 'id="confirm-form"' not in reviewer


def test_dismissing_needs_a_reason(staff, raised):
    warning = Warning.objects.get(person=raised.head_a)
    client = login(staff.caseworker_a)
    response = client.post(f"/crosscheck/warnings/{warning.pk}/dismiss/", {"reason": ""})
    assert response.status_code == 400
    assert 'data-field="reason"' in response.content.decode()
    warning.refresh_from_db()
    assert warning.status == "open"
    response = client.post(
        f"/crosscheck/warnings/{warning.pk}/dismiss/", {"reason": "身份证号登记错误，本人健在"}
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert (warning.status, warning.resolved_by) == ("dismissed", staff.caseworker_a)
    page = client.get(f"/crosscheck/warnings/{warning.pk}/").content.decode()
    assert "身份证号登记错误，本人健在" in page
    assert 'id="dismiss-form"' not in page


def test_another_townships_caseworker_cannot_resolve(staff, raised):
    warning = Warning.objects.get(person=raised.head_a)
    response = login(staff.caseworker_b).post(
        f"/crosscheck/warnings/{warning.pk}/dismiss/", {"reason": "x"}
    )
    assert response.status_code == 404
    response = login(staff.reviewer_a).post(
        f"/crosscheck/warnings/{warning.pk}/dismiss/", {"reason": "x"}
    )
    assert response.status_code == 403
    warning.refresh_from_db()
    assert warning.status == "open"


def test_bulk_resolve_requires_identical_evidence(staff, raised):
    ids = list(Warning.objects.values_list("pk", flat=True))
    client = login(staff.approver)
    response = client.post(
        "/crosscheck/warnings/bulk/", {"ids": ids, "decision": "dismiss", "reason": "误报"}
    )
    assert response.status_code == 302
    assert Warning.objects.filter(status="open").count() == 2  # two different records
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["只有证据相同（同一规则、同一条记录）的预警才能一并处理。"]


def test_bulk_resolve_goes_back_only_to_this_site(staff, raised):
    ids = list(Warning.objects.values_list("pk", flat=True))
    client = login(staff.approver)
    form = {"ids": ids[:1], "decision": "dismiss", "reason": "误报"}
    response = client.post("/crosscheck/warnings/bulk/", {**form, "next": "https://evil.example/"})
    assert response["Location"] == "/crosscheck/warnings/"
    response = client.post(
        "/crosscheck/warnings/bulk/", {**form, "next": "/crosscheck/warnings/?q=x"}
    )
    assert response["Location"] == "/crosscheck/warnings/?q=x"


def test_upload_page_loads_a_list_and_shows_rejected_rows(staff, areas, beneficiaries):
    client = login(staff.approver)
    page = client.get("/crosscheck/lists/upload/?kind=vehicle")
    assert page.status_code == 200
    assert "车辆价值" in page.content.decode()  # the usual heading, preset
    data = csv_bytes(
        [
            [beneficiaries.head_a.id_number, "甲户主", "2026-03-10", ""],
            ["110105194912310021", "坏", "2026-03-10", ""],
        ],
        DEATH_HEADER,
    )
    form = {
        "kind": "death",
        "area": areas.county.pk,
        "valid_on": "2026-03-31",
        "source": "县民政局殡葬管理所",
        "delimiter": ",",
        "col_id_number": "身份证号码",
        "col_name": "姓名",
        "col_event_date": "死亡日期",
        "col_detail": "",
        "file": SimpleUploadedFile("deaths.csv", data),
    }
    response = client.post("/crosscheck/lists/upload/", form)
    assert response.status_code == 302
    lst = ExternalList.objects.get()
    assert response["Location"] == f"/crosscheck/lists/{lst.pk}/"
    from civil_affairs.crosscheck.loading import list_load

    list_load(external_list=lst)  # what the worker does
    text = client.get(f"/crosscheck/lists/{lst.pk}/").content.decode()
    assert 'id="rejected"' in text
    assert "<td>3</td>" in text  # row 3 of the file
    fragment = client.get(f"/crosscheck/lists/{lst.pk}/progress/").content.decode()
    assert "100%" in fragment
    assert "hx-trigger" not in fragment  # done: no more polling
    csv_response = client.get(f"/crosscheck/lists/{lst.pk}/rejected.csv")
    body = b"".join(csv_response.streaming_content).decode()
    assert "110105194912310021" in body
    assert AccessLog.objects.filter(user=staff.approver, action="export").exists()


def test_upload_page_names_a_missing_column(staff, areas):
    data = csv_bytes([["11010519491231002X", "张三"]], ["身份证号码", "姓名"])
    form = {
        "kind": "death",
        "area": areas.county.pk,
        "valid_on": "2026-03-31",
        "source": "公安局",
        "delimiter": ",",
        "col_id_number": "身份证号码",
        "col_name": "姓名",
        "col_event_date": "死亡时间",
        "col_detail": "",
        "file": SimpleUploadedFile("deaths.csv", data),
    }
    response = login(staff.approver).post("/crosscheck/lists/upload/", form)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-field="col_event_date"' in text
    assert "死亡时间" in text
    assert ExternalList.objects.count() == 0


def test_the_progress_fragment_polls_while_loading(staff, areas):
    from .conftest import upload

    lst = upload(staff.approver, areas.county, "death", csv_bytes([], DEATH_HEADER), load=False)
    ExternalList.objects.filter(pk=lst.pk).update(status="loading", progress=40)
    fragment = login(staff.approver).get(f"/crosscheck/lists/{lst.pk}/progress/").content.decode()
    assert "40%" in fragment
    assert 'hx-trigger="every 1s"' in fragment


def test_caseworkers_cannot_open_upload_lists_or_runs(staff):
    client = login(staff.caseworker_a)
    assert client.get("/crosscheck/lists/upload/").status_code == 403
    assert client.get("/crosscheck/lists/").status_code == 403
    assert client.get("/crosscheck/runs/").status_code == 403


def test_run_page_starts_a_run_and_shows_its_progress(staff, areas):
    client = login(staff.approver)
    page = client.get("/crosscheck/runs/")
    assert 'id="run-form"' in page.content.decode()
    response = client.post(
        "/crosscheck/runs/",
        {"area": areas.county.pk, "checks": ["lists", "duplicates"], "as_of": "2026-04-20"},
    )
    assert response.status_code == 302
    record = MatchRun.objects.get()
    assert record.checks == ["lists", "duplicates"]
    assert record.started_by == staff.approver
    fragment = client.get(f"/crosscheck/runs/{record.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    # a reviewer sees runs but cannot start one
    reviewer = login(staff.reviewer_a).get("/crosscheck/runs/").content.decode()
    assert 'id="run-form"' not in reviewer


def test_home_panel_flags_overdue_warnings_for_supervisors(staff, raised):
    Warning.objects.filter(person=raised.head_a).update(
        created_at=timezone.now() - datetime.timedelta(days=8)  # the death rule allows 7
    )
    home = login(staff.reviewer_a).get("/").content.decode()
    assert 'id="overdue-warnings"' in home
    assert "花果山村" in home
    assert 'id="overdue-warnings"' not in login(staff.reviewer_b).get("/").content.decode()
    caseworker = login(staff.caseworker_a).get("/").content.decode()
    assert 'id="crosscheck-panel"' in caseworker
    assert 'id="overdue-warnings"' not in caseworker
    overdue = login(staff.reviewer_a).get("/crosscheck/warnings/?overdue=on").content.decode()
    assert "甲户主" in overdue


def test_pages_are_in_chinese(staff, raised):
    text = login(staff.approver).get("/crosscheck/warnings/").content.decode()
    assert "预警" in text
    assert "Warnings" not in text


def test_every_page_speaks_chinese(staff, raised):
    client = login(staff.approver)
    warning = Warning.objects.get(person=raised.head_a)
    lst = ExternalList.objects.get()
    pages = {
        "/crosscheck/warnings/": ["预警", "筛选", "严重程度"],
        f"/crosscheck/warnings/{warning.pk}/": ["证据", "案件", "确认预警", "排除预警"],
        "/crosscheck/lists/upload/": ["上传外部名单", "列对应关系", "死亡日期"],
        "/crosscheck/lists/": ["比对数据", "死亡与火化"],  # the project catalogue names it
        f"/crosscheck/lists/{lst.pk}/": ["退回行", "已导入"],
        "/crosscheck/runs/": ["比对任务", "发起比对"],
    }
    for url, words in pages.items():
        text = client.get(url).content.decode()
        for word in words:
            assert word in text, (url, word)


def test_a_household_outside_the_users_areas_is_named_but_its_members_are_not(staff, areas):
    """Paid in township A, living in a household registered in B: A's caseworker sees the
    warned person's benefits, not who else lives in B's household; the county sees both."""
    head = PersonFactory(area=areas.village_b, name="丙户主")
    spouse = PersonFactory(area=areas.village_b, name="丙配偶")
    house = household_of(head, spouse)
    entitle(head, "dibao", "530.00", household=house, area=areas.village_a)
    deaths(staff.approver, areas.county, [(head, "2026-03-10")])
    run(areas.county)
    warning = Warning.objects.get(person=head, rule__reach="person")
    page = login(staff.caseworker_a).get(f"/crosscheck/warnings/{warning.pk}/").content.decode()
    assert "530.00" in page
    assert "丙配偶" not in page
    assert "不在您的辖区内" in page
    county = login(staff.approver).get(f"/crosscheck/warnings/{warning.pk}/").content.decode()
    assert "丙配偶" in county
    assert "不在您的辖区内" not in county


def test_an_application_at_its_cross_check_shows_what_the_lists_say(staff, areas):
    """The case step "cross-check" of relief's applications: the page lists the rows of
    loaded lists that name a member of the household (and nothing before the request)."""
    from relief import services as relief

    head = PersonFactory(area=areas.village_a, name="丁户主")
    spouse = PersonFactory(area=areas.village_a, name="丁配偶")
    house = household_of(head, spouse)
    stranger = PersonFactory(area=areas.village_a, name="路人")
    worker = staff.caseworker_a
    application = relief.application_create(
        actor=worker,
        household=house,
        person_id=head.pk,
        program="dibao",
        applied_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    upload(
        staff.approver,
        areas.county,
        "vehicle",
        csv_bytes(
            [[spouse.id_number, "丁配偶", "86000", "湘H12345"], [stranger.id_number, "", "1", ""]],
            ["身份证号码", "姓名", "车辆价值", "号牌号码"],
        ),
    )
    url = f"/relief/applications/{application.pk}/"
    assert 'id="crosscheck-hits"' not in login(worker).get(url).content.decode()
    relief.application_accept(actor=worker, application=application, finance_check_authorised=True)
    relief.application_record_visit(
        actor=worker,
        application=application,
        visited_on=application.applied_on,
        visitors="张敏",
        findings="属实",
    )
    relief.application_request_crosscheck(actor=worker, application=application)
    page = login(worker).get(url).content.decode()
    assert 'id="crosscheck-hits"' in page
    panel = page.split('id="crosscheck-hits"')[1].split("</table>")[0]
    assert "丁配偶" in panel
    assert "车辆价值: 86000" in panel
    assert "县公安局" in panel
    assert "路人" not in panel
