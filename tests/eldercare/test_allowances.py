"""The old-age allowance: tiers from the ID birth date and the standards, enrolment's first
month, the payroll paying each month's tier, and a confirmed death stopping it with dibao."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs import benefits
from civil_affairs.crosscheck.models import Warning
from civil_affairs.payments.models import Overpayment, Payment
from civil_affairs.standards.models import Standard
from eldercare import services
from eldercare.models import OldAgeAllowance
from eldercare.standards import Kind
from tests.conftest import login
from tests.crosscheck.conftest import (  # noqa: F401 - fixtures
    _default_rules,
    celery_in_process,
    deaths,
    entitle,
    household_of,
    paid_payrolls,
    ref,
    run,
)
from tests.factories import PersonFactory
from tests.payments.factories import generate

from .conftest import id_number

pytestmark = pytest.mark.django_db

BORN = datetime.date(1946, 5, 20)


def month(m: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, m, 1)


def elder(areas, born=BORN, **kw):
    return PersonFactory(
        area=areas.village_a,
        id_number=id_number(born),
        birth_date=born,
        bank_name="农商银行",
        bank_account="6217000011112222",
        **kw,
    )


def owed(month_):
    """What the payroll provider owes, per (person, month): the provider's own SQL."""
    from django.db import connection

    from eldercare.payroll import rows_sql

    sql, params = rows_sql(month_)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT person_id, month, amount FROM ({sql}) r ORDER BY month", params)  # noqa: S608
        return [(m, a) for _p, m, a in cursor.fetchall()]


def test_born_1946_05_20_enters_the_80_tier_the_month_after_the_birthday(
    officers, areas, standards
):
    person = elder(areas)
    allowance = services.allowance_enrol(
        actor=officers.caseworker_a, person=person, applied_on=datetime.date(2026, 5, 22)
    )
    assert allowance.first_month == month(6)  # the standards say: the month after
    assert services.tier_in(person, areas.village_a, month(5)) is None
    tier = services.tier_in(person, areas.village_a, month(6))
    assert (tier.variant, tier.amount) == ("80", Decimal("100.00"))
    assert owed(month(8)) == [
        (month(6), Decimal("100.00")),
        (month(7), Decimal("100.00")),
        (month(8), Decimal("100.00")),
    ]


def test_the_tier_start_is_a_standard_the_birthday_month_itself(officers, areas, standards):
    standards[(Kind.TIER_START, "")].value = Decimal("0")
    standards[(Kind.TIER_START, "")].save()
    person = elder(areas)
    allowance = services.allowance_enrol(
        actor=officers.eldercare, person=person, applied_on=datetime.date(2026, 5, 3)
    )
    assert allowance.first_month == month(5)
    assert owed(month(5)) == [(month(5), Decimal("100.00"))]


@pytest.mark.usefixtures("celery_in_process")
def test_the_payroll_pays_the_tier_and_moves_to_the_next_on_the_90th_birthday(
    officers, areas, standards
):
    nearly_90 = elder(areas, born=datetime.date(1936, 7, 2))
    services.allowance_enrol(
        actor=officers.caseworker_a, person=nearly_90, applied_on=datetime.date(2026, 5, 10)
    )
    assert owed(month(9)) == [
        (month(5), Decimal("100.00")),
        (month(6), Decimal("100.00")),
        (month(7), Decimal("100.00")),  # 90 in July: the 90 tier from August
        (month(8), Decimal("200.00")),
        (month(9), Decimal("200.00")),
    ]
    payroll = generate(officers.finance, month=month(8), programs=["old_age_allowance"])
    rows = Payment.objects.filter(payroll=payroll, person=nearly_90).order_by("month")
    assert [(p.month, p.amount) for p in rows] == [
        (month(5), Decimal("100.00")),
        (month(6), Decimal("100.00")),
        (month(7), Decimal("100.00")),
        (month(8), Decimal("200.00")),
    ]


