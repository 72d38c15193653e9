"""The children's payroll providers: amounts from the standards of each month, the age rule
from the standards, full-time education, stops and suspensions."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from children import services
from children.models import Allowance
from children.payroll import _rows_sql
from civil_affairs.payments.models import Payment
from civil_affairs.standards.models import Standard
from tests.payments.factories import generate

from .conftest import register

pytestmark = pytest.mark.django_db
JUN = datetime.date(2026, 6, 1)
BORN = datetime.date(2008, 8, 15)  # 18 on 2026-08-15


def owed(program: str, month: datetime.date) -> list[tuple[int, datetime.date, Decimal]]:
    sql, params = _rows_sql(program)(month)
    with connection.cursor() as cursor:
        query = f"SELECT person_id, month, amount FROM ({sql}) AS r ORDER BY 1, 2"  # noqa: S608
        cursor.execute(query, params)
        return cursor.fetchall()


def months(rows, person):
    return [(m, a) for p, m, a in rows if p == person.pk]


def test_turning_18_left_school_paid_through_the_birthday_month(kids_staff, areas, standards):
    left = register(kids_staff.officer, areas.village_a, born=BORN, in_full_time_education=True)
    services.child_update(
        actor=kids_staff.officer,
        child=left,
        in_full_time_education=False,
        left_school_on=datetime.date(2026, 6, 30),
    )
    in_school = register(
        kids_staff.officer, areas.village_a, born=BORN, in_full_time_education=True
    )
    for child in (left, in_school):
        services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    rows = owed("orphan_allowance", datetime.date(2026, 11, 1))
    amount = Decimal("1200.00")
    assert months(rows, left.person) == [
        (datetime.date(2026, 6, 1), amount),
        (datetime.date(2026, 7, 1), amount),
        (datetime.date(2026, 8, 1), amount),
    ]
    assert [m for m, _a in months(rows, in_school.person)] == [
        datetime.date(2026, m, 1) for m in range(6, 12)
    ]


def test_the_standards_say_which_month(kids_staff, areas, standards):
    """A county paying one month after the birthday month: through 2026-09."""
    Standard.objects.filter(kind="children.months_after_birthday").update(value=1)
    child = register(kids_staff.officer, areas.village_a, born=BORN)
    services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    rows = owed("orphan_allowance", datetime.date(2026, 11, 1))
    assert [m for m, _a in months(rows, child.person)][-1] == datetime.date(2026, 9, 1)


def test_left_school_after_18_paid_through_that_month(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, born=BORN, in_full_time_education=True)
    services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    services.child_update(
        actor=kids_staff.officer,
        child=child,
        in_full_time_education=False,
        left_school_on=datetime.date(2026, 10, 10),
    )
    rows = owed("orphan_allowance", datetime.date(2026, 12, 1))
    assert [m for m, _a in months(rows, child.person)][-1] == datetime.date(2026, 10, 1)


def test_new_standard_changes_the_months_from_its_own(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, category="unsupported")
    services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    old = standards[("children.orphan_allowance", "scattered")]
    old.valid_to = datetime.date(2026, 8, 1)
    old.save()
    Standard.objects.create(
        kind="children.orphan_allowance",
        variant="scattered",
        area=areas.county,
        valid_from=datetime.date(2026, 9, 1),
        value=Decimal("1300"),
    )
    rows = owed("unsupported_child_allowance", datetime.date(2026, 10, 1))
    assert [a for _m, a in months(rows, child.person)] == [
        Decimal("1200.00"),
        Decimal("1200.00"),
        Decimal("1200.00"),
        Decimal("1300.00"),
        Decimal("1300.00"),
    ]
    assert owed("orphan_allowance", datetime.date(2026, 10, 1)) == []


def test_stop_and_suspend(kids_staff, areas, standards):
    stopped = register(kids_staff.officer, areas.village_a)
    suspended = register(kids_staff.officer, areas.village_a)
    a = services.allowance_grant(actor=kids_staff.officer, child=stopped, start_month=JUN)
    b = services.allowance_grant(actor=kids_staff.officer, child=suspended, start_month=JUN)
    services.allowance_stop(
        actor=kids_staff.caseworker_a,
        allowance=a,
        effective_month=datetime.date(2026, 8, 1),
        reason="死亡",
    )
    services.allowance_suspend(
        actor=kids_staff.officer,
        allowance=b,
        effective_month=datetime.date(2026, 7, 1),
        reason="核查",
    )
    rows = owed("orphan_allowance", datetime.date(2026, 10, 1))
    assert [m for m, _a in months(rows, stopped.person)] == [JUN, datetime.date(2026, 7, 1)]
    assert [m for m, _a in months(rows, suspended.person)] == [JUN]
    services.allowance_resume(actor=kids_staff.officer, allowance=b, reason="核查无误")
    rows = owed("orphan_allowance", datetime.date(2026, 10, 1))
    assert len(months(rows, suspended.person)) == 5
    assert Allowance.objects.get(pk=a.pk).end_month == datetime.date(2026, 7, 1)


def test_the_engine_pays_the_birthday_month_and_not_after(
    kids_staff, areas, standards, celery_in_process
):
    child = register(kids_staff.officer, areas.village_a, born=BORN)
    services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    payroll = generate(
        kids_staff.finance, month=datetime.date(2026, 9, 1), programs=["orphan_allowance"]
    )
    paid = sorted(
        (p.month, p.amount) for p in Payment.objects.filter(payroll=payroll, person=child.person)
    )
    assert paid == [(datetime.date(2026, m, 1), Decimal("1200.00")) for m in (6, 7, 8)]
