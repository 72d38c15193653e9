"""Relief's payroll providers: one per monthly program, all reading entitlements."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from civil_affairs.payments.providers import Provider, RowsSql, register

from .models import Program

# What an entitlement owes for payroll month M: every month from its first month to M,
# except after its last month, from the month a suspension starts while it is suspended,
# and nothing of a stopped entitlement without a last month. The amount of each month is
# that of the period covering it (what the standards of that month gave, see
# services.entitlements.schedule); a month no period covers (left unpaid by a suspension)
# owes nothing; should periods overlap by mistake, the latest one counts, so a month never
# yields two rows. The engine pays what is owed minus what was already paid.
#
# Written for the engine's chunks: the lateral lookup of the period is one index probe per
# month (period_from: entitlement, valid_from), so a chunk of persons costs its own rows.
#
# Dispersed extreme-poverty support is split in the months of a care agreement: the care
# amount of the month (its period's basis, never more than the month's amount) is paid to the
# contracted caregiver as its own program (CARE, a part of extreme_poverty), the rest to the
# person. Outside the agreement's months the person is paid the whole amount.
ROWS_SQL = """
SELECT e.person_id, e.area_id, m.month, {amount} AS amount, e.id AS source_id
FROM relief_entitlement e
CROSS JOIN LATERAL (
    SELECT g::date AS month
    FROM generate_series(
        e.start_month,
        LEAST(
            %(month)s::date,
            coalesce(e.end_month, %(month)s::date),
            CASE WHEN e.status = 'suspended' AND e.suspended_from IS NOT NULL
                 THEN (e.suspended_from - interval '1 month')::date
                 ELSE %(month)s::date END
        ),
        interval '1 month') AS g
) AS m
CROSS JOIN LATERAL (
    SELECT p.monthly_amount, p.basis
    FROM relief_entitlementperiod p
    WHERE p.entitlement_id = e.id
      AND p.valid_from <= m.month AND (p.valid_to IS NULL OR p.valid_to >= m.month)
    ORDER BY p.valid_from DESC
    LIMIT 1
) AS p
WHERE e.program = %(program)s
  AND e.start_month <= %(month)s
  AND NOT (e.status = 'stopped' AND e.end_month IS NULL){where}
"""

# An agreement ends with its caregiver's death (a death in the month counts from the next
# one, as relief.means.dead_by): from then on the person is paid the whole amount until a new
# caregiver is named, and care already paid for those months is listed by reconciliation.
IN_AGREEMENT = (
    "e.caregiver_id IS NOT NULL AND e.caregiver_from <= m.month "
    "AND (e.caregiver_to IS NULL OR m.month <= e.caregiver_to) "
    "AND NOT EXISTS (SELECT FROM people_person c "
    "WHERE c.id = e.caregiver_id AND c.death_date < m.month)"
)
CARE_PART = "LEAST(coalesce((p.basis->>'care')::numeric, 0), p.monthly_amount)"

CARE = "extreme_poverty_care"

AMOUNTS = {
    Program.EXTREME_POVERTY.value: (
        f"p.monthly_amount - CASE WHEN {IN_AGREEMENT} THEN {CARE_PART} ELSE 0 END",
        "",
    ),
    CARE: (CARE_PART, f"\n  AND {IN_AGREEMENT}"),
}


def _rows_sql(program: str) -> RowsSql:
    amount, where = AMOUNTS.get(program, ("p.monthly_amount", ""))
    sql = ROWS_SQL.format(amount=amount, where=where)
    paid_for = Program.EXTREME_POVERTY.value if program == CARE else program

    def rows_sql(month: datetime.date) -> tuple[str, dict[str, object]]:
        return sql, {"month": month, "program": paid_for}

    return rows_sql


# Centralised extreme-poverty support is paid to the care home (services.payees) when its
# account is on file; the care amount of dispersed support only ever to the caregiver.
PAYEES_SQL = """
SELECT id AS source_id, payee_name, payee_bank_name AS bank_name, payee_account AS bank_account
FROM relief_entitlement
WHERE program = 'extreme_poverty' AND payee_account <> ''
"""
CAREGIVERS_SQL = """
SELECT e.id AS source_id, c.name AS payee_name, c.bank_name, c.bank_account
FROM relief_entitlement e JOIN people_person c ON c.id = e.caregiver_id
WHERE e.program = 'extreme_poverty'
"""


def register_providers() -> None:
    for program in Program:
        register(
            Provider(
                program=program.value,
                label=program.label,
                rows_sql=_rows_sql(program.value),
                payees_sql=PAYEES_SQL if program == Program.EXTREME_POVERTY else None,
            )
        )
    register(
        Provider(
            program=CARE,
            label=_("Extreme-poverty care subsidy"),
            rows_sql=_rows_sql(CARE),
            payees_sql=CAREGIVERS_SQL,
            payee_only=True,
            part_of=Program.EXTREME_POVERTY.value,
        )
    )
