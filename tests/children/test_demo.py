"""The children's demo data loads through the services, once."""

import pytest

from children import demo
from children.models import Allowance, Child, FollowUp, MandatoryReport
from civil_affairs.core import demo as core_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_once():
    areas = core_demo.load_areas()
    core_demo.load_users(areas)
    demo.load(areas)
    demo.load(areas)
    assert Child.objects.count() == len(demo.CHILDREN)
    assert Allowance.objects.count() == 4
    assert FollowUp.objects.filter(status="open").count() == 1
    assert MandatoryReport.objects.count() == 1
