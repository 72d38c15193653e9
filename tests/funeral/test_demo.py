"""The demo data loads through the services, twice without adding anything."""

from __future__ import annotations

import pytest

from civil_affairs.core import demo
from funeral import demo as funeral_demo
from funeral.models import Death, DivorceApplication, Marriage, NamingDecision, PlaceName

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once():
    areas = demo.load_areas()
    demo.load_users(areas)
    demo.load_people(areas)
    funeral_demo.load(areas)
    counts = (
        Marriage.objects.count(),
        Death.objects.count(),
        PlaceName.objects.count(),
        DivorceApplication.objects.filter(status="pending").count(),
        NamingDecision.objects.filter(status="proposed").count(),
    )
    assert counts[0] == 4
    assert counts[1] >= 3
    assert counts[2:] == (6, 2, 1)
    funeral_demo.load(areas)
    assert Marriage.objects.count() == 4
    assert PlaceName.objects.filter(name="资江二桥").exists()
