"""The standards' SQL lookup agrees with the selector: nearest area first, then the month."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civil_affairs.standards import selectors
from civil_affairs.standards.models import Standard
from civil_affairs.standards.sql import value_sql

pytestmark = pytest.mark.django_db


def _sql_value(kind: str, area_id: int, month: datetime.date, variant: str = "") -> object:
    sql = "SELECT " + value_sql(
        kind="%(kind)s", area_id="%(area)s", month="%(month)s::date", variant="%(variant)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"kind": kind, "area": area_id, "month": month, "variant": variant})
        return cursor.fetchone()[0]


def test_value_sql_walks_up_the_tree_like_the_selector(areas):
    jan, jun = datetime.date(2026, 1, 1), datetime.date(2026, 6, 1)
    Standard.objects.create(
        kind="k", area=areas.county, valid_from=jan, valid_to=datetime.date(2026, 5, 1), value=10
    )
    Standard.objects.create(kind="k", area=areas.county, valid_from=jun, value=12)
    Standard.objects.create(kind="k", area=areas.a, valid_from=jun, value=15)
    cases = [
        (areas.village_a, jan, Decimal("10.00")),
        (areas.village_a, jun, Decimal("15.00")),  # the township's own row
        (areas.village_b, jun, Decimal("12.00")),  # the county's
        (areas.village_b, datetime.date(2025, 12, 1), None),
    ]
    for area, month, expected in cases:
        assert _sql_value("k", area.pk, month) == expected
        row = selectors.find("k", area=area, month=month)
        assert (row.value if row else None) == expected


def test_standards_held_for_a_computation_answer_as_read_one_by_one(areas):
    """Inside `held()` an area's and month's standards are read once and answer as `find`
    does outside: nearest area, the month's row, the variant; nothing is held after it."""
    jan, jun = datetime.date(2026, 1, 1), datetime.date(2026, 6, 1)
    Standard.objects.create(
        kind="k", area=areas.county, valid_from=jan, valid_to=datetime.date(2026, 5, 1), value=10
    )
    Standard.objects.create(kind="k", area=areas.county, valid_from=jun, value=12)
    Standard.objects.create(kind="k", area=areas.a, valid_from=jun, value=15)
    Standard.objects.create(kind="k", variant="rural", area=areas.county, valid_from=jan, value=7)
    Standard.objects.create(kind="other", area=areas.county, valid_from=jan, value=3)
    asked = [
        (kind, variant, area, month)
        for kind, variant in (("k", ""), ("k", "rural"), ("other", ""), ("missing", ""))
        for area in (areas.village_a, areas.village_b)
        for month in (jan, jun, datetime.date(2025, 12, 1))
    ]

    def answers() -> list[object]:
        rows = [selectors.find(k, area=a, month=m, variant=v) for k, v, a, m in asked]
        return [row.value if row else None for row in rows]

    one_by_one = answers()
    assert one_by_one[:3] == [Decimal("10.00"), Decimal("15.00"), None]
    with CaptureQueriesContext(connection) as queries, selectors.held():
        assert answers() == one_by_one
    # one query per area and month asked (2 × 3), not one per standard (48)
    assert len([q for q in queries if "standards_standard" in q["sql"]]) == 6
    Standard.objects.filter(kind="k", area=areas.a).update(value=16)
    assert selectors.find("k", area=areas.village_a, month=jun).value == Decimal("16.00")
