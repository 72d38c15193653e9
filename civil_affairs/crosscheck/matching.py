"""The matching job: set-based SQL that turns hits into warnings, in chunks.

A run is split into chunks, like the payroll: the rows of the loaded lists by id range, and
the people by id range for the checks without files. Each chunk is one
`INSERT … SELECT … ON CONFLICT DO NOTHING` per step into crosscheck_warning, whose unique keys
— (person, list row, rule), or (person, rule, evidence key) without a list row — make a rerun
or a retried chunk add nothing that is there already, whatever its status: a dismissed
warning stays dismissed.

Who is matched: everyone with an open benefit of a program the rule affects, in any app that
registered its benefits (civil_affairs/benefits.py: `open_sql`), paid in an area inside both
the list's area and the run's area. A household-wide rule also reaches the beneficiaries in
the household of the person the row names (the sources' household ties). This module knows
the registry, not the apps: a warning names the benefits it concerns by their refs
(`<source>:<id>`).
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from civil_affairs import benefits
from civil_affairs.areas.models import Area
from civil_affairs.core.months import add_months, first_of_month

from .kinds import LIST_KINDS, Kind
from .models import ExternalList, ListRow, MatchRule, MatchRun

logger = logging.getLogger(__name__)

LIST_CHUNK_ROWS = 1_000_000  # list rows per chunk: one hash of the people per chunk
PEOPLE_CHUNK_IDS = 250_000  # person ids per chunk (checks without files)

RULE_PROGRAM = "(cardinality(r.programs) = 0 OR e.program = ANY (r.programs))"
IN_RUN_AREA = "e.area_id = ANY (%(run_areas)s)"  # paid inside the run's area
BENEFIT_REF = "(e.source || ':' || e.id)"
BENEFIT_ORDER = "ORDER BY e.source, e.id"

WARNING_COLUMNS = """
    rule_id, kind, severity, person_id, subject_id, area_id, list_row_id, evidence_key,
    evidence, suggested_action, suggested_month, run_id, created_at, status,
    resolution_action, resolution_note, outcome
"""

# The amount a row's value is compared with: the threshold row of the most specific area
# above the beneficiary's, valid on the list's date.
THRESHOLD = """
(SELECT t.amount FROM crosscheck_threshold t JOIN areas_area ta ON ta.id = t.area_id
  WHERE t.name = r.threshold_name AND ea.code LIKE ta.code || '%%'
    AND t.valid_from <= %(valid_on)s AND (t.valid_to IS NULL OR t.valid_to >= %(valid_on)s)
  ORDER BY length(ta.code) DESC, t.valid_from DESC LIMIT 1)
"""

# A standard as the threshold ("standard:<kind>", the pension rule compares with the dibao
# standard): the row of the beneficiary's area on the list's date, of the variant their
# household is assessed under (urban or rural) when a source states one.
STANDARD_THRESHOLD = """
(SELECT s.value FROM standards_standard s JOIN areas_area sa ON sa.id = s.area_id
  WHERE s.kind = substr(r.threshold_name, {prefix_length}) AND ea.code LIKE sa.code || '%%'
    AND s.valid_from <= %(valid_on)s
    AND (s.valid_to IS NULL OR s.valid_to >= date_trunc('month', %(valid_on)s::date))
  ORDER BY s.variant = coalesce((
             SELECT t.variant FROM ({households}) AS t
             WHERE t.person_id = h.person_id ORDER BY t.member DESC LIMIT 1), '') DESC,
           length(sa.code) DESC, s.valid_from DESC
  LIMIT 1)
"""

SUGGESTED_MONTH = """
(CASE WHEN r.effective_basis = 'event' AND h.event_date IS NOT NULL
      THEN date_trunc('month', h.event_date::date)
      ELSE date_trunc('month', %(valid_on)s::date) END
 + interval '1 month')::date
