"""Relief's benefits in the shared registry: what it states about people (facts), its open
entitlements as benefits, and the registry's stop going through relief's own services."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404

from civil_affairs import benefits
from civil_affairs.core.months import add_months
from relief.models import Application, Entitlement, EntitlementPeriod

from .conftest import apply_for, head_of, make_household, member, next_month, walk

pytestmark = pytest.mark.django_db


def _entitle(person, program, *, basis=None, household=None, start=None, **values):
    start = start or next_month()
    entitlement = Entitlement.objects.create(
        program=program,
        person=person,
        area=person.area,
        household=household,
        monthly_amount=Decimal("300.00"),
        start_month=start,
        basis=basis or {},
        **values,
    )
    EntitlementPeriod.objects.create(
        entitlement=entitlement, valid_from=start, monthly_amount=Decimal("300.00")
    )
    return entitlement


@pytest.fixture
def dibao_household(staff, areas, standards):
    """Head, spouse and child, rural, income far below the standard: dibao for all three."""
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages="300"),
        member("spouse"),
        member("child", born=datetime.date(2012, 3, 1)),
    )
    walk(apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT)
    return household


def test_a_dibao_household_is_stated_for_every_member(dibao_household, areas):
    people = [m.person for m in dibao_household.members.order_by("pk")]
    month = next_month()
    found = benefits.facts([p.pk for p in people], month)
    for person in people:
        assert found[person.pk] == {benefits.DIBAO, benefits.DIBAO_HOUSEHOLD}
    # before its first month, nothing
    before = benefits.facts([p.pk for p in people], add_months(month, -1))
    assert all(facts == set() for facts in before.values())


def test_single_person_coverage_is_dibao_for_that_member_only(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head"), member("child"))
    head, child = (m.person for m in household.members.order_by("pk"))
    _entitle(child, "dibao", household=household, basis={"coverage": "single"})
    found = benefits.facts([head.pk, child.pk], next_month())
    assert found == {
        head.pk: {benefits.DIBAO_HOUSEHOLD},
        child.pk: {benefits.DIBAO, benefits.DIBAO_HOUSEHOLD},
    }


def test_extreme_poverty_states_its_mode_and_the_subsidies_their_programs(staff, areas):
    from tests.factories import PersonFactory

    dispersed = PersonFactory(area=areas.village_a)
    centralised = PersonFactory(area=areas.village_a)
    disabled = PersonFactory(area=areas.village_b)
    _entitle(dispersed, "extreme_poverty", basis={"support_mode": "dispersed"})
    _entitle(centralised, "extreme_poverty", basis={"support_mode": "centralised"})
    _entitle(disabled, "disability_living")
    _entitle(disabled, "disability_care")
    month = next_month()
    found = benefits.facts([dispersed.pk, centralised.pk, disabled.pk], month)
    assert found[dispersed.pk] == {benefits.EXTREME_POVERTY, benefits.EXTREME_POVERTY_DISPERSED}
    assert found[centralised.pk] == {
        benefits.EXTREME_POVERTY,
        benefits.EXTREME_POVERTY_CENTRALISED,
    }
    assert found[disabled.pk] == {benefits.DISABILITY_LIVING, benefits.DISABILITY_CARE}
    # suspended from that month, or stopped before it: no longer stated
    Entitlement.objects.filter(person=disabled, program="disability_care").update(
        status="suspended", suspended_from=month
    )
    Entitlement.objects.filter(person=dispersed).update(
        status="stopped", end_month=add_months(month, -1)
    )
    found = benefits.facts([dispersed.pk, disabled.pk], month)
    assert found == {dispersed.pk: set(), disabled.pk: {benefits.DISABILITY_LIVING}}


def test_open_entitlements_are_benefits_with_refs_and_the_registry_stops_them(
    staff, dibao_household
):
    head = head_of(dibao_household)
    entitlement = Entitlement.objects.get(person=head)
    (benefit,) = benefits.open_benefits([head.pk])
    assert (benefit.ref, benefit.program, benefit.monthly_amount, benefit.status) == (
        f"relief.entitlement:{entitlement.pk}",
        "dibao",
        entitlement.monthly_amount,
        "active",
    )
    assert benefit.url == f"/relief/entitlements/{entitlement.pk}/"
    source = benefits.source(benefit.source_key)
    month = add_months(entitlement.start_month, 2)
    with pytest.raises(Http404):  # another township's caseworker: relief's own policy
        source.stop(
            actor=staff.caseworker_b, ids=[benefit.source_id], effective_month=month, reason="x"
        )
    source.stop(
        actor=staff.caseworker_a, ids=[benefit.source_id], effective_month=month, reason="死亡"
    )
    entitlement.refresh_from_db()
    assert (entitlement.status, entitlement.end_month) == ("stopped", add_months(month, -1))
    assert benefits.open_benefits([head.pk]) == []


def test_household_ties_name_members_and_whom_a_dibao_is_paid_for(staff, dibao_household):
    head = head_of(dibao_household)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source, household_id, person_id, member, variant "  # noqa: S608
            f"FROM ({benefits.households_sql()}) AS t WHERE t.person_id = %s ORDER BY member",
            [head.pk],
        )
        ties = cursor.fetchall()
    key = ("relief.household", dibao_household.pk, head.pk)
    assert ties == [(*key, False, "rural"), (*key, True, "rural")]
    (household,) = benefits.households_of(head.pk)
    assert household.ref == f"relief.household:{dibao_household.pk}"
    assert [m.relationship for m in household.members] == ["Head of household", "Spouse", "Child"]
