"""The admin: the rule table and thresholds through the services; the monthly schedule."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask

from civil_affairs.crosscheck.models import MatchRule, Threshold
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(staff):
    staff.admin.is_staff = True
    staff.admin.save()
    return login(staff.admin)


def _rule_form(rule, **changes):
    data = {
        "kind": rule.kind,
        "name": rule.name,
        "programs": ",".join(rule.programs),
        "severity": rule.severity,
        "suggested_action": rule.suggested_action,
        "reach": rule.reach,
        "threshold_name": rule.threshold_name,
        "age_years": rule.age_years or "",
        "unless_fact": rule.unless_fact,
        "effective_basis": rule.effective_basis,
        "escalate_after_days": rule.escalate_after_days,
        "active": "on" if rule.active else "",
        "description": rule.description,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_default_rules_are_data(db, registry):
    death = MatchRule.objects.get(kind="death", reach="person")
    assert (death.suggested_action, death.severity, death.programs) == ("stop", "high", [])
    vehicle = MatchRule.objects.get(kind="vehicle")
    assert (vehicle.reach, vehicle.threshold_name, vehicle.suggested_action) == (
        "household",
        "vehicle_value",
        "suspend",
    )
    assert MatchRule.objects.get(kind="pension").threshold_name == "standard:dibao"
    # the age rules are active, but no app pays their programs here: they match no one
    ages = MatchRule.objects.filter(kind="age").order_by("age_years")
    assert [(r.age_years, r.active, r.in_effect) for r in ages] == [
        (18, True, False),
        (80, True, False),
        (90, True, False),
        (100, True, False),
    ]
    assert ages[0].unless_fact == "in_full_time_education"


def test_admin_changes_a_rule_and_history_records_who(staff, admin_client):
    rule = MatchRule.objects.get(kind="company")
    url = f"/admin/crosscheck/matchrule/{rule.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _rule_form(rule, severity="high", escalate_after_days=10))
    assert response.status_code == 302, response.content.decode()[:3000]
    rule.refresh_from_db()
    assert (rule.severity, rule.escalate_after_days) == ("high", 10)
    assert rule.history.first().history_user == staff.admin


def test_the_rule_page_says_a_rule_on_unpaid_programs_is_not_in_effect(admin_client, registry):
    rule = MatchRule.objects.get(kind="age", age_years=80)
    url = f"/admin/crosscheck/matchrule/{rule.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "没有应用发放 old_age_allowance" in page  # no app pays it yet
    listing = admin_client.get("/admin/crosscheck/matchrule/").content.decode()
    assert "icon-no.svg" in listing.split(rule.name)[1].split("</tr>")[0]
    # a program relief pays: in effect
    response = admin_client.post(url, _rule_form(rule, programs="disability_living"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.programs, rule.in_effect) == (["disability_living"], True)
    assert "是。" in admin_client.get(url).content.decode()


def test_admin_refuses_a_malformed_program_code_and_a_threshold_that_is_not_one(admin_client):
    rule = MatchRule.objects.get(kind="pension")
    url = f"/admin/crosscheck/matchrule/{rule.pk}/change/"
    response = admin_client.post(url, _rule_form(rule, programs="dibao,Old Age"))
    assert response.status_code == 200
    assert "Old Age" in response.content.decode()
    response = admin_client.post(url, _rule_form(rule, threshold_name="standard:no_such_kind"))
    assert response.status_code == 200
    rule.refresh_from_db()
    assert (rule.programs, rule.threshold_name) == (["dibao", "extreme_poverty"], "standard:dibao")
    response = admin_client.post(url, _rule_form(rule, threshold_name="pension_monthly"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold_name == "pension_monthly"


def test_thresholds_are_entered_in_the_admin_without_overlaps(areas, admin_client):
    url = "/admin/crosscheck/threshold/add/"
    form = {
        "name": "vehicle_value",
        "area": areas.county.pk,
        "valid_from": "2026-01-01",
        "amount": "50000.00",
    }
    assert admin_client.post(url, form).status_code == 302
    response = admin_client.post(url, {**form, "valid_from": "2026-06-01", "amount": "60000.00"})
    assert response.status_code == 200  # overlaps the open-ended row
    assert Threshold.objects.count() == 1


def test_a_caseworker_cannot_change_rules(staff):
    staff.caseworker_a.is_staff = True
    staff.caseworker_a.save()
    rule = MatchRule.objects.get(kind="company")
    response = login(staff.caseworker_a).get(f"/admin/crosscheck/matchrule/{rule.pk}/change/")
    assert response.status_code == 403


def test_the_monthly_schedule_runs_before_payroll_and_is_editable(staff, admin_client):
    task = PeriodicTask.objects.get(task="crosscheck.monthly")
    assert task.enabled
    assert (task.crontab.day_of_month, task.crontab.hour) == ("20", "2")
    from civil_affairs.celery import app

    app.loader.import_default_modules()
    assert "crosscheck.monthly" in app.tasks
    assert (
        admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").status_code
        == 200
    )


def test_the_monthly_task_starts_a_run_per_county(areas):
    from civil_affairs.crosscheck.models import MatchRun
    from civil_affairs.crosscheck.tasks import monthly_task

    runs = monthly_task.run()
    assert list(MatchRun.objects.values_list("pk", "area__code", "started_by")) == [
        (runs[0], "430922", None)
    ]


def test_the_monthly_task_skips_a_county_whose_run_is_still_going(areas):
    from civil_affairs.crosscheck.models import MatchRun
    from civil_affairs.crosscheck.tasks import monthly_task

    MatchRun.objects.create(
        area=areas.county, as_of=areas.county.created_at.date(), checks=["lists"]
    )
    assert monthly_task.run() == []
    assert MatchRun.objects.count() == 1