"""

# An evidence key of benefits or households: their refs, cut (and made unique by a hash)
# where they would not fit the column.
EVIDENCE_KEY = (
    "CASE WHEN length({key}) <= 200 THEN {key} ELSE left({key}, 160) || '~' || md5({key}) END"
)

# The rows of one list (a chunk of its id range) against the beneficiaries they concern.
# `named` (NAMED_SQL, a table of its own so that the planner knows how few they are, made by
# a join PostgreSQL may share between processes): the rows whose ID number is a person's.
# A rule's `reach` decides whom a row concerns: the person it names (person), or also
# (household) or only (others) the beneficiaries in their household. Paid in one of
# %(areas)s: inside the list's area and the run's.
NAMED_SQL = """
DROP TABLE IF EXISTS crosscheck_named;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL enable_bitmapscan = off;
CREATE TEMP TABLE crosscheck_named ON COMMIT DROP AS
SELECT lr.id AS list_row_id, lr.event_date, lr.value, p.id AS subject_id
FROM crosscheck_listrow lr
JOIN people_person p ON p.id_number = lr.id_number
WHERE lr.id BETWEEN %(lo)s AND %(hi)s
ORDER BY p.id;  -- the lookups of their households and benefits then go in index order
SET LOCAL enable_bitmapscan = on;
ANALYZE crosscheck_named;
"""

# The registry's SQL (benefits, household ties) is a UNION ALL of the apps' queries, on whose
# columns PostgreSQL keeps no statistics: joined on them, it would guess millions of rows and
# hash whole tables. Each lookup is therefore a LATERAL subquery behind OFFSET 0, whose
# condition (this person, this household) goes down into every app's query and is planned
# there, with that table's statistics and indexes: a few index probes per hit.
LIST_SQL = """
WITH named AS (
    SELECT * FROM crosscheck_named
), rules AS MATERIALIZED (
    SELECT id, reach FROM crosscheck_matchrule WHERE kind = %(kind)s AND active
), hits AS (
    SELECT r.id AS rule_id, n.list_row_id, n.event_date, n.value, n.subject_id,
           n.subject_id AS person_id
    FROM named n JOIN rules r ON r.reach <> 'others'
  UNION ALL
    SELECT r.id, n.list_row_id, n.event_date, n.value, n.subject_id, other.person_id
    FROM named n JOIN rules r ON r.reach <> 'person'
    CROSS JOIN LATERAL (
        SELECT t.source, t.household_id FROM ({households}) AS t
        WHERE t.person_id = n.subject_id AND t.member OFFSET 0
    ) AS m
    CROSS JOIN LATERAL (
        SELECT t.person_id FROM ({households}) AS t
        WHERE t.household_id = m.household_id AND t.source = m.source AND t.member
          AND t.person_id <> n.subject_id
        OFFSET 0
    ) AS other
)
INSERT INTO crosscheck_warning ({columns})
SELECT r.id, r.kind, r.severity, h.person_id, h.subject_id, min(e.area_id), h.list_row_id, '',
       jsonb_build_object('benefits', array_agg({ref} {order})),
       r.suggested_action, {suggested_month}, %(run)s, now(), 'open', '', '', '{{}}'
FROM hits h
JOIN crosscheck_matchrule r ON r.id = h.rule_id
CROSS JOIN LATERAL (
    SELECT b.* FROM ({open}) AS b WHERE b.person_id = h.person_id OFFSET 0
) AS e
JOIN areas_area ea ON ea.id = e.area_id
WHERE e.area_id = ANY (%(areas)s) AND {rule_program}
  AND (r.threshold_name = '' OR h.value::numeric > coalesce(
        CASE WHEN r.threshold_name LIKE '{standard}%%' THEN {standard_threshold}
             ELSE {threshold} END,
        -1))
GROUP BY r.id, h.person_id, h.subject_id, h.list_row_id, h.event_date
ON CONFLICT (person_id, list_row_id, rule_id) WHERE list_row_id IS NOT NULL DO NOTHING
"""

# One person holding more than one open benefit among a rule's programs: the same program
# twice, or programs that exclude each other (dibao and extreme-poverty support).
DUPLICATE_BENEFIT_SQL = """
INSERT INTO crosscheck_warning ({columns})
SELECT r.id, r.kind, r.severity, e.person_id, e.person_id, min(e.area_id), NULL,
       {key},
       jsonb_build_object('benefits', array_agg({ref} {order}),
                          'programs', array_agg(e.program {order})),
       r.suggested_action, %(next_month)s, %(run)s, now(), 'open', '', '', '{{}}'
FROM crosscheck_matchrule r
JOIN ({open}) AS e ON {rule_program}
WHERE r.kind = 'duplicate_benefit' AND r.active
  AND e.person_id BETWEEN %(lo)s AND %(hi)s AND {in_run_area}
GROUP BY r.id, e.person_id
HAVING count(*) > 1
ON CONFLICT DO NOTHING
"""

# One person tied to two households: a member of one and paid for another, or (should the
# one-household rule ever be relaxed) a member of two.
DUPLICATE_HOUSEHOLD_SQL = """
WITH ties AS (
    SELECT DISTINCT t.person_id, t.source, t.household_id
    FROM ({households}) AS t
    WHERE t.person_id BETWEEN %(lo)s AND %(hi)s
), doubled AS (
    SELECT person_id,
           array_agg(source || ':' || household_id ORDER BY source, household_id) AS households
    FROM ties GROUP BY person_id HAVING count(*) > 1
)
INSERT INTO crosscheck_warning ({columns})
SELECT r.id, r.kind, r.severity, d.person_id, d.person_id, min(e.area_id), NULL,
       {key},
       jsonb_build_object('households', d.households,
                          'benefits', array_agg({ref} {order})),
       r.suggested_action, %(next_month)s, %(run)s, now(), 'open', '', '', '{{}}'
