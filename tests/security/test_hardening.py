"""Issue 14's items one by one: county-wide settings, the access log, what messages and pages
reveal, redirects, the schema's login, the CSP and the session, format suffixes and the
server errors that were seen."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from civil_affairs.areas.models import Area
from civil_affairs.core.idgen import make_id_number
from civil_affairs.crosscheck import services as crosscheck_services
from civil_affairs.crosscheck.models import ColumnMapping, ExternalList, MatchRule, MatchRun
from civil_affairs.people import services as people_services
from civil_affairs.people.models import AccessLog, Person
from civil_affairs.standards.models import Standard
from relief.models import HouseholdMember

from .conftest import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(seeded: list[Any]) -> dict[str, Any]:
    return {u.username: u for u in seeded}


def _in(code: str, model: Any = Person, lookup: str = "area__code__startswith") -> Any:
    return model.objects.filter(**{lookup: code}).order_by("pk").first()


# ---- 2: county-wide settings, the access log, "not in your areas", the certificate


def test_a_township_administrator_cannot_change_county_wide_settings(users):
    township, county = client_of(users["admin_b"]), client_of(users["admin"])
    rule = MatchRule.objects.filter(active=True).order_by("pk").first()
    task = PeriodicTask.objects.filter(enabled=True).order_by("pk").first()
    assert rule is not None
    assert task is not None
    page = f"/admin/crosscheck/matchrule/{rule.pk}/change/"
    assert township.get(page).status_code == 200  # may read it
    assert 'name="_save"' not in township.get(page).content.decode()
    assert township.post(page, {"name": rule.name, "kind": rule.kind}).status_code == 403
    task_page = f"/admin/django_celery_beat/periodictask/{task.pk}/change/"
    assert township.post(task_page, {"name": "x"}).status_code == 403
    township.post(  # beat's own list action, which declares no permission
        "/admin/django_celery_beat/periodictask/",
        {"action": "disable_tasks", "_selected_action": [task.pk]},
    )
    rule.refresh_from_db()
    task.refresh_from_db()
    assert rule.active
    assert task.enabled
    with pytest.raises(PermissionDenied):
        crosscheck_services.rule_save(actor=users["admin_b"], rule=rule)
    with pytest.raises(PermissionDenied):
        crosscheck_services.mapping_save(actor=users["admin_b"], kind="death", columns={})
    # the county's administrator may
    assert 'name="_save"' in county.get(page).content.decode()
    assert 'name="_save"' in county.get(task_page).content.decode()
    crosscheck_services.mapping_save(actor=users["admin"], kind="death", columns={})
    assert ColumnMapping.objects.filter(kind="death", updated_by=users["admin"]).exists()


def test_the_countys_standards_are_out_of_a_township_administrators_reach(users):
    standard = Standard.objects.filter(area__code="430922").order_by("pk").first()
    client = client_of(users["admin_b"])
    response = client.post(f"/admin/standards/standard/{standard.pk}/change/", {"value": "1"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    listing = client.get("/admin/standards/standard/").content.decode()
    assert f"/admin/standards/standard/{standard.pk}/change/" not in listing
    before = standard.value
    standard.refresh_from_db()
    assert standard.value == before


def test_the_access_log_is_scoped_by_the_persons_area(users):
    person_a, person_b = _in("430922100"), _in("430922101")
    people_services.person_reveal_id(actor=users["admin"], person=person_a)
    people_services.person_reveal_id(actor=users["admin"], person=person_b)
    people_services.export_logged(actor=users["admin"], what="people.csv", rows=5)
    township = client_of(users["admin_b"]).get("/admin/people/accesslog/").content.decode()
    assert person_b.name in township
    assert person_a.name not in township
    assert "people.csv" not in township  # exports name no person: county-wide rows
    county = client_of(users["admin"]).get("/admin/people/accesslog/").content.decode()
    assert person_a.name in county
    assert "people.csv" in county
    outside = AccessLog.objects.get(person=person_a)
    assert client_of(users["admin_b"]).get(
        f"/admin/people/accesslog/{outside.pk}/change/"
    ).status_code in (302, 404)


def test_an_id_number_registered_in_another_township_says_only_not_in_your_areas(users):
    person_a = _in("430922100")
    village_b = Area.objects.get(code="430922101201")
    response = client_of(users["caseworker_b"]).post(
        "/api/people/",
        {"id_number": person_a.id_number, "name": "某人", "area": village_b.code},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"id_number": ["不在您的辖区。"]}
    mine = _in("430922101")
    response = client_of(users["caseworker_b"]).post(
        "/api/people/",
        {"id_number": mine.id_number, "name": "某人", "area": village_b.code},
        content_type="application/json",
    )
    assert response.json() == {"id_number": ["该身份证号码的人员已登记。"]}


def test_the_disability_certificate_is_masked_in_the_api(users):
    member = HouseholdMember.objects.exclude(disability_certificate="").order_by("pk").first()
    assert member is not None, "the demo has a disabled member"
    body = client_of(users["admin"]).get("/api/relief/households/").content.decode()
    certificate = member.disability_certificate
    assert certificate not in body
    assert member.person.id_number not in body
    assert f"{certificate[:6]}********{certificate[14:]}" in body


# ---- 4: redirects, the schema's login, the CSP, the session


def test_next_goes_only_to_this_site(users):
    from civil_affairs.payments.models import Payment

    payment = Payment.objects.filter(status="pending").order_by("pk").first()
    assert payment is not None
    client = client_of(users["finance"])
    for url in (f"/payments/rows/{payment.pk}/hold/", f"/payments/rows/{payment.pk}/release/"):
        response = client.post(url, {"reason": "核实", "next": "https://evil.example/x"})
        assert response.status_code == 302
        assert response["Location"] == f"/payments/{payment.payroll_id}/rows/"
        response = client.post(url, {"reason": "核实", "next": "//evil.example/x"})
        assert "evil" not in response["Location"]
    bulk = client_of(users["caseworker_a"]).post(
        "/crosscheck/warnings/bulk/", {"next": "https://evil.example/"}
    )
    assert bulk["Location"] == "/crosscheck/warnings/"
    kept = client.post(
        f"/payments/rows/{payment.pk}/release/", {"next": f"/payments/{payment.payroll_id}/"}
    )
    assert kept["Location"] == f"/payments/{payment.payroll_id}/"


def test_the_schema_and_its_page_need_a_login(users):
    anonymous = Client()
    assert anonymous.get("/api/schema/").status_code in (401, 403)
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/login/")
    assert b"/api/people/" in client_of(users["caseworker_a"]).get("/api/schema/").content


def test_every_answer_carries_the_content_security_policy(users):
    client = client_of(users["caseworker_a"])
    for url in ("/", "/people/", "/admin/", "/api/people/", "/api/docs/", "/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy.split("style-src-attr")[0]
        assert "object-src 'none'" in policy


def test_a_session_lasts_a_working_day_and_ends_with_the_browser(users):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client = Client()
    users["caseworker_a"].set_password("pw")
    users["caseworker_a"].save()
    response = client.post("/login/", {"username": "caseworker_a", "password": "pw"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""  # a browser-session cookie
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 8 * 60 * 60


# ---- 5 and 7: format suffixes, the server errors that were seen


def test_format_suffix_routes_are_gone(users):
    client = client_of(users["admin"])
    person = _in("430922100")
    assert client.post(f"/api/people/{person.pk}/reveal.json/").status_code == 404
    assert client.get("/api/ledger/balances.json/").status_code == 404
    assert client.get("/api/ledger/balances/").status_code == 200
    assert not AccessLog.objects.filter(action="view_id").exists()


def test_a_death_date_is_taken_by_the_admin_and_the_api(users):
    village = Area.objects.get(code="430922100201")
    client = client_of(users["caseworker_a"])
    response = client.post(
        "/admin/people/person/add/",
        {
            "id_number": "11010519491231002X",
            "name": "王某",
            "area": village.pk,
            "death_date": "2026-01-05",
        },
    )
    assert response.status_code == 302
    assert str(Person.objects.get(id_number="11010519491231002X").death_date) == "2026-01-05"
    response = client.post(
        "/api/people/",
        {
            "id_number": make_id_number("430922", datetime.date(1950, 2, 3), 91),
            "name": "李某",
            "area": village.code,
            "death_date": "2026-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["death_date"] == "2026-02-01"
    # a date of death in the future, or before the birth, is refused by name
    person = Person.objects.get(pk=response.json()["id"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for day, message in ((tomorrow, "晚于今天"), (datetime.date(1950, 2, 2), "早于出生日期")):
        response = client.patch(
            f"/api/people/{person.pk}/",
            {"death_date": day.isoformat()},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert message in " ".join(response.json()["death_date"])
    person.refresh_from_db()
    assert person.death_date == datetime.date(2026, 2, 1)


def test_a_json_list_sent_to_an_application_step_is_bad_input(users):
    from relief.models import Application

    application = _in("430922100", Application, "household__area__code__startswith")
    response = client_of(users["caseworker_a"]).post(
        f"/api/relief/applications/{application.pk}/accept/", [], content_type="application/json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/people/?q=%00",
        "/relief/?q=%00",
        "/relief/entitlements/?status=%00",
        "/payments/overpayments/?status=%00",
        "/crosscheck/warnings/?q=%00",
        "/api/people/?q=%00",
        "/api/relief/households/?q=%00",
        "/api/relief/entitlements/?program=%00",
        "/api/overpayments/?status=%00",
        "/admin/people/person/?q=%00",
    ],
)
def test_a_nul_byte_in_a_parameter_is_bad_input(users, url):
    response = client_of(users["admin"]).get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_byte_in_a_form_or_a_json_body_is_bad_input(users):
    client = client_of(users["caseworker_a"])
    village = Area.objects.get(code="430922100201")
    page = client.post("/people/new/", {"name": "a\x00b", "area": village.pk})
    assert page.status_code == 400
    api = client.post(
        "/api/people/",
        {"id_number": "11010519491231002X", "name": "a\x00b", "area": village.code},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "name" in api.json()
    assert not Person.objects.filter(id_number="11010519491231002X").exists()


# ---- 8: 404, never 403, outside the user's areas


def test_admin_delete_and_history_pages_and_crosscheck_pages_answer_404_outside(users):
    person_a = _in("430922100")
    for name in ("caseworker_b", "admin_b", "reviewer_b"):
        client = client_of(users[name])
        assert client.get(f"/admin/people/person/{person_a.pk}/delete/").status_code == 404
        assert client.post(f"/admin/people/person/{person_a.pk}/delete/").status_code == 404
        assert client.get(f"/admin/people/person/{person_a.pk}/history/").status_code == 404
    external = ExternalList.objects.order_by("pk").first()  # the county's lists
    run = MatchRun.objects.order_by("pk").first()
    client = client_of(users["caseworker_b"])
    for url in (
        f"/crosscheck/lists/{external.pk}/",
        f"/crosscheck/lists/{external.pk}/rejected.csv",
        f"/crosscheck/runs/{run.pk}/",
        f"/api/crosscheck/lists/{external.pk}/",
        f"/api/crosscheck/runs/{run.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/crosscheck/lists/").status_code == 403  # the role, not an object
    # the county approver sees them; a township reviewer's own-area object stays 403 only
    # for a role that may not act
    assert client_of(users["approver"]).get(f"/crosscheck/runs/{run.pk}/").status_code == 200
    assert person_a.pk  # (the person was never changed or deleted)
    assert Person.objects.filter(pk=person_a.pk).exists()


# ---- 9: edit pages never show a whole ID number, account or certificate


def test_edit_pages_show_numbers_masked_and_keep_them(users):
    from relief.models import Household

    member = HouseholdMember.objects.exclude(disability_certificate="").order_by("pk").first()
    household = member.household
    person = member.person
    Person.objects.filter(pk=person.pk).update(bank_account="6222020200112233445")
    worker = "caseworker_a" if household.area.code.startswith("430922100") else "caseworker_b"
    client = client_of(users[worker])

    page = client.get(f"/relief/households/{household.pk}/edit/").content.decode()
    numbers = [m.person.id_number for m in household.members.select_related("person")]
    assert all(number not in page for number in numbers)
    assert person.masked_id_number in page
    assert member.disability_certificate not in page
    # saving the page as it is keeps every member, number and certificate
    from relief.forms import member_initial

    rows = member_initial(household)
    data: dict[str, Any] = {
        "area": household.area.pk,
        "address": household.address,
        "registered_type": household.registered_type,
        "category": household.category,
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": str(len(rows)),
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key.startswith("known_") or key == "id_number":
                continue  # the ID number is not posted back (a disabled field)
            data[f"members-{index}-{key}"] = "" if value is None else value
    response = client.post(f"/relief/households/{household.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.disability_certificate.endswith(member.disability_certificate[-2:])
    assert member.disability_certificate.startswith(person.id_number)
    kept = Household.objects.get(pk=household.pk).members.all()
    assert sorted(m.person.id_number for m in kept) == sorted(numbers)

    # the person's edit page: the account masked, an empty field keeps it, a new one replaces it
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert "6222020200112233445" not in page
    assert "****3445" in page
    form = {
        "name": person.name,
        "area": person.area.pk,
        "bank_name": "农商银行",
        "bank_account": "",
    }
    assert client.post(f"/people/{person.pk}/edit/", form).status_code == 302
    person.refresh_from_db()
    assert person.bank_account == "6222020200112233445"
    form["bank_account"] = "6222 0202 0011 9999"
    client.post(f"/people/{person.pk}/edit/", form)
    person.refresh_from_db()
    assert person.bank_account == "6222020200119999"

    # the admin's change page and its history
    admin_page = client_of(users["admin"]).get(f"/admin/people/person/{person.pk}/change/")
    text = admin_page.content.decode()
    assert "6222020200119999" not in text
    assert "****9999" in text
    history = client_of(users["admin"]).get(f"/admin/people/person/{person.pk}/history/")
    assert "6222020200119999" not in history.content.decode()
    assert "6222020200112233445" not in history.content.decode()
