"""Programs plug into the payroll here (rule 3 of DESIGN.md).

A provider gives, for a payroll month M, the SQL of what its program OWES and its named params:

    SELECT person_id, area_id, month, amount, source_id

one row per (person, benefit month) for every month up to and including M that the program
owes an amount for — from the benefit's first month on, whatever payroll that month was or
would have been in — with the amount owed for that month (the standard in force in that
month, whenever its row was entered). Set-based, never a Python loop over people.

The engine (engine.py) pays, per (person, program, month), what is owed minus what is already
paid or pending in any payroll: a month approved late is paid as arrears in the next
payroll, a raise entered after its month was paid becomes back pay (补发) of the
difference, and a rerun pays nothing twice. A month the program no longer owes (stopped or
suspended from an earlier month), or owes less for than was paid, is never clawed back
silently: the reconciliation lists it for a decision.

`area_id` is where the row is paid (the engine chunks and scopes by it); `source_id` points back
at the program's own record (an entitlement, an allowance) so every yuan can be traced. The
engine restricts the rows to a range of person ids per chunk: keep the SQL a plain SELECT
(joins and LATERALs, no aggregate over all people) so PostgreSQL pushes that range down.

`payees_sql`, if given, names the records paid to someone other than the beneficiary (a care
home receives the centralised support of its residents):

    SELECT source_id, payee_name, bank_name, bank_account

At approval their rows take that payee's name and account instead of the person's. With
`payee_only`, a row is never paid to the person: without the payee's account it waits.

`part_of` makes a provider the part of another program's benefit that is paid to someone else
(the care amount of dispersed extreme-poverty support, paid to the contracted caregiver): it
is generated with that program (a payroll of the program has its parts), paid out of that
program's fund, and counted in its funds but not in its person-times.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

RowsSql = Callable[[datetime.date], tuple[str, dict[str, object]]]


@dataclass(frozen=True)
class Provider:
    program: str  # stored on each payment row, e.g. "dibao"
    label: str | Promise  # lazy, so that each reader sees it in their own language
    rows_sql: RowsSql
    payees_sql: str | None = None
    payee_only: bool = False
    part_of: str = ""


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.program] = provider


def get(program: str) -> Provider:
    return _providers[program]


def all_providers() -> list[Provider]:
    return list(_providers.values())


def payroll_programs() -> list[str]:
    """The programs a payroll is asked for (the parts come with their program)."""
    return [p.program for p in _providers.values() if not p.part_of]


def with_parts(programs: list[str]) -> list[str]:
    """`programs` and the parts paid with them, sorted."""
    parts = [p.program for p in _providers.values() if p.part_of in programs]
    return sorted({*programs, *parts})


def payee_only_programs() -> list[str]:
    return [p.program for p in _providers.values() if p.payee_only]


def payees_sql() -> str:
    """Every provider's payees (`payees_sql`) with an account, as one SELECT of
    (program, source_id, payee_name, bank_name, bank_account)."""
    parts = [
        f"SELECT '{p.program}'::varchar AS program, x.source_id, x.payee_name, x.bank_name, "  # noqa: S608
        f"x.bank_account FROM ({p.payees_sql}) AS x WHERE x.bank_account <> ''"
        for p in _providers.values()
        if p.payees_sql
    ]
    return "\nUNION ALL\n".join(parts) or (
        "SELECT NULL::varchar AS program, NULL::bigint AS source_id, NULL::varchar AS "
        "payee_name, NULL::varchar AS bank_name, NULL::varchar AS bank_account WHERE false"
    )


def fund_of(program: str) -> str:
    """The program whose balance in the special account pays `program`."""
    provider = _providers.get(program)
    return provider.part_of if provider and provider.part_of else program


# One-off programs (temporary assistance, charity medical aid, funeral fee waivers…) are not
# in the payroll; what they pay reaches the fund ledger one payment at a time
# (services.ledger_pay_one_off). They register their code and label here.
_one_off: dict[str, str | Promise] = {}


def register_one_off(program: str, label: str | Promise) -> None:
    _one_off[program] = label


def one_off_programs() -> dict[str, str | Promise]:
    return dict(_one_off)


def label_of(program: str) -> str:
    """A program's name in the reader's language (monthly or one-off), else its code."""
    if program in _providers:
        return str(_providers[program].label)
    return str(_one_off.get(program, program))


def fund_programs() -> list[str]:
    """Every program the special account keeps a balance for (a part draws on its program's)."""
    return [*payroll_programs(), *_one_off]