FROM doubled d
JOIN crosscheck_matchrule r ON r.kind = 'duplicate_household' AND r.active
JOIN ({open}) AS e ON e.person_id = d.person_id AND {rule_program}
WHERE {in_run_area}
GROUP BY r.id, d.person_id, d.households
ON CONFLICT DO NOTHING
"""

# Age events from the birth date in the ID number: a beneficiary of one of the rule's programs
# who reaches the rule's age by the end of the month after the run's date (so the caseworker
# can act before that month's payroll), unless a source states the rule's exemption about
# them (a child in full-time education). Suggested month: the month after the birthday.
AGE_SQL = """
INSERT INTO crosscheck_warning ({columns})
SELECT r.id, r.kind, r.severity, p.id, p.id, min(e.area_id), NULL, 'age:' || r.age_years,
       jsonb_build_object('age', r.age_years, 'birth_date', p.birth_date,
                          'birthday', b.day, 'benefits', array_agg({ref} {order})),
       r.suggested_action, (date_trunc('month', b.day) + interval '1 month')::date,
       %(run)s, now(), 'open', '', '', '{{}}'
FROM crosscheck_matchrule r
JOIN ({open}) AS e ON {rule_program}
JOIN people_person p ON p.id = e.person_id
CROSS JOIN LATERAL (
    SELECT (p.birth_date + make_interval(years => r.age_years))::date AS day
) AS b
WHERE r.kind = 'age' AND r.active AND r.age_years IS NOT NULL
  AND e.person_id BETWEEN %(lo)s AND %(hi)s AND {in_run_area}
  AND b.day <= %(horizon)s
  AND (r.unless_fact = '' OR NOT EXISTS (
        SELECT 1 FROM ({facts}) AS f WHERE f.person_id = p.id AND f.fact = r.unless_fact))
