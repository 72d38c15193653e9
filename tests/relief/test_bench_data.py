"""manage.py bench_data: what the payments and search benchmarks build on."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civil_affairs.core.validators import clean_id_number, parse_disability_certificate
from civil_affairs.people.models import Person
from relief.models import Entitlement, EntitlementPeriod, Household, HouseholdMember

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_data_makes_valid_people_households_and_one_entitlement_each():
    out = StringIO()
    call_command("bench_data", persons=250, households=100, month="2026-11", stdout=out)
    assert Person.objects.count() == 250
    assert (
        len({clean_id_number(n) for n in Person.objects.values_list("id_number", flat=True)}) == 250
    )
    assert Household.objects.count() == 100
    assert HouseholdMember.objects.filter(relationship="head").count() == 100
    assert Entitlement.objects.filter(status="active").count() == 250
    assert Entitlement.objects.filter(program="dibao", household__isnull=False).count() == 100
    assert EntitlementPeriod.objects.filter(valid_to__isnull=True).count() == 250
    starts = set(Entitlement.objects.values_list("start_month", flat=True))
    assert {s.isoformat() for s in starts} == {"2026-11-01"}
    for certificate in HouseholdMember.objects.exclude(disability_certificate="").values_list(
        "disability_certificate", flat=True
    ):
        parse_disability_certificate(certificate)
    assert out.getvalue().split()[-1] == "250"  # "active entitlements 250", printed last
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench_data", persons=250, households=100, stdout=StringIO())
    call_command("bench_data", persons=50, households=20, reset=True, stdout=StringIO())
    assert Person.objects.count() == 50
    call_command("bench_data", reset_only=True, stdout=StringIO())
    assert not Person.objects.exists()
    assert not Entitlement.objects.exists()
