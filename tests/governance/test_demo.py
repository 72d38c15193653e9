"""The demo data of governance and social_orgs loads through the services, once."""

import pytest

from civil_affairs.core import demo
from governance import demo as governance_demo
from governance import selectors as gov_selectors
from governance.models import Committee, Vacancy
from social_orgs import demo as orgs_demo
from social_orgs.models import ListEntry, Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_shows_each_list(db):
    areas = demo.load_areas()
    demo.load_users(areas)
    for _ in range(2):
        governance_demo.load(areas)
        orgs_demo.load(areas)
    assert Committee.objects.filter(kind__in=Committee.MAIN).count() == 4
    assert Vacancy.objects.filter(status="open").count() == 1
    from django.contrib.auth import get_user_model

    governance = get_user_model().objects.get(username="governance")
    assert len(gov_selectors.without_women(user=governance)) == 1
    assert gov_selectors.villages_lacking(user=governance).count() == 2
    assert Organisation.objects.count() == 6
    assert ListEntry.objects.filter(kind="abnormal").count() == 1  # the dormant association
