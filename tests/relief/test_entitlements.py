"""The entitlement services others build on: stop, suspend, resume, change amount, gradual exit.

Each checks what the payroll will read: the period covering each month, the last month paid."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.core.models import StatusChange
from civil_affairs.core.months import add_months
from relief import selectors, services
from relief.models import Application, Entitlement
from tests.relief.conftest import apply_for, make_household, member, next_month, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def entitlement(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head", wages="160"))
    walk(apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT)
    e = Entitlement.objects.get()
    assert e.monthly_amount == Decimal("600.00")  # 760 - 160
    return e


def periods(e):
    return list(
        e.periods.order_by("valid_from").values_list("valid_from", "valid_to", "monthly_amount")
    )


def paid(staff, e, month):
    rows = {
        r["person_id"]: r["amount"]
        for r in selectors.monthly_rows(user=staff.finance, program=e.program, month=month)
    }
    return rows.get(e.person_id)


M = next_month


def test_change_amount_closes_the_period_and_opens_one(staff, entitlement):
    start = M()
    later = add_months(start, 2)
    services.entitlement_change_amount(
        actor=staff.caseworker_a,
        entitlement=entitlement,
        effective_month=later,
        monthly_amount=Decimal("450"),
        reason="收入变化",
    )
    assert periods(entitlement) == [
        (start, add_months(later, -1), Decimal("600.00")),
        (later, None, Decimal("450.00")),
    ]
    assert entitlement.monthly_amount == Decimal("450.00")
    assert paid(staff, entitlement, add_months(later, -1)) == Decimal("600.00")
    assert paid(staff, entitlement, later) == Decimal("450.00")
    assert entitlement.history.first().history_change_reason == "收入变化"


def test_change_amount_from_the_first_month_replaces_it(staff, entitlement):
    services.entitlement_change_amount(
        actor=staff.caseworker_a,
        entitlement=entitlement,
        effective_month=M(),
        monthly_amount=Decimal("500"),
        reason="更正",
    )
    assert periods(entitlement) == [(M(), None, Decimal("500.00"))]


def test_change_amount_refusals(staff, entitlement):
    for kwargs, field in [
        ({"monthly_amount": Decimal("0")}, "monthly_amount"),
        (
            {"monthly_amount": Decimal("10"), "effective_month": datetime.date(2026, 1, 15)},
            "effective_month",
        ),
        (
            {"monthly_amount": Decimal("10"), "effective_month": add_months(M(), -1)},
            "effective_month",
        ),
        ({"monthly_amount": Decimal("10"), "reason": ""}, "reason"),
    ]:
        args = {"effective_month": M(), "reason": "x", **kwargs}
        with pytest.raises(ValidationError) as info:
            services.entitlement_change_amount(
                actor=staff.caseworker_a, entitlement=entitlement, **args
            )
        assert field in info.value.message_dict
    with pytest.raises(Http404):
        services.entitlement_change_amount(
            actor=staff.caseworker_b,
            entitlement=entitlement,
            effective_month=M(),
            monthly_amount=Decimal("1"),
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        services.entitlement_change_amount(
            actor=staff.finance,
            entitlement=entitlement,
            effective_month=M(),
            monthly_amount=Decimal("1"),
            reason="x",
        )
    assert periods(entitlement) == [(M(), None, Decimal("600.00"))]


def test_stop_pays_nothing_from_the_effective_month(staff, entitlement):
    stop = add_months(M(), 3)
    services.entitlement_stop(
        actor=staff.approver, entitlement=entitlement, effective_month=stop, reason="死亡"
    )
    entitlement.refresh_from_db()
    assert entitlement.status == "stopped"
    assert entitlement.end_month == add_months(stop, -1)
    assert periods(entitlement) == [(M(), add_months(stop, -1), Decimal("600.00"))]
    assert paid(staff, entitlement, add_months(stop, -1)) == Decimal("600.00")
    assert paid(staff, entitlement, stop) is None
    change = StatusChange.objects.filter(object_id=entitlement.pk, new_status="stopped").get()
    assert "死亡" in change.note
    assert change.actor == staff.approver
    with pytest.raises(ValidationError):
        services.entitlement_stop(
            actor=staff.approver, entitlement=entitlement, effective_month=stop, reason="x"
        )


def test_stop_refuses_a_reason_a_spreadsheet_would_run(staff, entitlement):
    with pytest.raises(ValidationError) as caught:
        services.entitlement_stop(
            actor=staff.approver,
            entitlement=entitlement,
            effective_month=add_months(M(), 1),
            reason="=1+1",
        )
    assert "formula" in caught.value.message_dict["reason"][0]
    entitlement.refresh_from_db()
    assert (entitlement.status, entitlement.status_reason) == ("active", "")


def test_suspend_then_resume_leaves_the_months_between_unpaid(staff, entitlement):
    suspend, resume = add_months(M(), 1), add_months(M(), 3)
    services.entitlement_suspend(
        actor=staff.caseworker_a,
        entitlement=entitlement,
        effective_month=suspend,
        reason="外出务工未核实",
    )
    assert paid(staff, entitlement, M()) == Decimal("600.00")
    assert paid(staff, entitlement, suspend) is None
    services.entitlement_resume(
        actor=staff.caseworker_a, entitlement=entitlement, effective_month=resume, reason="已核实"
    )
    entitlement.refresh_from_db()
    assert (entitlement.status, entitlement.suspended_from) == ("active", None)
    assert [paid(staff, entitlement, add_months(M(), i)) for i in range(5)] == [
        Decimal("600.00"),
        None,
        None,
        Decimal("600.00"),
        Decimal("600.00"),
    ]
    with pytest.raises(ValidationError):
        services.entitlement_resume(
            actor=staff.caseworker_a, entitlement=entitlement, effective_month=resume, reason="x"
        )


def test_gradual_exit_ends_after_the_configured_months(staff, entitlement):
    start = add_months(M(), 1)
    services.entitlement_gradual_exit(
        actor=staff.caseworker_a, entitlement=entitlement, effective_month=start, reason="收入超标"
    )
    entitlement.refresh_from_db()
    assert entitlement.status == "gradual_exit"
    assert entitlement.end_month == add_months(start, 2)  # 3 months
    assert paid(staff, entitlement, add_months(start, 2)) == Decimal("600.00")
    assert paid(staff, entitlement, add_months(start, 3)) is None
    with pytest.raises(ValidationError):
        services.entitlement_gradual_exit(
            actor=staff.caseworker_a,
            entitlement=entitlement,
            effective_month=start,
            reason="x",
            months=4,
        )
