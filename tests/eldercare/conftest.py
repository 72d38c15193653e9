"""Eldercare fixtures: the elder-care officer and a township clerk, the county's standards,
and helpers that make records through the services."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation
from stdnum.cn import uscc

from civil_affairs.areas.models import Role
from civil_affairs.core.idgen import make_id_number
from civil_affairs.standards.models import Standard
from eldercare import services
from eldercare.models import Institution, ModificationItem
from eldercare.standards import Kind
from tests.conftest import _user

SINCE = datetime.date(2020, 1, 1)

# (kind, variant, value): what the tests' county has decided
COUNTY_STANDARDS = [
    (Kind.TIER_AGE, "80", "80"),
    (Kind.TIER_AGE, "90", "90"),
    (Kind.TIER_AGE, "100", "100"),
    (Kind.ALLOWANCE, "80", "100"),
    (Kind.ALLOWANCE, "90", "200"),
    (Kind.ALLOWANCE, "100", "500"),
    (Kind.TIER_START, "", "1"),  # the month after the birthday month
    (Kind.MODIFICATION_CAP, "", "6000"),
    (Kind.MODIFICATION_AGE, "", "80"),
]

_codes = itertools.count(1)
_people = itertools.count(500)


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code (a public institution's, 12…)."""
    body = f"12430922{n if n is not None else next(_codes):09d}"
    return body + uscc.calc_check_digit(body)


def id_number(born: datetime.date) -> str:
    return make_id_number("430922", born, next(_people))


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def standards(areas: SimpleNamespace) -> dict[tuple[str, str], Standard]:
    return {
        (kind, variant): Standard.objects.create(
            kind=kind, variant=variant, area=areas.county, valid_from=SINCE, value=Decimal(value)
        )
        for kind, variant, value in COUNTY_STANDARDS
    }


@pytest.fixture
def officers(staff: SimpleNamespace, areas: SimpleNamespace) -> SimpleNamespace:
    """The staff, plus the county's elder-care officer and township A's clerk."""
    staff.eldercare = _user("eldercare", Role.ELDERCARE_OFFICER, areas.county)
    staff.clerk_a = _user("clerk_a", Role.CIVIL_AFFAIRS_CLERK, areas.a)
    staff.clerk_b = _user("clerk_b", Role.CIVIL_AFFAIRS_CLERK, areas.b)
    staff.children = _user("children", Role.CHILDREN_OFFICER, areas.county)
    return staff


def make_institution(actor: Any, area: Any, name: str = "青山养老院", **kw: Any) -> Institution:
    values: dict[str, Any] = {
        "credit_code": credit_code(),
        "name": name,
        "nature": Institution.Nature.PUBLIC,
        "beds": 120,
        "nursing_beds": 60,
        "filing_date": datetime.date(2021, 3, 1),
        "filing_number": "备2021-001",
        "operator": "县社会福利中心",
    }
    values.update(kw)
    return services.institution_create(actor=actor, area=area, **values)


@pytest.fixture
def items(db: Any) -> SimpleNamespace:
    return SimpleNamespace(
        grab_bar=ModificationItem.objects.create(code="B01", name="扶手", list="basic"),
        non_slip=ModificationItem.objects.create(code="B02", name="防滑垫", list="basic"),
        bed=ModificationItem.objects.create(code="O01", name="护理床", list="optional"),
    )
