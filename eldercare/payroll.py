"""The payroll provider of the old-age allowance (program `old_age_allowance`).

What an allowance owes for payroll month M: every month from its first month to M, except
after its last month, from the month a suspension starts while it is suspended, after the
month of the person's death, and nothing of a stopped allowance without a last month. Each
month pays the amount of the oldest tier the person has reached in it: a tier starts when the
person reaches its age (`old_age_tier_age`, per tier variant) in the birthday month or the
month after (`old_age_tier_start`), with the standards in force in that month for the
allowance's area, walked up the tree. A month no tier covers (no rows) owes nothing.

Set-based: one statement for everyone, three tier probes per month, each an index lookup.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from civil_affairs.payments.providers import Provider, register
from civil_affairs.standards.sql import value_sql

from .standards import TIERS, Kind

PROGRAM = "old_age_allowance"
LABEL = _("Old-age allowance")

_TIER_VALUES = ", ".join(f"('{t}')" for t in TIERS)
_AGE = value_sql(kind="%(tier_age)s", variant="v.tier", area_id="a.area_id", month="m.month")
_AMOUNT = value_sql(kind="%(amount)s", variant="v.tier", area_id="a.area_id", month="m.month")
_OFFSET = value_sql(kind="%(tier_start)s", area_id="a.area_id", month="m.month")

ROWS_SQL = f"""
SELECT a.person_id, a.area_id, m.month, t.amount, a.id AS source_id
FROM eldercare_oldageallowance a
JOIN people_person p ON p.id = a.person_id
CROSS JOIN LATERAL (
    SELECT g::date AS month
    FROM generate_series(
        a.first_month,
        LEAST(
            %(month)s::date,
            coalesce(a.end_month, %(month)s::date),
            CASE WHEN a.status = 'suspended' AND a.suspended_from IS NOT NULL
                 THEN (a.suspended_from - interval '1 month')::date
                 ELSE %(month)s::date END,
            coalesce(date_trunc('month', p.death_date)::date, %(month)s::date)
        ),
        interval '1 month') AS g
) AS m
CROSS JOIN LATERAL (
    SELECT s.amount
    FROM (VALUES {_TIER_VALUES}) AS v(tier)
    CROSS JOIN LATERAL (SELECT {_AGE} AS age, {_AMOUNT} AS amount) AS s
    WHERE s.age IS NOT NULL AND s.amount IS NOT NULL
      AND m.month >= (
          make_date(extract(year FROM p.birth_date)::int + s.age::int,
                    extract(month FROM p.birth_date)::int, 1)
          + make_interval(months => coalesce({_OFFSET}, 0)::int)
      )::date
    ORDER BY s.age DESC
    LIMIT 1
) AS t
WHERE a.first_month <= %(month)s
  AND NOT (a.status = 'stopped' AND a.end_month IS NULL)
"""  # noqa: S608 - our own SQL and the standards' helper, never user input


def rows_sql(month: datetime.date) -> tuple[str, dict[str, object]]:
    return ROWS_SQL, {
        "month": month,
        "tier_age": Kind.TIER_AGE.value,
        "amount": Kind.ALLOWANCE.value,
        "tier_start": Kind.TIER_START.value,
    }


def register_provider() -> None:
    register(Provider(program=PROGRAM, label=LABEL, rows_sql=rows_sql))