GROUP BY r.id, p.id, b.day
ON CONFLICT DO NOTHING
"""


def step_sql(step: str) -> str:
    """The statement of a step, over the benefits and households registered now."""
    households = benefits.households_sql()
    parts = {
        "columns": WARNING_COLUMNS,
        "open": benefits.open_sql(),
        "households": households,
        "facts": benefits.facts_sql(),
        "ref": BENEFIT_REF,
        "order": BENEFIT_ORDER,
        "rule_program": RULE_PROGRAM,
        "in_run_area": IN_RUN_AREA,
    }
    if step == "lists":
        return LIST_SQL.format(
            **parts,
            suggested_month=SUGGESTED_MONTH,
            standard=MatchRule.STANDARD_PREFIX,
            standard_threshold=STANDARD_THRESHOLD.format(
                prefix_length=len(MatchRule.STANDARD_PREFIX) + 1, households=households
            ),
            threshold=THRESHOLD,
        )
    if step == "duplicate_benefit":
        key = f"'benefits:' || string_agg({BENEFIT_REF}, ',' {BENEFIT_ORDER})"
        return DUPLICATE_BENEFIT_SQL.format(**parts, key=EVIDENCE_KEY.format(key=key))
    if step == "duplicate_household":
        key = "'households:' || array_to_string(d.households, ',')"
        return DUPLICATE_HOUSEHOLD_SQL.format(**parts, key=EVIDENCE_KEY.format(key=key))
    return AGE_SQL.format(**parts)


CHECK_STEPS = {
    MatchRun.Check.LISTS: ["lists"],
    MatchRun.Check.DUPLICATES: ["duplicate_benefit", "duplicate_household"],
    MatchRun.Check.AGE: ["age"],
}
STEP_KINDS = {
    "lists": list(LIST_KINDS),
    "duplicate_benefit": [Kind.DUPLICATE_BENEFIT],
    "duplicate_household": [Kind.DUPLICATE_HOUSEHOLD],
    "age": [Kind.AGE],
}


@dataclass(frozen=True)
class Chunk:
    step: str
    lo: int
    hi: int

    def as_args(self) -> tuple[str, int, int]:
        return self.step, self.lo, self.hi


def _areas_under(*codes: str) -> list[int]:
    """Ids of the areas inside every one of the areas with these codes."""
    longest = max(codes, key=len)
    if not all(longest.startswith(code) for code in codes):
        return []
    return list(Area.objects.within(longest).values_list("id", flat=True))


def run_lists(run: MatchRun) -> list[int]:
    """The loaded lists a run matches: those whose area overlaps the run's area (inside it,
    or one of the areas above it)."""
    code = run.area.code
    above = [code[:n] for n in Area.CODE_LENGTH.values() if n < len(code)]
    overlapping = Area.objects.within(code) | Area.objects.filter(code__in=above)
    return sorted(
        ExternalList.objects.filter(
            status=ExternalList.Status.LOADED, area__in=overlapping
        ).values_list("pk", flat=True)
    )


def plan(run: MatchRun) -> list[Chunk]:
    """The chunks of a run: list rows by id range, people by id range."""
    chunks: list[Chunk] = []
    active_kinds = {rule.kind for rule in MatchRule.objects.filter(active=True) if rule.in_effect}
    people: tuple[int, int] | None = None
    for check in run.checks:
        for step in CHECK_STEPS[MatchRun.Check(check)]:
            if not active_kinds & set(STEP_KINDS[step]):
                continue
            if step == "lists":  # each list's rows, by id range (its partition)
                for lst in ExternalList.objects.filter(pk__in=run_lists(run)).order_by("pk"):
                    base = lst.pk * ListRow.ROW_SPAN
                    for lo in range(base + 2, base + lst.last_row + 1, LIST_CHUNK_ROWS):
                        hi = min(lo + LIST_CHUNK_ROWS - 1, base + lst.last_row)
                        chunks.append(Chunk(step, lo, hi))
                continue
            people = people or _beneficiary_ids()
            first, last = people
            for lo in range(first, last + 1, PEOPLE_CHUNK_IDS):
                chunks.append(Chunk(step, lo, min(lo + PEOPLE_CHUNK_IDS - 1, last)))
    return chunks


def _beneficiary_ids() -> tuple[int, int]:
    """The lowest and highest person id with an open benefit ((1, 0) when there is none): one
    index probe at each end per source."""
    sources = benefits.sources()
    if not sources:
        return 1, 0
    per_source = "\nUNION ALL\n".join(
        f"SELECT min(b.person_id) AS lo, max(b.person_id) AS hi FROM ({s.open_sql}) AS b"  # noqa: S608
        for s in sources
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(lo), max(hi) FROM ({per_source}) AS bounds")  # noqa: S608
        lo, hi = cursor.fetchone()
    return (lo, hi) if lo is not None else (1, 0)


def run_chunk(run: MatchRun, chunk: Chunk) -> int:
    """Insert the warnings of one chunk; returns how many are new. Safe to repeat."""
    params: dict[str, Any] = {
        "run": run.pk,
        "lo": chunk.lo,
        "hi": chunk.hi,
        "run_areas": _areas_under(run.area.code),
        "next_month": add_months(first_of_month(run.as_of), 1),
        "horizon": add_months(first_of_month(run.as_of), 2) - datetime.timedelta(days=1),
    }
    if chunk.step == "lists":
        lst = ExternalList.objects.select_related("area").get(pk=chunk.lo // ListRow.ROW_SPAN)
        params.update(
            kind=lst.kind,
            valid_on=lst.valid_on,
            areas=_areas_under(lst.area.code, run.area.code),
        )
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # few rows per statement: compiling a plan costs more than running it
        cursor.execute("SET LOCAL jit = off")
        # the hits are few: look their households and benefits up by index rather than
        # hash whole tables (the default cost of a random read assumes spinning disks)
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        if chunk.step == "lists":
            cursor.execute(NAMED_SQL, params)
        named = time.monotonic()
        cursor.execute(step_sql(chunk.step), params)
        created = max(cursor.rowcount, 0)
        MatchRun.objects.filter(pk=run.pk).update(
            chunks_done=F("chunks_done") + 1, warnings_created=F("warnings_created") + created
        )
    logger.info(
        "run %s chunk %s %s-%s: %d new warnings in %.2f s (%.2f s finding the people named)",
        run.pk,
        chunk.step,
        chunk.lo,
        chunk.hi,
        created,
        time.monotonic() - started,
        named - started,
    )
    return created


def run_start(run: MatchRun) -> list[Chunk]:
    """Mark the run as running and plan it."""
    chunks = plan(run)
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.RUNNING,
        started_at=timezone.now(),
        chunks_total=len(chunks),
        chunks_done=0,
    )
    return chunks


def run_finish(run: MatchRun) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.DONE, finished_at=timezone.now()
    )


def run_fail(run: MatchRun, error: str) -> None:
    MatchRun.objects.filter(pk=run.pk).filter(~Q(status=MatchRun.Status.DONE)).update(
        status=MatchRun.Status.FAILED, finished_at=timezone.now(), error=error[:2000]
    )


def run_inline(run: MatchRun) -> MatchRun:
    """The whole run in this process (the management command and tests of the SQL)."""
    for chunk in run_start(run):
        run_chunk(run, chunk)
    run_finish(run)
    run.refresh_from_db()
    return run
