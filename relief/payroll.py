"""Relief's payroll providers: one per monthly program, all reading entitlements."""

from __future__ import annotations

import datetime

from civil_affairs.payments.providers import Provider, RowsSql, register

from .models import Program

# For payroll month M, an entitlement pays M (when it covers M) and, in its first payroll,
# the months from its first month that were approved too late for earlier payrolls
# (arrears). A month after the last month, or from the month a suspension starts, is not
# paid, nor anything of a stopped entitlement without a last month. The amount of each
# month is that of the period covering it; should periods overlap by mistake, the latest
# one counts, so a month never yields two rows.
#
# Written for the engine's chunks: the lateral lookup of the period is one index probe per
# row (period_from: entitlement, valid_from), so a chunk of persons costs its own rows only.
ROWS_SQL = """
SELECT e.person_id, e.area_id, m.month, p.monthly_amount AS amount, e.id AS source_id
FROM relief_entitlement e
CROSS JOIN LATERAL (
    SELECT g::date AS month
    FROM generate_series(
        CASE WHEN e.first_payroll_month = %(month)s THEN e.start_month ELSE %(month)s END,
        %(month)s, interval '1 month') AS g
) AS m
CROSS JOIN LATERAL (
    SELECT p.monthly_amount
    FROM relief_entitlementperiod p
    WHERE p.entitlement_id = e.id
      AND p.valid_from <= m.month AND (p.valid_to IS NULL OR p.valid_to >= m.month)
    ORDER BY p.valid_from DESC
    LIMIT 1
) AS p
WHERE e.program = %(program)s
  AND e.first_payroll_month <= %(month)s
  AND e.start_month <= m.month
  AND (e.end_month IS NULL OR e.end_month >= m.month)
  AND NOT (e.status = 'suspended' AND e.suspended_from <= m.month)
  AND NOT (e.status = 'stopped' AND e.end_month IS NULL)
"""


def _rows_sql(program: str) -> RowsSql:
    def rows_sql(month: datetime.date) -> tuple[str, dict[str, object]]:
        return ROWS_SQL, {"month": month, "program": program}

    return rows_sql


def register_providers() -> None:
    for program in Program:
        register(
            Provider(program=program.value, label=program.label, rows_sql=_rows_sql(program.value))
        )
