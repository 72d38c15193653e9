"""The demo data (every app's `demo.py`, through `seed_demo`) and one user per role, plus a
township-B administrator: what the security walk and the schema test try as attackers."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from civil_affairs.areas.models import Area, Role
from civil_affairs.areas.services import assignment_create
from civil_affairs.core import demo

TOWNSHIP_B = "430922101"


def client_of(user: Any) -> Client:
    """A logged-in client that answers a server error as a 500 instead of raising it."""
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def seeded(db: Any) -> list[Any]:
    """The demo, and the users to walk as: one per role of `Role` (the demo's), the
    superuser, and a township-B administrator."""
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    users = get_user_model()
    admin_b = users.objects.create_user("admin_b", password="pw")
    assignment_create(user=admin_b, area=Area.objects.get(code=TOWNSHIP_B), role=Role.ADMINISTRATOR)
    walkers = [users.objects.get(username=name) for name, *_rest in demo.USERS]
    walkers.append(admin_b)
    covered = {role for _n, _f, role, _c in demo.USERS}
    assert covered == set(Role.values), f"demo users lack roles {set(Role.values) - covered}"
    return walkers


@pytest.fixture
def overpayments(seeded: list[Any]) -> None:
    """An overpayment to recover in each township (the demo pays nothing back yet), so that
    their routes are walked with ids inside and outside each user's areas."""
    from civil_affairs.payments.models import Overpayment, Payment

    for code in ("430922100", "430922101"):
        payment = Payment.objects.filter(area__code__startswith=code).order_by("pk").first()
        assert payment is not None, f"the demo pays no one in {code}"
        Overpayment.objects.create(
            payment=payment,
            person=payment.person,
            program=payment.program,
            month=payment.month,
            area=payment.area,
            amount=payment.amount,
            reason="死亡后发放",
            registered_by=seeded[0],
        )
