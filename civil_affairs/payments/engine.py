"""The payroll engine's SQL: what the providers say is owed, less what is paid, by chunk.

A generation is split into chunks of person ids (every provider yields `person_id`, so the
split works for every program, and PostgreSQL pushes the range into each provider's query).
Each chunk runs one statement

    INSERT INTO payments_payment (...)
    SELECT ..., r.amount - coalesce(paid.amount, 0), ...
    FROM (<provider 1> UNION ALL <provider 2> ...) r          -- owed per person and month
    LEFT JOIN LATERAL (<sum of the rows already in any payroll for that person, program and
                       month, reissued ones aside>) paid ON true
    WHERE r.person_id BETWEEN lo AND hi [AND r.area_id = ANY(areas)]
      AND r.amount > coalesce(paid.amount, 0)

so every month owed and not yet paid is paid once, whenever it became owed (arrears of a
late approval, back pay of a standard raised for months already paid), by construction:
there is no bookkeeping of which months were paid. What a payroll's rows pay or will pay
counts whatever their status (to pay, held, paid, failed until reissued): held and failed
rows are paid again by reissue, not by the next payroll. A month owed less than was paid
is never clawed back here: reconciliation.py lists it. A rerun or a retried chunk inserts
nothing twice: a row already there is paid, so owed less paid leaves nothing (and the
chunk's lock and done flag stop a second run first); the unique index on (person, program,
month, payroll) would refuse a duplicate loudly rather than drop it, and needs no ON
CONFLICT (its speculative insertion cost a tenth of the insert); regular generations that
could see the same people never run at once (services.payroll_generate).
Nothing here decides who may generate what: services.py does, and calls these functions.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import connection

from . import providers

# persons per chunk: about 1-2 s of work each on a laptop, small enough that a chunk lost
# with a killed worker costs little, large enough that the queue adds little per row
CHUNK_PERSONS = 50_000

_PARAM = re.compile(r"(?<!%)%\((\w+)\)s")

COLUMNS = (
    "payroll_id, person_id, program, month, area_id, amount, kind, source_id, status, "
    "reissued, hold_reason, bank_name, bank_account, bank_reason, created_at, updated_at"
)

# What the rows of every payroll pay or will pay for one person, program and benefit month
# (a reissued row is replaced by its reissue). Served by the unique index.
PAID_SQL = """
SELECT sum(x.amount) AS amount
FROM payments_payment x
WHERE x.person_id = r.person_id AND x.program = r.program AND x.month = r.month
  AND NOT x.reissued
"""


def plan_chunks(first_id: int, last_id: int, size: int) -> list[tuple[int, int]]:
    """Split the ids first..last (inclusive) into ranges of `size` ids."""
    if last_id < first_id:
        return []
    size = max(1, size)
    return [(lo, min(lo + size - 1, last_id)) for lo in range(first_id, last_id + 1, size)]


def rows_query(programs: list[str], month: datetime.date) -> tuple[str, dict[str, Any]]:
    """The union of the programs' rows for `month`, in the columns program, person_id,
    area_id, month, amount, source_id (name them with an alias list). Each provider's named
    params are prefixed so they cannot collide."""
    parts = []
    params: dict[str, Any] = {}
    for i, program in enumerate(programs):
        sql, provider_params = providers.get(program).rows_sql(month)
        prefix = f"p{i}_"
        sql = _PARAM.sub(rf"%({prefix}\1)s", sql)
        params.update({prefix + key: value for key, value in provider_params.items()})
        params[f"program_{i}"] = program
        # the providers' SQL is code; every value in it is a param
        columns = f"s{i}.person_id, s{i}.area_id, s{i}.month::date, s{i}.amount, s{i}.source_id"
        parts.append(f"SELECT %(program_{i})s::varchar, {columns} FROM ({sql}) AS s{i}")  # noqa: S608
    return "\nUNION ALL\n".join(parts), params


def insert_query(
    *,
    table: str,
    payroll_id: int,
    programs: list[str],
    month: datetime.date,
    person_range: tuple[int, int] | None = None,
    area_ids: list[int] | None = None,
) -> tuple[str, dict[str, Any]]:
    rows, params = rows_query(programs, month)
    where = []
    if person_range is not None:
        where.append("r.person_id BETWEEN %(person_from)s AND %(person_to)s")
        params["person_from"], params["person_to"] = person_range
    if area_ids is not None:
        where.append("r.area_id = ANY(%(area_ids)s)")
        params["area_ids"] = area_ids
    where.append("r.amount > coalesce(paid.amount, 0)")
    params["payroll_id"] = payroll_id
    params["payroll_month"] = month
    sql = (
        f"INSERT INTO {table} ({COLUMNS})\n"
        "SELECT %(payroll_id)s, r.person_id, r.program, r.month, r.area_id,\n"
        "       r.amount - coalesce(paid.amount, 0),\n"
        "       CASE WHEN paid.amount IS NOT NULL THEN 'back_pay'\n"
        "            WHEN r.month < %(payroll_month)s THEN 'arrears' ELSE 'regular' END,\n"
        "       r.source_id, 'pending', false, '', '', '', '', now(), now()\n"
        f"FROM ({rows}) AS r(program, person_id, area_id, month, amount, source_id)\n"
        f"LEFT JOIN LATERAL ({PAID_SQL}) AS paid ON true\n"
        "WHERE " + " AND ".join(where)
    )
    return sql, params


def run_chunk(
    *,
    payroll_id: int,
    programs: list[str],
    month: datetime.date,
    person_range: tuple[int, int],
    area_ids: list[int] | None,
) -> int:
    """Insert one chunk's rows; returns how many were new. The caller holds the transaction."""
    sql, params = insert_query(
        table="payments_payment",
        payroll_id=payroll_id,
        programs=programs,
        month=month,
        person_range=person_range,
        area_ids=area_ids,
    )
    with connection.cursor() as cursor:
        # the providers' row estimates are poor (generate_series); JIT compiling a plan
        # costs more than running it
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.rowcount


TOTALS_SQL = """
SELECT program, area_id, status, count(*), coalesce(sum(amount), 0)
FROM payments_payment
WHERE payroll_id = %s
GROUP BY program, area_id, status
ORDER BY program, area_id, status
"""


def totals(payroll_id: int) -> list[dict[str, Any]]:
    """Rows and amounts per program, area and row status, for the payroll's stored totals."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(TOTALS_SQL, [payroll_id])
        return [
            {
                "program": program,
                "area": area,
                "status": status,
                "rows": rows,
                "amount": str(amount),
            }
            for program, area, status, rows, amount in cursor.fetchall()
        ]
