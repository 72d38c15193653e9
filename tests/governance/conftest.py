"""Governance fixtures: the county's standards and the clerks and the governance officer."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from civil_affairs.areas.models import Role
from civil_affairs.standards.models import Standard
from governance.standards import Kind
from tests.conftest import _user


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def gov_standards(areas: SimpleNamespace) -> None:
    for kind, value in (
        (Kind.TERM_YEARS, "5"),
        (Kind.DISCLOSURE_MONTHS, "3"),
        (Kind.DISCLOSURE_GRACE_DAYS, "10"),
    ):
        Standard.objects.create(
            kind=kind, area=areas.county, valid_from=datetime.date(2000, 1, 1), value=Decimal(value)
        )


@pytest.fixture
def officers(
    areas: SimpleNamespace, staff: SimpleNamespace, gov_standards: None
) -> SimpleNamespace:
    return SimpleNamespace(
        clerk_a=_user("clerk_a", Role.CIVIL_AFFAIRS_CLERK, areas.a),
        clerk_b=_user("clerk_b", Role.CIVIL_AFFAIRS_CLERK, areas.b),
        governance=_user("governance", Role.GOVERNANCE_OFFICER, areas.county),
        registration=_user("registration", Role.REGISTRATION_OFFICER, areas.county),
        caseworker_a=staff.caseworker_a,
    )
