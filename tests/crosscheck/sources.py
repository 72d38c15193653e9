"""A paying app that exists only in a test: allowances in a table of the test's own, registered
as a benefit source (and a payroll provider) the way eldercare or children register theirs.

The cross-check must work with it without knowing it: match it, stop it on a confirmed death,
list what it paid since, leave a child in full-time education alone at 18.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from civil_affairs import benefits
from civil_affairs.core.months import add_months
from civil_affairs.payments.providers import Provider

KEY = "test.allowance"

TABLE = """
CREATE TABLE test_allowance (
    id serial PRIMARY KEY,
    person_id bigint NOT NULL,
    area_id bigint NOT NULL,
    program varchar(40) NOT NULL,
    amount numeric(14, 2) NOT NULL,
    start_month date NOT NULL,
    end_month date,
    status varchar(10) NOT NULL DEFAULT 'active',
    in_school boolean NOT NULL DEFAULT false
)
"""

OPEN_SQL = "SELECT id, person_id, program, area_id FROM test_allowance WHERE status <> 'stopped'"
FACTS_SQL = (
    f"SELECT person_id, '{benefits.IN_FULL_TIME_EDUCATION}' AS fact FROM test_allowance "  # noqa: S608
    "WHERE in_school AND status <> 'stopped'"
)
# what the program owes, month by month, up to the payroll month
ROWS_SQL = """
SELECT a.person_id, a.area_id, m.month, a.amount, a.id AS source_id
FROM test_allowance a
CROSS JOIN LATERAL (
    SELECT g::date AS month FROM generate_series(a.start_month, %(month)s, interval '1 month') g
) AS m
WHERE a.program = %(program)s AND (a.end_month IS NULL OR m.month <= a.end_month)
"""


class Allowances:
    """The test app's records and services (what a real app keeps in its models)."""

    def __init__(self, programs: Sequence[str]) -> None:
        self.programs = tuple(programs)
        self.calls: list[tuple[str, Any, list[int], datetime.date]] = []

    def grant(
        self,
        person: Any,
        amount: str,
        *,
        start: datetime.date,
        program: str | None = None,
        in_school: bool = False,
    ) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO test_allowance (person_id, area_id, program, amount, start_month, "
                "in_school) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                [
                    person.pk,
                    person.area_id,
                    program or self.programs[0],
                    Decimal(amount),
                    start,
                    in_school,
                ],
            )
            (pk,) = cursor.fetchone()
        return f"{KEY}:{pk}"

    def row(self, ref: str) -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status, end_month FROM test_allowance WHERE id = %s",
                [int(ref.rpartition(":")[2])],
            )
            status, end_month = cursor.fetchone()
        return {"status": status, "end_month": end_month}

    def open_benefits(self, person_ids: Sequence[int]) -> list[benefits.Benefit]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, program, person_id, area_id, status, start_month, end_month, amount "
                "FROM test_allowance WHERE person_id = ANY (%s) AND status <> 'stopped'",
                [list(person_ids)],
            )
            rows = cursor.fetchall()
        return [
            benefits.Benefit(
                ref=f"{KEY}:{pk}",
                program=program,
                program_label="高龄津贴（测试）",
                person_id=person_id,
                area_id=area_id,
                status=status,
                status_label="发放中",
                start_month=start,
                end_month=end,
                monthly_amount=amount,
            )
            for pk, program, person_id, area_id, status, start, end, amount in rows
        ]

    def _end(self, status: str, actor: Any, ids: Sequence[int], month: datetime.date) -> None:
        self.calls.append((status, actor, list(ids), month))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE test_allowance SET status = %s, end_month = %s WHERE id = ANY (%s)",
                [status, add_months(month, -1), list(ids)],
            )

    def stop(self, *, actor: Any, ids: Sequence[int], effective_month: datetime.date, reason: str):
        self._end("stopped", actor, ids, effective_month)

    def suspend(
        self, *, actor: Any, ids: Sequence[int], effective_month: datetime.date, reason: str
    ) -> None:
        self._end("suspended", actor, ids, effective_month)

    def source(self) -> benefits.BenefitSource:
        return benefits.BenefitSource(
            key=KEY,
            programs=self.programs,
            open_sql=OPEN_SQL,
            open_benefits=self.open_benefits,
            stop=self.stop,
            suspend=self.suspend,
            facts_sql=FACTS_SQL,
        )

    def providers(self) -> list[Provider]:
        def rows_sql(program: str) -> Any:
            return lambda month: (ROWS_SQL, {"month": month, "program": program})

        return [
            Provider(program=p, label="高龄津贴（测试）", rows_sql=rows_sql(p))
            for p in self.programs
        ]
