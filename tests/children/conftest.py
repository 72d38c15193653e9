"""Children fixtures: the county's standards, the children's staff, children made through the
services."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from children import services
from children.models import Child
from children.standards import Kind
from civil_affairs.areas.models import Role
from civil_affairs.standards.models import Standard
from tests.conftest import _user
from tests.factories import next_id_number

SINCE = datetime.date(2020, 1, 1)
K = Kind

COUNTY_STANDARDS = [
    (K.ORPHAN_ALLOWANCE, "institutional", "1600"),
    (K.ORPHAN_ALLOWANCE, "scattered", "1200"),
    (K.END_AGE, "", "18"),
    (K.MONTHS_AFTER_BIRTHDAY, "", "0"),
    (K.LEFT_BEHIND_AGE, "", "16"),
    (K.FOLLOW_UP_DAYS, "", "7"),
    (K.VISIT_INTERVAL, "orphan_scattered", "90"),
    (K.VISIT_INTERVAL, "unsupported", "90"),
    (K.VISIT_INTERVAL, "difficulty", "90"),
    (K.VISIT_INTERVAL, "left_behind", "30"),
    (K.CHOOSE_HIGHER, "extreme_poverty", "1"),
]


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
def kids_staff(staff: SimpleNamespace, areas: SimpleNamespace) -> SimpleNamespace:
    """The relief staff plus the children's: officer (county), supervisor (township A),
    directors (village A and village B)."""
    staff.officer = _user("children", Role.CHILDREN_OFFICER, areas.county)
    staff.supervisor_a = _user("supervisor_a", Role.CHILD_SUPERVISOR, areas.a)
    staff.director_a = _user("director_a", Role.CHILD_DIRECTOR, areas.village_a)
    staff.director_b = _user("director_b", Role.CHILD_DIRECTOR, areas.village_b)
    return staff


UNSUPPORTED_PARENTS = [
    {"parent": "father", "situation": "prison", "evidence": "判决书(2024)湘0922刑初12号"},
    {"parent": "mother", "situation": "missing", "evidence": "派出所失踪证明"},
]


def register(
    actor: Any,
    area: Any,
    *,
    category: str = "orphan_scattered",
    born: datetime.date = datetime.date(2015, 3, 10),
    name: str = "",
    registered_on: datetime.date = datetime.date(2024, 1, 5),
    **extra: Any,
) -> Child:
    number = next_id_number(born)
    if category == "unsupported":
        extra.setdefault("parents", UNSUPPORTED_PARENTS)
    return services.child_register(
        actor=actor,
        id_number=number,
        name=name or f"儿童{number[-5:]}",
        area=area,
        category=category,
        registered_on=registered_on,
        **extra,
    )


@pytest.fixture
def celery_in_process() -> Any:
    """The payroll engine's tasks run in this process."""
    from civil_affairs.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old
