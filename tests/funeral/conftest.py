"""Fixtures of the funeral app's tests: its officers, its standards, people by birth date."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from civil_affairs.areas.models import Role
from civil_affairs.core.idgen import make_id_number
from civil_affairs.standards.models import Standard
from funeral import standards
from tests.conftest import _user

SINCE = datetime.date(2020, 1, 1)


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    """Service messages in English, so tests can match them (pages pick their language per
    request, Chinese by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def rules(areas: SimpleNamespace) -> None:
    """The standards in force since 2020 at the county: ages 22/20, the two 30-day windows of
    a divorce, a fee waiver of 1,200 yuan."""
    rows = [
        (standards.MARRIAGE_AGE, standards.MALE, "22"),
        (standards.MARRIAGE_AGE, standards.FEMALE, "20"),
        (standards.COOLING_OFF_DAYS, "", "30"),
        (standards.CERTIFICATE_DAYS, "", "30"),
        (standards.FEE_WAIVER, "", "1200"),
    ]
    for kind, variant, value in rows:
        Standard.objects.create(
            kind=kind, variant=variant, area=areas.county, valid_from=SINCE, value=Decimal(value)
        )


@pytest.fixture
def officers(areas: SimpleNamespace, staff: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(
        registrar=_user("registrar", Role.MARRIAGE_REGISTRAR, areas.county),
        funeral=_user("funeral", Role.FUNERAL_OFFICER, areas.county),
        placenames=_user("placenames", Role.PLACE_NAMES_OFFICER, areas.county),
        clerk_a=_user("clerk_a", Role.CIVIL_AFFAIRS_CLERK, areas.a),
        approver=staff.approver,
        admin=staff.admin,
        caseworker_a=staff.caseworker_a,
        finance=staff.finance,
    )


_sequence = iter(range(10, 990, 2))


def man(born: datetime.date) -> str:
    """A valid ID number of a man born on that day (odd sequence digit)."""
    return make_id_number("430922", born, next(_sequence) + 1)


def woman(born: datetime.date) -> str:
    return make_id_number("430922", born, next(_sequence))
