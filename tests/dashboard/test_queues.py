"""The domains' work queues on the dashboards (issue 13, item 3): overdue rectifications,
overdue child visits, overdue disclosures, organisations not inspected and divorce
applications near lapse, each counted in the user's areas, linked to its list, and emptied
by the work it asks for."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from children import selectors as child_selectors
from children import services as child_services
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import selectors
from eldercare.models import Finding
from funeral import services as funeral_services
from funeral.models import DivorceApplication
from governance.models import Disclosure
from social_orgs.models import Organisation
from tests.conftest import login

pytestmark = pytest.mark.django_db

COUNTY, TOWNSHIP_A = "430922", "430922100"


@pytest.fixture
def demo() -> Any:
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    users = get_user_model().objects
    return users.get(username="admin"), Area.objects.get(code=COUNTY)


def _counts(user: Any, area: Area) -> dict[str, int]:
    return {row.queue.key: row.count for row in selectors.queue_rows(user=user, area=area)}


def test_each_domain_queue_counts_what_waits_and_links_to_its_list(demo: Any) -> None:
    admin, county = demo
    today = timezone.localdate()
    last_year = today.year - 1
    expected = {
        "eldercare.overdue_rectifications": Finding.objects.filter(
            status="open", deadline__lt=today
        ).count(),
        "governance.overdue_disclosures": Disclosure.objects.filter(
            due_on__lt=today, disclosed_on__isnull=True
        ).count(),
        "social_orgs.not_inspected": Organisation.objects.filter(
            status="active", registration="registered", registered_on__year__lte=last_year
        )
        .exclude(inspections__year=last_year)
        .count(),
        "funeral.divorces_near_lapse": DivorceApplication.objects.filter(
            status="pending",
            cooling_off_ends__lte=today,
            certificate_by__gte=today,
            certificate_by__lte=today + datetime.timedelta(days=7),
        ).count(),
    }
    counts = _counts(admin, county)
    for key, count in expected.items():
        assert count > 0, f"the demo has nothing in {key}"
        assert counts[key] == count, key
    assert counts["children.overdue_visits"] > 0

    client = login(admin)
    for app, key in [
        ("eldercare", "eldercare.overdue_rectifications"),
        ("children", "children.overdue_visits"),
        ("governance", "governance.overdue_disclosures"),
        ("social_orgs", "social_orgs.not_inspected"),
        ("funeral", "funeral.divorces_near_lapse"),
    ]:
        html = client.get(f"/dashboard/{app}/?area={county.pk}").content.decode()
        assert f'data-key="{key}"' in html, app
        link = html.split(f'data-key="{key}"')[0].rsplit('href="', 1)[1].split('"')[0]
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_township_sees_its_share_and_the_county_the_sum(demo: Any) -> None:
    admin, county = demo
    clerk = get_user_model().objects.get(username="clerk_a")
    township = Area.objects.get(code=TOWNSHIP_A)
    mine = _counts(clerk, county)["governance.overdue_disclosures"]
    assert (
        mine
        == Disclosure.objects.filter(
            area__code__startswith=TOWNSHIP_A,
            due_on__lt=timezone.localdate(),
            disclosed_on__isnull=True,
        ).count()
    )
    assert 0 < mine < _counts(admin, county)["governance.overdue_disclosures"]
    assert _counts(admin, township)["governance.overdue_disclosures"] == mine
    # a role with no part in a domain does not see its queue
    assert "funeral.divorces_near_lapse" not in _counts(clerk, county)


def test_the_work_empties_the_queue(demo: Any) -> None:
    admin, county = demo
    today = timezone.localdate()
    before = _counts(admin, county)

    overdue = child_selectors.overdue_visits(user=admin)[0]
    child_services.visit_record(
        actor=get_user_model().objects.get(username="children"),
        child=overdue.child,
        visited_on=today,
        findings="已走访，生活正常",
        risk_level="low",
    )
    near = DivorceApplication.objects.get(
        status="pending", cooling_off_ends__lte=today, certificate_by__gte=today
    )
    funeral_services.divorce_certify(
        actor=get_user_model().objects.get(username="registrar"),
        application=near,
        on=today,
        certificate_no="L430922-TEST-0001",
    )

    after = _counts(admin, county)
    assert after["children.overdue_visits"] == before["children.overdue_visits"] - 1
    assert after["funeral.divorces_near_lapse"] == before["funeral.divorces_near_lapse"] - 1
