"""The benefits registry: what each paying app tells the rest of the portal about its benefits.

A benefit is one person's right to one program's payments (relief's entitlement, eldercare's
old-age allowance, a child's allowance…). Every app that pays registers a `BenefitSource`
here (in its AppConfig.ready), so that the shared parts — and other domain apps — can ask
about benefits without importing the app (DESIGN.md rule 3):

- cross-checks match other departments' lists against everyone with an open benefit
  (`open_sql`), show a warned person's benefits (`open_benefits`), and a confirmed warning
  stops, suspends or changes them through the source's own services (`stop`, `suspend`,
  `change_amount`) — so a confirmed death stops every program the person receives in any
  app, and payments' `overpayment_register` lists every month paid since, per program. A
  warning names the benefits it concerns by their refs (`<source key>:<id>`);
- a source that keeps households states its ties (`households`: who lives in which
  household, who is paid for which): household-wide cross-check rules reach the other
  members, "one person in two households" is found, and a threshold taken from a standard
  uses the household's variant (urban or rural). A source may also state facts in SQL
  (`facts_sql`) for checks over everyone, such as an age rule's exemption (a child turning
  18 still in full-time education keeps the allowance);
- other apps check eligibility on facts a source states about people (`facts`): the
  funeral fee waiver asks whether the deceased's household receives dibao or extreme-poverty
  support, home modification whether an elder is in dispersed extreme-poverty support, a
  child's allowance whether the child already receives a benefit it must not be paid with.

    from civil_affairs import benefits

    benefits.register(benefits.BenefitSource(
        key="eldercare.allowance",
        programs=("old_age_allowance",),
        open_sql="SELECT id, person_id, 'old_age_allowance' AS program, area_id "
                 "FROM eldercare_allowance WHERE status <> 'stopped'",
        open_benefits=allowances_of,      # (person_ids) -> list[Benefit]
        stop=allowance_stop_many,          # (*, actor, ids, effective_month, reason) -> None
        suspend=allowance_suspend_many,    # same signature
    ))

    benefits.open_benefits([person.pk])            # every app's open benefits of the person
    benefits.facts([person.pk], month)             # {person_id: {"dibao_household", ...}}

The SQL a source gives (`open_sql`, `households.sql`, `facts_sql`) is code, never user input,
and is embedded in the cross-check's own statements, which carry parameters: write a literal
percent sign as `%%`. Keep each a plain SELECT over the app's tables (joins, no aggregate over
everyone) so that PostgreSQL pushes the callers' conditions (a person id, a range of them)
down into it and reads its indexes.

The cross-check calls `stop`, `suspend` and `change_amount` with the user who confirms the
warning (a caseworker or county approver whose areas hold it: policy action
"warning.resolve"), inside its own transaction: the source checks its own policy and rules
and raises ValidationError (or PermissionDenied) to refuse, which undoes the whole
confirmation. A source whose benefits a confirmed death must stop lets those roles stop them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

# Facts a source may state about a person for a month (others may add their own, named
# "<app>:<fact>"). Relief states these:
DIBAO = "dibao"  # the person receives dibao (alone or as a member covered)
DIBAO_HOUSEHOLD = "dibao_household"  # the person's household receives dibao
EXTREME_POVERTY = "extreme_poverty"  # the person receives extreme-poverty support
EXTREME_POVERTY_CENTRALISED = "extreme_poverty:centralised"  # …in a care home
EXTREME_POVERTY_DISPERSED = "extreme_poverty:dispersed"  # …at home
EDGE_HOUSEHOLD = "edge_household"  # the household is a registered low-income edge household
DISABILITY_LIVING = "disability_living"  # receives the disability living subsidy
DISABILITY_CARE = "disability_care"  # receives the severe disability care subsidy
# A child's app states this (also in `facts_sql`): the age rule "18 ends child allowances"
# names it as its exemption (MatchRule.unless_fact).
IN_FULL_TIME_EDUCATION = "in_full_time_education"


@dataclass(frozen=True)
class Benefit:
    """One open (or recently ended) benefit, as any part of the portal may show it."""

    ref: str  # "<source key>:<id>", unique across apps, e.g. "relief.entitlement:42"
    program: str  # the payroll program code, e.g. "dibao"
    program_label: str
    person_id: int
    area_id: int
    status: str
    status_label: str
    start_month: datetime.date
    end_month: datetime.date | None = None
    monthly_amount: Decimal | None = None
    url: str = ""  # the benefit's page, when it has one
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def source_key(self) -> str:
        return self.ref.rpartition(":")[0]

    @property
    def source_id(self) -> int:
        return int(self.ref.rpartition(":")[2])


# (*, actor, ids: Sequence[int], effective_month: date, reason: str) -> None
Change = Callable[..., None]


@dataclass(frozen=True)
class Member:
    person_id: int
    name: str
    relationship: str  # in the reader's language, e.g. "户主"


@dataclass(frozen=True)
class Household:
    """A household as the cross-check's warning page shows it beside a warned person."""

    ref: str  # "<households key>:<id>", e.g. "relief.household:12"
    area: Any  # the Area it is registered in
    members: list[Member]
    # the policy action that shows its members (in its area); others see only where it is
    view_action: str
    url: str = ""


