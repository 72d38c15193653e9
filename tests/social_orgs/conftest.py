"""social_orgs fixtures: the county's standards, the officers, and valid credit codes."""

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation
from stdnum.cn import uscc

from civil_affairs.areas.models import Role
from civil_affairs.standards.models import Standard
from social_orgs import services
from social_orgs.standards import Kind
from tests.conftest import _user

_serial = itertools.count(1)


def credit_code(type_digit: str = "1", serial: int | None = None) -> str:
    """A valid civil-affairs credit code of the type (5 + type + county + organisation code)."""
    body = f"5{type_digit}430922MJ{serial or next(_serial):07d}"
    return body + uscc.calc_check_digit(body)


def wrong_check(code: str) -> str:
    last = "0" if code[-1] != "0" else "1"
    return code[:-1] + last


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def org_standards(areas: SimpleNamespace) -> None:
    for kind, value in (
        (Kind.REPORT_DEADLINE_MONTH, "5"),
        (Kind.EVALUATION_VALID_YEARS, "5"),
        (Kind.REVOCATION_YEARS, "2"),
    ):
        Standard.objects.create(
            kind=kind, area=areas.county, valid_from=datetime.date(2000, 1, 1), value=Decimal(value)
        )


@pytest.fixture
def officers(
    areas: SimpleNamespace, staff: SimpleNamespace, org_standards: None
) -> SimpleNamespace:
    return SimpleNamespace(
        registration=_user("registration", Role.REGISTRATION_OFFICER, areas.county),
        clerk_a=_user("clerk_a", Role.CIVIL_AFFAIRS_CLERK, areas.a),
        clerk_b=_user("clerk_b", Role.CIVIL_AFFAIRS_CLERK, areas.b),
        governance=_user("governance", Role.GOVERNANCE_OFFICER, areas.county),
        caseworker_a=staff.caseworker_a,
    )


def register(actor: Any, area: Any, **values: Any) -> Any:
    data: dict[str, Any] = {
        "name": f"测试协会{next(_serial)}",
        "org_type": "1",
        "legal_representative": "王会长",
        "registered_on": datetime.date(2020, 3, 1),
        "supervising_unit": "县教育局",
        "funds": "30000",
    }
    data.update(values)
    if "credit_code" not in data:
        data["credit_code"] = credit_code(data["org_type"])
    return services.organisation_register(actor=actor, area=area, **data)
