"""The standards' SQL lookup agrees with the selector: nearest area first, then the month."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

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