@dataclass(frozen=True)
class Households:
    """The household ties a source keeps (relief's households and their members)."""

    key: str  # the prefix of its households' refs, e.g. "relief.household"
    # SQL of the ties, columns (household_id, person_id, member, variant): `member` true for a
    # registered member of the household, false for a person with an open benefit paid for
    # it (both, for one person and household, is fine); `variant` the standards variant the
    # household is assessed under ('' for none), e.g. urban or rural.
    sql: str
    of: Callable[[int], Household | None]  # (person_id) -> the household they are a member of
    # (user) -> a queryset of the person ids of households the user is the caseworker of
    caseworker_people: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class BenefitSource:
    key: str  # "<app>.<record>", the prefix of its benefits' refs
    programs: tuple[str, ...]
    # SQL of the open benefits, columns (id, person_id, program, area_id): cross-checks
    # match lists against it, set-based. Code, never user input; no params.
    open_sql: str
    open_benefits: Callable[[Sequence[int]], list[Benefit]]
    stop: Change
    suspend: Change
    # (*, actor, ids, effective_month, monthly_amount, reason) -> None; None: amounts are
    # set by the standards alone and cannot be changed by hand
    change_amount: Callable[..., None] | None = None
    # (person_ids, month) -> {person_id: {fact, ...}}, the facts above
    facts: Callable[[Sequence[int], datetime.date], dict[int, set[str]]] | None = None
    # SQL of the facts that hold today, columns (person_id, fact), for checks over everyone
    facts_sql: str | None = None
    households: Households | None = None


_sources: dict[str, BenefitSource] = {}


def register(source: BenefitSource) -> None:
    _sources[source.key] = source


def sources() -> list[BenefitSource]:
    return list(_sources.values())


def source(key: str) -> BenefitSource:
    return _sources[key]


def programs() -> set[str]:
    """Every program some app pays benefits of."""
    return {program for s in _sources.values() for program in s.programs}


def open_refs(person_ids: Sequence[int]) -> set[str]:
    """The refs of these people's open benefits as the sources' `open_sql` has them: what a
    confirmed warning may stop, suspend or change."""
    if not person_ids or not _sources:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.source || ':' || b.id FROM ({open_sql()}) AS b "  # noqa: S608 - our SQL
            "WHERE b.person_id = ANY (%s)",
            [list(person_ids)],
        )
        return {ref for (ref,) in cursor.fetchall()}


def open_benefits(person_ids: Sequence[int]) -> list[Benefit]:
    """Every app's open benefits of these people, by program."""
    found = [b for s in _sources.values() for b in s.open_benefits(person_ids)]
    return sorted(found, key=lambda b: (b.person_id, b.program, b.ref))


def facts(person_ids: Sequence[int], month: datetime.date) -> dict[int, set[str]]:
    """What the sources state about these people in `month` (empty set: nothing)."""
    result: dict[int, set[str]] = {pk: set() for pk in person_ids}
    for s in _sources.values():
        if s.facts is None:
            continue
        for pk, found in s.facts(person_ids, month).items():
            result.setdefault(pk, set()).update(found)
    return result


def open_sql() -> str:
    """The union of every source's open benefits, columns (source, id, person_id, program,
    area_id), for set-based matching."""
    parts = [
        f"SELECT '{s.key}'::varchar AS source, b.id, b.person_id, b.program::varchar, "  # noqa: S608
        f"b.area_id FROM ({s.open_sql}) AS b"
        for s in _sources.values()
    ]
    if not parts:
        return (
            "SELECT NULL::varchar AS source, NULL::bigint AS id, NULL::bigint AS person_id, "
            "NULL::varchar AS program, NULL::bigint AS area_id WHERE false"
        )
    return "\nUNION ALL\n".join(parts)


def households_sql() -> str:
    """The union of every source's household ties, columns (source, household_id, person_id,
    member, variant): `source` is the households' key, so a household's ref is
    source || ':' || household_id."""
    parts = [
        f"SELECT '{s.households.key}'::varchar AS source, t.household_id, t.person_id, "  # noqa: S608
        f"t.member, t.variant::varchar FROM ({s.households.sql}) AS t"
        for s in _sources.values()
        if s.households is not None
    ]
    if not parts:
        return (
            "SELECT NULL::varchar AS source, NULL::bigint AS household_id, "
            "NULL::bigint AS person_id, NULL::boolean AS member, NULL::varchar AS variant "
            "WHERE false"
        )
    return "\nUNION ALL\n".join(parts)


def facts_sql() -> str:
    """The union of the facts the sources state in SQL, columns (person_id, fact)."""
    parts = [
        f"SELECT f.person_id, f.fact::varchar FROM ({s.facts_sql}) AS f"  # noqa: S608
        for s in _sources.values()
        if s.facts_sql is not None
    ]
    if not parts:
        return "SELECT NULL::bigint AS person_id, NULL::varchar AS fact WHERE false"
    return "\nUNION ALL\n".join(parts)


def households_of(person_id: int) -> list[Household]:
    """The households the person is a registered member of, in every source that keeps some."""
    found = []
    for s in _sources.values():
        if s.households is not None:
            household = s.households.of(person_id)
            if household is not None:
                found.append(household)
    return found


def caseworker_people(user: Any) -> list[Any]:
    """Querysets of the person ids of households the user is the caseworker of, one per source
    that keeps households and caseworkers."""
    return [
        s.households.caseworker_people(user)
        for s in _sources.values()
        if s.households is not None and s.households.caseworker_people is not None
    ]
