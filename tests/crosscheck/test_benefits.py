"""The cross-check works for every paying app through the benefits registry, knowing none.

A paying app of the test's own (sources.py) registers its allowances the way eldercare's
old-age allowance or a child's allowance do: a confirmed death stops them with relief's dibao
and lists every overpaid month of both; age rules take effect once their program is paid.
"""

from __future__ import annotations

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from civil_affairs import benefits
from civil_affairs.crosscheck import matching, services
from civil_affairs.crosscheck.models import MatchRule, Warning
from civil_affairs.payments.models import Overpayment, Payment
from relief.models import Entitlement
from tests.conftest import login
from tests.factories import PersonFactory
from tests.payments.factories import beneficiary, generate

from .conftest import (
    csv_bytes,
    deaths,
    entitle,
    household_of,
    paid_payrolls,
    ref,
    run,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_in_process")]

JAN, APR, MAY, JUL = (datetime.date(2026, m, 1) for m in (1, 4, 5, 7))
MONTHS = [datetime.date(2026, m, 1) for m in range(1, 7)]  # January to June


def test_a_confirmed_death_stops_dibao_and_another_apps_benefit_and_lists_both(
    staff, areas, paying_app
):
    """The issue's must-show: a person receiving dibao and an allowance of another app dies on
    2026-03-10; both stop from April and April to June of both are to recover."""
    allowances = paying_app("test_allowance")
    member = beneficiary(areas.village_a, "dibao", "620.00", start=JAN)
    household_of(member)
    allowance = allowances.grant(member, "200.00", start=JAN)
    paid_payrolls(staff, MONTHS, ["dibao", "test_allowance"])
    dibao = Entitlement.objects.get(person=member)

    deaths(staff.approver, areas.county, [(member, "2026-03-10")])
    assert run(areas.county).warnings_created == 1
    warning = Warning.objects.get()
    assert warning.evidence["benefits"] == [ref(dibao), allowance]
    page = login(staff.caseworker_a).get(f"/crosscheck/warnings/{warning.pk}/").content.decode()
    case = page.split('id="benefits"')[1].split("</table>")[0]
    assert f'data-ref="{ref(dibao)}"' in case
    assert f'data-ref="{allowance}"' in case
    assert "高龄津贴（测试）" in case
    assert "200.00" in case

    response = login(staff.caseworker_a).post(
        f"/crosscheck/warnings/{warning.pk}/confirm/",
        {"action": "stop", "effective_month": "2026-04", "benefits": [ref(dibao), allowance]},
    )
    assert response.status_code == 302
    dibao.refresh_from_db()
    assert (dibao.status, dibao.end_month) == ("stopped", datetime.date(2026, 3, 1))
    assert allowances.row(allowance) == {
        "status": "stopped",
        "end_month": datetime.date(2026, 3, 1),
    }
    ((_status, actor, _ids, month),) = allowances.calls
    assert (actor, month) == (staff.caseworker_a, APR)
    overpaid = Overpayment.objects.filter(person=member).order_by("program", "month")
    assert [(o.program, o.month, o.amount, o.status) for o in overpaid] == [
        ("dibao", datetime.date(2026, 4, 1), Decimal("620.00"), "to_recover"),
        ("dibao", datetime.date(2026, 5, 1), Decimal("620.00"), "to_recover"),
        ("dibao", datetime.date(2026, 6, 1), Decimal("620.00"), "to_recover"),
        ("test_allowance", datetime.date(2026, 4, 1), Decimal("200.00"), "to_recover"),
        ("test_allowance", datetime.date(2026, 5, 1), Decimal("200.00"), "to_recover"),
        ("test_allowance", datetime.date(2026, 6, 1), Decimal("200.00"), "to_recover"),
    ]
    warning.refresh_from_db()
    assert [(b["ref"], b["action"], b["from"]) for b in warning.outcome["benefits"]] == [
        (ref(dibao), "stop", "2026-04-01"),
        (allowance, "stop", "2026-04-01"),
    ]
    member.refresh_from_db()
    assert member.death_date == datetime.date(2026, 3, 10)
    # the warning's page lists every overpaid month of both
    page = login(staff.caseworker_a).get(f"/crosscheck/warnings/{warning.pk}/").content.decode()
    listed = page.split('id="overpayments"')[1].split("</table>")[0]
    assert re.findall(r"<td>(2026-0\d)</td><td>([^<]*)</td><td>([\d.]+)</td>", listed) == [
        ("2026-04", "最低生活保障", "620.00"),
        ("2026-05", "最低生活保障", "620.00"),
        ("2026-06", "最低生活保障", "620.00"),
        ("2026-04", "高龄津贴（测试）", "200.00"),
        ("2026-05", "高龄津贴（测试）", "200.00"),
        ("2026-06", "高龄津贴（测试）", "200.00"),
    ]
    # and July pays neither
    july = generate(staff.finance, month=JUL, programs=["dibao", "test_allowance"])
    assert not Payment.objects.filter(payroll=july, person=member, month__gte=APR).exists()


def test_an_amount_another_app_sets_by_its_standards_cannot_be_changed_here(
    staff, areas, paying_app, beneficiaries
):
    """The test app registers no change_amount: a cut is refused by name, nothing changes."""
    allowances = paying_app("test_allowance")
    b = beneficiaries
    allowances.grant(b.head_a, "200.00", start=JAN)
    deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10")])
    run(areas.county)
    warning = Warning.objects.get()
    with pytest.raises(ValidationError) as caught:
        services.warnings_confirm(
            actor=staff.caseworker_a,
            warnings=[warning],
            action="change_amount",
            effective_month=APR,
            new_amount=Decimal("100"),
        )
    assert "高龄津贴（测试）" in caught.value.message_dict["action"][0]
    warning.refresh_from_db()
    b.dibao_a.refresh_from_db()
    assert (warning.status, b.dibao_a.status) == ("open", "active")
    assert b.dibao_a.periods.count() == 1


def test_the_api_lists_the_benefits_of_every_app_and_confirms_the_ticked_ones(
    staff, areas, paying_app, beneficiaries
):
    allowances = paying_app("test_allowance")
    b = beneficiaries
    allowance = allowances.grant(b.head_a, "200.00", start=JAN)
    deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10")])
    run(areas.county)
    warning = Warning.objects.get()
    client = login(staff.caseworker_a)
    listed = client.get(f"/api/crosscheck/warnings/{warning.pk}/benefits/").json()
    assert [(x["ref"], x["program"], x["monthly_amount"], x["affected"]) for x in listed] == [
        (ref(b.dibao_a), "dibao", "620.00", True),
        (allowance, "test_allowance", "200.00", True),
    ]
    response = client.post(
        f"/api/crosscheck/warnings/{warning.pk}/confirm/",
        {"action": "suspend", "effective_month": "2026-05", "benefits": [allowance]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    b.dibao_a.refresh_from_db()
    assert b.dibao_a.status == "active"  # not ticked
    assert allowances.row(allowance)["status"] == "suspended"
    # another township's caseworker: not found
    other = login(staff.caseworker_b).get(f"/api/crosscheck/warnings/{warning.pk}/benefits/")
    assert other.status_code == 404


def test_an_age_rule_takes_effect_when_its_program_is_paid(staff, areas, registry, paying_app):
    """Born 1946-05-20: 80 on 2026-05-20. No app pays the old-age allowance: the rule is in
    no effect and the run has no age step; once an app pays it, the run warns once."""
    rule = MatchRule.objects.get(kind="age", age_years=80)
    elder = PersonFactory(
        area=areas.village_a, id_number="430922194605200015", birth_date=datetime.date(1946, 5, 20)
    )
    entitle(elder, "disability_living", "90.00")  # relief pays them, not the allowance
    assert not rule.in_effect
    assert run(areas.county, checks=["age"]).chunks_total == 0

    allowances = paying_app("old_age_allowance")
    allowance = allowances.grant(elder, "100.00", start=JAN)
    assert rule.in_effect
    done = run(areas.county, checks=["age"], as_of=datetime.date(2026, 4, 20))
    assert done.warnings_created == 1
    warning = Warning.objects.get()
    assert (warning.person, warning.rule, warning.evidence_key) == (elder, rule, "age:80")
    assert warning.evidence["benefits"] == [allowance]  # not the disability subsidy
    assert warning.suggested_month == datetime.date(2026, 6, 1)
    assert run(areas.county, checks=["age"]).warnings_created == 0


def test_eighteen_ends_a_childs_allowance_unless_in_full_time_education(staff, areas, paying_app):
    allowances = paying_app("orphan_allowance")
    left_school = PersonFactory(
        area=areas.village_a, id_number="430922200805150013", birth_date=datetime.date(2008, 5, 15)
    )
    in_school = PersonFactory(
        area=areas.village_a, id_number="430922200805100019", birth_date=datetime.date(2008, 5, 10)
    )
    allowances.grant(left_school, "1200.00", start=JAN)
    allowances.grant(in_school, "1200.00", start=JAN, in_school=True)
    run(areas.county, checks=["age"], as_of=datetime.date(2026, 4, 20))
    warning = Warning.objects.get()
    assert (warning.person, warning.evidence_key) == (left_school, "age:18")
    assert (warning.suggested_action, warning.suggested_month) == (
        "stop",
        datetime.date(2026, 6, 1),
    )


def test_a_benefit_of_another_app_in_a_household_reached_by_a_household_wide_rule(
    staff, areas, paying_app, beneficiaries
):
    """The spouse's vehicle suspends the household's dibao; the head's allowance of another
    app is not a program the rule affects."""
    allowances = paying_app("test_allowance")
    b = beneficiaries
    allowances.grant(b.head_a, "200.00", start=JAN)
    upload(
        staff.approver,
        areas.county,
        "vehicle",
        csv_bytes([[b.spouse_a.id_number, "", "200000"]], ["身份证号码", "姓名", "车辆价值"]),
    )
    run(areas.county)
    warning = Warning.objects.get()
    assert (warning.person, warning.subject) == (b.head_a, b.spouse_a)
    assert warning.evidence["benefits"] == [ref(b.dibao_a)]


def test_without_sources_nothing_is_matched_and_nothing_fails(staff, areas, registry):
    registry.clear()
    person = PersonFactory(area=areas.village_a)
    deaths(staff.approver, areas.county, [(person, "2026-03-10")])
    done = run(areas.county)
    assert (done.status, done.warnings_created) == ("done", 0)
    assert matching._beneficiary_ids() == (1, 0)
    assert benefits.open_benefits([person.pk]) == []


# ---- warnings raised before the registry (item 4: the data migration) -----------------------


def _old_warning(rule, person, *, key, evidence, outcome=None, status="open", by=None):
    """A warning as the job wrote them when relief's entitlements were the only benefits."""
    return Warning.objects.create(
        rule=rule,
        kind=rule.kind,
        severity=rule.severity,
        person=person,
        subject=person,
        area=person.area,
        evidence_key=key,
        evidence=evidence,
        suggested_action=rule.suggested_action,
        suggested_month=datetime.date(2026, 5, 1),
        status=status,
        outcome=outcome or {},
        resolved_by=by,
    )


def _migrate(direction: str) -> None:
    migration = importlib.import_module("civil_affairs.crosscheck.migrations.0007_benefit_refs")
    with connection.cursor() as cursor:
        cursor.execute(
            migration.REFS_FORWARD if direction == "forward" else migration.REFS_BACKWARD
        )


def test_warnings_of_entitlement_ids_keep_working_after_the_migration(
    staff, areas, registry, beneficiaries
):
    b = beneficiaries
    extra = entitle(b.head_a, "extreme_poverty", "900.00")
    duplicate = MatchRule.objects.get(kind="duplicate_benefit")
    household = MatchRule.objects.get(kind="duplicate_household")
    dismissed = _old_warning(
        duplicate,
        b.head_a,
        key=f"entitlements:{b.dibao_a.pk},{extra.pk}",
        evidence={
            "entitlements": [b.dibao_a.pk, extra.pk],
            "programs": ["dibao", "extreme_poverty"],
        },
        status="dismissed",
    )
    twice = _old_warning(
        household,
        b.head_b,
        key=f"households:{b.house_a.pk},{b.house_b.pk}",
        evidence={"households": [b.house_a.pk, b.house_b.pk], "entitlements": [b.dibao_b.pk]},
    )
    confirmed = _old_warning(
        MatchRule.objects.get(kind="death", reach="person"),
        b.head_b,
        key="",
        evidence={"entitlements": [b.dibao_b.pk]},
        outcome={
            "entitlements": [
                {
                    "entitlement": b.dibao_b.pk,
                    "program": "dibao",
                    "action": "stop",
                    "from": "2026-04-01",
                    "amount": None,
                }
            ],
            "overpayments": [],
        },
        status="confirmed",
        by=staff.caseworker_b,
    )
    _migrate("forward")
    dismissed.refresh_from_db()
    twice.refresh_from_db()
    confirmed.refresh_from_db()
    assert dismissed.evidence == {
        "benefits": [ref(b.dibao_a), ref(extra)],
        "programs": ["dibao", "extreme_poverty"],
    }
    assert dismissed.evidence_key == f"benefits:{ref(b.dibao_a)},{ref(extra)}"
    assert twice.evidence == {
        "benefits": [ref(b.dibao_b)],
        "households": [f"relief.household:{b.house_a.pk}", f"relief.household:{b.house_b.pk}"],
    }
    assert confirmed.outcome["benefits"] == [
        {
            "ref": ref(b.dibao_b),
            "program": "dibao",
            "action": "stop",
            "from": "2026-04-01",
            "amount": None,
        }
    ]
    # a rerun finds the dismissed one again under its new key: it stays dismissed
    assert run(areas.county, checks=["duplicates"]).warnings_created == 0
    # the confirmed one's page shows what changed
    page = login(staff.approver).get(f"/crosscheck/warnings/{confirmed.pk}/").content.decode()
    changes = page.split('id="changes"')[1].split("</table>")[0]
    assert "最低生活保障" in changes
    assert "2026-04" in changes
    # the open one is confirmed through the registry
    services.warnings_confirm(
        actor=staff.caseworker_b, warnings=[twice], action="suspend", effective_month=MAY
    )
    b.dibao_b.refresh_from_db()
    assert b.dibao_b.status == "suspended"
    # and back
    _migrate("backward")
    dismissed.refresh_from_db()
    assert dismissed.evidence_key == f"entitlements:{b.dibao_a.pk},{extra.pk}"
    assert dismissed.evidence["entitlements"] == [b.dibao_a.pk, extra.pk]
