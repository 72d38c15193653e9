"""The children's payroll providers: orphan_allowance and unsupported_child_allowance.

What an allowance owes for payroll month M, set-based: every month from its first month to M,
except after its last month, from the month a suspension starts while it is suspended, and
after the month the age rule ends it. The age rule is the standards': the allowance is paid
through the month `children.months_after_birthday` after the birthday of
`children.end_age` (0: through the birthday month), unless the child is in full-time
education; a child who left school after that month is paid through the month they left.
Each month's amount is the orphan allowance standard in force that month for the
allowance's variant (de-facto unsupported children: the scattered orphan amount). A month
with no amount standard owes nothing (the engine has nothing to pay without one).
"""

from __future__ import annotations

import datetime

from civil_affairs.payments.providers import Provider, RowsSql, register
from civil_affairs.standards.sql import value_sql

from .models import Program
from .standards import Kind

_END_AGE = value_sql(kind=f"'{Kind.END_AGE.value}'", area_id="a.area_id", month="%(month)s::date")
_AFTER = value_sql(
    kind=f"'{Kind.MONTHS_AFTER_BIRTHDAY.value}'", area_id="a.area_id", month="%(month)s::date"
)
_AMOUNT = value_sql(
    kind=f"'{Kind.ORPHAN_ALLOWANCE.value}'",
    variant="a.variant",
    area_id="a.area_id",
    month="m.month",
)

ROWS_SQL = f"""
SELECT a.person_id, a.area_id, m.month, amt.amount, a.id AS source_id
FROM children_allowance a
JOIN children_child c ON c.id = a.child_id
JOIN people_person p ON p.id = a.person_id
CROSS JOIN LATERAL (
    SELECT (date_trunc('month', p.birth_date)
            + make_interval(years => r.end_age::int, months => r.after::int))::date AS last_month
    FROM (SELECT {_END_AGE} AS end_age, {_AFTER} AS after) AS r
) AS age
CROSS JOIN LATERAL (
    SELECT g::date AS month
    FROM generate_series(
        a.start_month,
        LEAST(
            %(month)s::date,
            coalesce(a.end_month, %(month)s::date),
            CASE WHEN a.status = 'suspended' AND a.suspended_from IS NOT NULL
                 THEN (a.suspended_from - interval '1 month')::date
                 ELSE %(month)s::date END,
            CASE WHEN c.in_full_time_education THEN %(month)s::date
                 ELSE GREATEST(age.last_month,
                               coalesce(date_trunc('month', c.left_school_on)::date,
                                        age.last_month)) END
        ),
        interval '1 month') AS g
) AS m
CROSS JOIN LATERAL (SELECT {_AMOUNT} AS amount) AS amt
WHERE a.program = %(program)s
  AND a.start_month <= %(month)s
  AND NOT (a.status = 'stopped' AND a.end_month IS NULL)
  AND age.last_month IS NOT NULL
  AND amt.amount IS NOT NULL
"""  # noqa: S608 - our own SQL and the standards' expressions, never user input


def _rows_sql(program: str) -> RowsSql:
    def rows_sql(month: datetime.date) -> tuple[str, dict[str, object]]:
        return ROWS_SQL, {"month": month, "program": program}

    return rows_sql


def register_providers() -> None:
    for program in Program:
        register(
            Provider(program=program.value, label=program.label, rows_sql=_rows_sql(program.value))
        )
