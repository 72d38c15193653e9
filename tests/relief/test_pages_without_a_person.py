"""Pages that name a member of staff still render when there is none (a system change, a
household without a responsible caseworker): a missing name is "—", never a server error."""

from __future__ import annotations

from typing import Any

from civil_affairs.core.status import transition
from relief.models import Application, Entitlement
from tests.conftest import login

from .conftest import apply_for, make_household, walk


def test_a_household_without_a_caseworker_and_a_system_change_render(
    areas: Any, staff: Any, standards: Any, settings: Any
) -> None:
    settings.DEBUG = False  # where a failed lookup in a filter argument raised
    household = make_household(staff.caseworker_a, areas.village_a)
    application = walk(
        apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT
    )
    household.caseworker = None
    household.save()
    entitlement = Entitlement.objects.get(application=application)
    transition(entitlement, Entitlement.Status.SUSPENDED, actor=None, note="system")

    client = login(staff.caseworker_a)
    page = client.get(f"/relief/households/{household.pk}/")
    assert page.status_code == 200
    assert "—" in page.content.decode()
    page = client.get(f"/relief/entitlements/{entitlement.pk}/")
    assert page.status_code == 200
    assert "system" in page.content.decode()