def test_a_raise_in_the_standards_counts_from_its_month(officers, areas, standards):
    person = elder(areas, born=datetime.date(1940, 1, 15))
    services.allowance_enrol(
        actor=officers.caseworker_a, person=person, applied_on=datetime.date(2026, 1, 20)
    )
    Standard.objects.filter(kind=Kind.ALLOWANCE, variant="80").update(
        valid_to=datetime.date(2026, 2, 1)
    )
    Standard.objects.create(
        kind=Kind.ALLOWANCE,
        variant="80",
        area=areas.county,
        valid_from=month(3),
        value=Decimal("120"),
    )
    assert [a for _m, a in owed(month(4))] == [Decimal("100.00")] * 2 + [Decimal("120.00")] * 2


def test_enrolment_rules(officers, areas, standards):
    young = elder(areas, born=datetime.date(1950, 3, 3))
    with pytest.raises(ValidationError) as caught:
        services.allowance_enrol(actor=officers.caseworker_a, person=young)
    assert "Reaches 80 in 2030-03" in str(caught.value.message_dict["id_number"])
    person = elder(areas)
    services.allowance_enrol(
        actor=officers.caseworker_a, person=person, applied_on=datetime.date(2026, 9, 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.allowance_enrol(actor=officers.caseworker_a, person=person)
    assert "already enrolled" in str(caught.value)
    dead = elder(areas, born=datetime.date(1930, 1, 1), death_date=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.allowance_enrol(actor=officers.caseworker_a, person=dead)
    # applied late: no back pay before the application
    late = elder(areas, born=datetime.date(1930, 2, 2))
    allowance = services.allowance_enrol(
        actor=officers.caseworker_a, person=late, applied_on=datetime.date(2026, 4, 9)
    )
    assert allowance.first_month == month(4)
    assert services.tier_in(late, areas.village_a, month(4)).variant == "90"


def test_who_may_enrol(officers, areas, standards):
    person = elder(areas)
    with pytest.raises(Http404):  # another township's caseworker
        services.allowance_enrol(actor=officers.caseworker_b, person=person)
    with pytest.raises(PermissionDenied):  # a reviewer in the township
        services.allowance_enrol(actor=officers.reviewer_a, person=person)
    assert not OldAgeAllowance.objects.exists()


def test_no_tiers_in_the_standards_is_named(officers, areas):
    person = elder(areas)
    with pytest.raises(ValidationError) as caught:
        services.allowance_enrol(actor=officers.caseworker_a, person=person)
    assert "No old-age allowance tiers" in str(caught.value)


def test_suspend_resume_and_stop(officers, areas, standards):
    person = elder(areas, born=datetime.date(1940, 1, 15))
    allowance = services.allowance_enrol(
        actor=officers.eldercare, person=person, applied_on=datetime.date(2026, 1, 20)
    )
    services.allowance_suspend(
        actor=officers.eldercare, allowance=allowance, effective_month=month(3), reason="外出未核实"
    )
    assert [m for m, _a in owed(month(5))] == [month(1), month(2)]
    allowance.refresh_from_db()
    services.allowance_resume(actor=officers.eldercare, allowance=allowance, reason="已核实")
    assert [m for m, _a in owed(month(5))] == [month(m) for m in range(1, 6)]
    allowance.refresh_from_db()
    services.allowance_stop(
        actor=officers.caseworker_a, allowance=allowance, effective_month=month(4), reason="迁出"
    )
    assert [m for m, _a in owed(month(5))] == [month(1), month(2), month(3)]
    allowance.refresh_from_db()
    assert (allowance.status, allowance.end_month) == ("stopped", month(3))


def test_nothing_is_owed_after_the_month_of_death(officers, areas, standards):
    person = elder(areas, born=datetime.date(1940, 1, 15))
    services.allowance_enrol(
        actor=officers.eldercare, person=person, applied_on=datetime.date(2026, 1, 20)
    )
    person.death_date = datetime.date(2026, 3, 10)
    person.save()
    assert [m for m, _a in owed(month(6))] == [month(1), month(2), month(3)]


@pytest.mark.usefixtures("celery_in_process")
def test_a_confirmed_death_stops_dibao_and_the_allowance_and_lists_every_overpaid_month(
    officers, areas, standards
):
    """The issue's must-show: a person receiving dibao and the old-age allowance dies on
    2026-03-10; both stop from April, and April to June of both are listed to recover."""
    person = elder(areas, born=datetime.date(1940, 1, 15))
    dibao = entitle(person, "dibao", "620.00", start=month(1))
    household_of(person)
    allowance = services.allowance_enrol(
        actor=officers.eldercare, person=person, applied_on=datetime.date(2026, 1, 5)
    )
    assert {b.program for b in benefits.open_benefits([person.pk])} == {
        "dibao",
        "old_age_allowance",
    }
    paid_payrolls(officers, [month(m) for m in range(1, 7)], ["dibao", "old_age_allowance"])

    deaths(officers.approver, areas.county, [(person, "2026-03-10")])
    run(areas.county)
    # (past 80, the age rule of the tiers warns too: the payroll moves tiers by itself)
    warning = Warning.objects.exclude(evidence_key__startswith="age:").get()
    mine = f"eldercare.allowance:{allowance.pk}"
    assert set(warning.evidence["benefits"]) == {mine, ref(dibao)}
    page = login(officers.caseworker_a).get(f"/crosscheck/warnings/{warning.pk}/")
    case = page.content.decode().split('id="benefits"')[1].split("</table>")[0]
    assert f'data-ref="{mine}"' in case
    assert "高龄津贴" in case
    response = login(officers.caseworker_a).post(
        f"/crosscheck/warnings/{warning.pk}/confirm/",
        {"action": "stop", "effective_month": "2026-04", "benefits": [ref(dibao), mine]},
    )
    assert response.status_code == 302
    dibao.refresh_from_db()
    allowance.refresh_from_db()
    assert (dibao.status, dibao.end_month) == ("stopped", month(3))
    assert (allowance.status, allowance.end_month) == ("stopped", month(3))
    overpaid = Overpayment.objects.filter(person=person).order_by("program", "month")
    assert [(o.program, o.month, o.amount) for o in overpaid] == [
        ("dibao", month(4), Decimal("620.00")),
        ("dibao", month(5), Decimal("620.00")),
        ("dibao", month(6), Decimal("620.00")),
        ("old_age_allowance", month(4), Decimal("100.00")),
        ("old_age_allowance", month(5), Decimal("100.00")),
        ("old_age_allowance", month(6), Decimal("100.00")),
    ]
    july = generate(officers.finance, month=month(7), programs=["dibao", "old_age_allowance"])
    assert not Payment.objects.filter(payroll=july, person=person).exists()


def test_the_tier_age_rules_spare_the_allowance_the_payroll_moves_itself(
    officers, areas, standards
):
    """The cross-check's tier rules (80/90/100) name the fact the allowance states as their
    exemption (eldercare migration 0002): the payroll moves the tier itself. Without the
    exemption the rule would warn."""
    from civil_affairs.crosscheck.models import MatchRule
    from eldercare.benefits import TIER_BY_PAYROLL

    person = elder(areas)
    services.allowance_enrol(
        actor=officers.eldercare, person=person, applied_on=datetime.date(2026, 5, 25)
    )
    rules = MatchRule.objects.filter(kind="age", programs__contains=["old_age_allowance"])
    assert set(rules.values_list("unless_fact", flat=True)) == {TIER_BY_PAYROLL}
    run(areas.county, checks=["age"], as_of=datetime.date(2026, 4, 20))
    assert not Warning.objects.filter(person=person).exists()
    rules.update(unless_fact="")
    run(areas.county, checks=["age"], as_of=datetime.date(2026, 4, 20))
    assert Warning.objects.filter(person=person, evidence_key="age:80").exists()
