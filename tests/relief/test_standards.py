"""Standards tables: effective dates, the area tree, and a new standard changing next month only."""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civil_affairs.core.months import add_months
from civil_affairs.standards import services as standard_services
from civil_affairs.standards.models import Standard
from relief import calc, selectors
from relief.models import Application, Entitlement
from relief.standards import Kind
from tests.relief.conftest import (
    SINCE,
    apply_for,
    assess,
    make_household,
    member,
    next_month,
    walk,
)

pytestmark = pytest.mark.django_db
K = Kind


def test_township_row_overrides_the_county_row(staff, areas, standards):
    Standard.objects.create(
        kind=K.DIBAO, variant="rural", area=areas.b, valid_from=SINCE, value=Decimal("700")
    )
    month = next_month()
    assert calc.get_standard(
        K.DIBAO, area=areas.village_b, month=month, variant="rural"
    ).value == Decimal("700")
    assert calc.get_standard(
        K.DIBAO, area=areas.village_a, month=month, variant="rural"
    ).value == Decimal("760")


def test_missing_standard_is_a_clear_message(areas):
    with pytest.raises(ValidationError, match="No standard"):
        calc.get_standard(K.DIBAO, area=areas.village_a, month=next_month(), variant="urban")


def test_new_row_closes_the_open_one_and_overlaps_are_refused(staff, areas, standards):
    new = standard_services.standard_create(
        actor=staff.admin,
        kind=K.DIBAO,
        variant="rural",
        area=areas.county,
        valid_from=next_month(),
        value=Decimal("800"),
        apply=False,
    )
    old = standards[(K.DIBAO, "rural")]
    old.refresh_from_db()
    assert old.valid_to == add_months(next_month(), -1)
    assert (
        calc.get_standard(K.DIBAO, area=areas.village_a, month=next_month(), variant="rural") == new
    )
    with pytest.raises(ValidationError, match="overlaps"):
        standard_services.standard_create(
            actor=staff.admin,
            kind=K.DIBAO,
            variant="rural",
            area=areas.county,
            valid_from=add_months(next_month(), -2),
            valid_to=add_months(next_month(), -1),
            value=Decimal("1"),
            apply=False,
        )


def test_standard_refusals(staff, areas):
    with pytest.raises(ValidationError) as info:
        standard_services.standard_create(
            actor=staff.admin,
            kind=K.DIBAO,
            variant="suburban",
            area=areas.county,
            valid_from=next_month(),
            value=Decimal("-1"),
            apply=False,
        )
    assert {"variant", "value"} <= set(info.value.message_dict)
    with pytest.raises(PermissionDenied):
        standard_services.standard_create(
            actor=staff.caseworker_a,
            kind=K.NOTICE_DAYS,
            area=areas.a,
            valid_from=next_month(),
            value=Decimal("7"),
            apply=False,
        )
    assert not Standard.objects.exists()


def _dibao(staff, areas, wages="900"):
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages=wages),
        member("spouse"),
        member("child"),
    )
    walk(apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT)
    return Entitlement.objects.get(program="dibao")


def test_a_new_standard_from_next_month_changes_next_months_amount_only(staff, areas, standards):
    entitlement = _dibao(staff, areas)
    first = next_month()
    assert entitlement.monthly_amount == Decimal("1380.00")
    rise = add_months(first, 1)
    standard = standard_services.standard_create(
        actor=staff.admin,
        kind=K.DIBAO,
        variant="rural",
        area=areas.county,
        valid_from=rise,
        value=Decimal("800"),
        apply=False,
    )
    assert standard_services.standard_apply(actor=staff.admin, standard=standard) == 1
    rows = lambda month: {  # noqa: E731
        r["person_id"]: r["amount"] for r in selectors.dibao_rows(user=staff.finance, month=month)
    }
    assert rows(first)[entitlement.person_id] == Decimal("1380.00")
    assert rows(rise)[entitlement.person_id] == Decimal("1500.00")  # (800 - 300) x 3
    entitlement.refresh_from_db()
    assert entitlement.standard == standard
    assert entitlement.basis["standard"] == "800.00"
    standard.refresh_from_db()
    assert standard.applied_count == 1
    assert standard.applied_at is not None
    # applying again changes nothing
    assert standard_services.standard_apply(actor=staff.admin, standard=standard) == 0


def test_urban_standard_leaves_rural_entitlements_alone(staff, areas, standards):
    entitlement = _dibao(staff, areas)
    standard = standard_services.standard_create(
        actor=staff.admin,
        kind=K.DIBAO,
        variant="urban",
        area=areas.county,
        valid_from=add_months(next_month(), 1),
        value=Decimal("900"),
        apply=False,
    )
    assert standard_services.standard_apply(actor=staff.admin, standard=standard) == 0
    assert entitlement.periods.count() == 1


def test_extreme_poverty_follows_a_new_care_amount(staff, areas, standards):
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", work_capacity="none", born=datetime.date(1950, 1, 1)),
    )
    assess(staff, household, failed=5)  # no self-care
    walk(
        apply_for(
            staff.caseworker_a,
            household,
            program="extreme_poverty",
            support_mode="centralised",
        ),
        staff,
        Application.Status.IN_PAYMENT,
    )
    entitlement = Entitlement.objects.get()
    assert entitlement.monthly_amount == Decimal("1588.00")  # 760 x 1.3 + 600
    standard = standard_services.standard_create(
        actor=staff.admin,
        kind=K.EP_CARE,
        variant="none",
        area=areas.county,
        valid_from=add_months(next_month(), 1),
        value=Decimal("700"),
        apply=False,
    )
    assert standard_services.standard_apply(actor=staff.admin, standard=standard) == 1
    entitlement.refresh_from_db()
    assert entitlement.monthly_amount == Decimal("1688.00")
    assert entitlement.periods.first().monthly_amount == Decimal("1588.00")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_standard_is_applied_by_the_worker_after_commit(
    celery_worker_thread, staff, areas, standards
):
    entitlement = _dibao(staff, areas)
    standard_services.standard_create(
        actor=staff.admin,
        kind=K.DIBAO,
        variant="rural",
        area=areas.county,
        valid_from=add_months(next_month(), 1),
        value=Decimal("800"),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and entitlement.periods.count() < 2:
        time.sleep(0.2)
    entitlement.refresh_from_db()
    assert entitlement.monthly_amount == Decimal("1500.00")
