"""The cross-check's age rule "18 ends child allowances" is in effect with the children's
programs registered: a child turning 18 who is not in full-time education is warned about,
one still in school is not (the fact the children's app states)."""

import datetime

import pytest

from children import services
from civil_affairs.crosscheck import services as crosscheck
from civil_affairs.crosscheck.models import MatchRule, Warning

from .conftest import register

pytestmark = pytest.mark.django_db
BORN = datetime.date(2008, 8, 15)


@pytest.fixture
def seeded_rules(db):
    """The rules the cross-check's migrations seed (a transactional test empties them)."""
    import importlib

    from django.apps import apps

    importlib.import_module(
        "civil_affairs.crosscheck.migrations.0002_functions_rules_schedule"
    ).add_rules(apps, None)
    importlib.import_module("civil_affairs.crosscheck.migrations.0007_benefit_refs").rules_forward(
        apps, None
    )


def test_age_rule_spares_the_child_in_school(kids_staff, areas, standards, seeded_rules):
    rule = MatchRule.objects.get(kind="age", age_years=18)
    assert rule.in_effect
    assert rule.unless_fact == "in_full_time_education"
    left = register(kids_staff.officer, areas.village_a, born=BORN, name="已离校")
    school = register(
        kids_staff.officer, areas.village_a, born=BORN, name="在校生", in_full_time_education=True
    )
    for child in (left, school):
        services.allowance_grant(
            actor=kids_staff.officer, child=child, start_month=datetime.date(2026, 6, 1)
        )
    crosscheck.run_start(
        actor=None,
        area=areas.county,
        checks=["age"],
        as_of=datetime.date(2026, 7, 20),
        inline=True,
    )
    warned = set(Warning.objects.filter(rule=rule).values_list("person_id", flat=True))
    assert left.person_id in warned
    assert school.person_id not in warned
