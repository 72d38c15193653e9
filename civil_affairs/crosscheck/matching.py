"""The matching job: set-based SQL that turns hits into warnings, in chunks.

A run is split into chunks, like the payroll: the rows of the loaded lists by id range, and
the people by id range for the checks without files. Each chunk is one
`INSERT … SELECT … ON CONFLICT DO NOTHING` per step into crosscheck_warning, whose unique keys
— (person, list row, rule), or (person, rule, evidence key) without a list row — make a rerun
or a retried chunk add nothing that is there already, whatever its status: a dismissed
warning stays dismissed.

Who is matched: everyone with an open entitlement (not stopped) of a program the rule
affects, paid in an area inside both the list's area and the run's area. A household-wide
rule also reaches the beneficiaries in the household of the person the row names.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from civil_affairs.areas.models import Area
from civil_affairs.core.months import add_months, first_of_month

from .kinds import LIST_KINDS, Kind
from .models import ExternalList, ListRow, MatchRule, MatchRun

logger = logging.getLogger(__name__)

LIST_CHUNK_ROWS = 1_000_000  # list rows per chunk: one hash of the people per chunk
PEOPLE_CHUNK_IDS = 250_000  # person ids per chunk (checks without files)

OPEN_ENTITLEMENT = "e.status <> 'stopped'"
RULE_PROGRAM = "(cardinality(r.programs) = 0 OR e.program = ANY (r.programs))"
IN_RUN_AREA = "e.area_id = ANY (%(run_areas)s)"  # paid inside the run's area

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

# The dibao standard (relief's standards table) of the beneficiary's area on the list's date,
# of their household's registered type (urban or rural) when there is one.
RELIEF_DIBAO = """
(SELECT s.value FROM standards_standard s JOIN areas_area sa ON sa.id = s.area_id
  WHERE s.kind = 'dibao' AND ea.code LIKE sa.code || '%%'
    AND s.valid_from <= %(valid_on)s
    AND (s.valid_to IS NULL OR s.valid_to >= date_trunc('month', %(valid_on)s::date))
  ORDER BY s.variant = coalesce((
             SELECT hh.registered_type FROM relief_householdmember bm
             JOIN relief_household hh ON hh.id = bm.household_id
             WHERE bm.person_id = h.person_id LIMIT 1), '') DESC,
           length(sa.code) DESC, s.valid_from DESC
  LIMIT 1)
"""

SUGGESTED_MONTH = """
(CASE WHEN r.effective_basis = 'event' AND h.event_date IS NOT NULL
      THEN date_trunc('month', h.event_date::date)
      ELSE date_trunc('month', %(valid_on)s::date) END
 + interval '1 month')::date
"""

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
ORDER BY p.id;  -- the lookups of their households and entitlements then go in index order
SET LOCAL enable_bitmapscan = on;
ANALYZE crosscheck_named;
"""

LIST_SQL = f"""
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
    JOIN relief_householdmember m ON m.person_id = n.subject_id
    JOIN relief_householdmember other
      ON other.household_id = m.household_id AND other.person_id <> n.subject_id
)
INSERT INTO crosscheck_warning ({WARNING_COLUMNS})
SELECT r.id, r.kind, r.severity, h.person_id, h.subject_id, min(e.area_id), h.list_row_id, '',
       jsonb_build_object('entitlements', array_agg(e.id ORDER BY e.id)),
       r.suggested_action, {SUGGESTED_MONTH}, %(run)s, now(), 'open', '', '', '{{}}'
FROM hits h
JOIN crosscheck_matchrule r ON r.id = h.rule_id
JOIN relief_entitlement e ON e.person_id = h.person_id AND {OPEN_ENTITLEMENT} AND {RULE_PROGRAM}
JOIN areas_area ea ON ea.id = e.area_id
WHERE e.area_id = ANY (%(areas)s)
  AND (r.threshold_name = '' OR h.value::numeric > coalesce(
        CASE WHEN r.threshold_name = 'relief_dibao' THEN {RELIEF_DIBAO} ELSE {THRESHOLD} END,
        -1))
GROUP BY r.id, h.person_id, h.subject_id, h.list_row_id, h.event_date
ON CONFLICT (person_id, list_row_id, rule_id) WHERE list_row_id IS NOT NULL DO NOTHING
"""  # noqa: S608 - only our own constants are formatted in

# One person holding more than one open entitlement among a rule's programs: the same
# program twice, or programs that exclude each other (dibao and extreme-poverty support).
DUPLICATE_BENEFIT_SQL = f"""
INSERT INTO crosscheck_warning ({WARNING_COLUMNS})
SELECT r.id, r.kind, r.severity, e.person_id, e.person_id, min(e.area_id), NULL,
       'entitlements:' || string_agg(e.id::text, ',' ORDER BY e.id),
       jsonb_build_object('entitlements', array_agg(e.id ORDER BY e.id),
                          'programs', array_agg(e.program ORDER BY e.id)),
       r.suggested_action, %(next_month)s, %(run)s, now(), 'open', '', '', '{{}}'
FROM crosscheck_matchrule r
JOIN relief_entitlement e ON {OPEN_ENTITLEMENT} AND {RULE_PROGRAM}
WHERE r.kind = 'duplicate_benefit' AND r.active
  AND e.person_id BETWEEN %(lo)s AND %(hi)s AND {IN_RUN_AREA}
GROUP BY r.id, e.person_id
HAVING count(*) > 1
ON CONFLICT DO NOTHING
"""  # noqa: S608 - only our own constants are formatted in

# One person tied to two households: a member of one and paid for another, or (should the
# one-household rule ever be relaxed) a member of two.
DUPLICATE_HOUSEHOLD_SQL = f"""
WITH ties AS (
    SELECT m.person_id, m.household_id FROM relief_householdmember m
    WHERE m.person_id BETWEEN %(lo)s AND %(hi)s
  UNION
    SELECT e.person_id, e.household_id FROM relief_entitlement e
    WHERE e.household_id IS NOT NULL AND {OPEN_ENTITLEMENT}
      AND e.person_id BETWEEN %(lo)s AND %(hi)s
), doubled AS (
    SELECT person_id, array_agg(household_id ORDER BY household_id) AS households
    FROM ties GROUP BY person_id HAVING count(*) > 1
)
INSERT INTO crosscheck_warning ({WARNING_COLUMNS})
SELECT r.id, r.kind, r.severity, d.person_id, d.person_id, min(e.area_id), NULL,
       'households:' || array_to_string(d.households, ','),
       jsonb_build_object('households', d.households,
                          'entitlements', array_agg(e.id ORDER BY e.id)),
       r.suggested_action, %(next_month)s, %(run)s, now(), 'open', '', '', '{{}}'
FROM doubled d
JOIN crosscheck_matchrule r ON r.kind = 'duplicate_household' AND r.active
JOIN relief_entitlement e ON e.person_id = d.person_id AND {OPEN_ENTITLEMENT} AND {RULE_PROGRAM}
WHERE {IN_RUN_AREA}
GROUP BY r.id, d.person_id, d.households
ON CONFLICT DO NOTHING
"""  # noqa: S608 - only our own constants are formatted in

# Age events from the birth date in the ID number: a beneficiary of one of the rule's programs
# who reaches the rule's age by the end of the month after the run's date (so the caseworker
# can act before that month's payroll). Suggested month: the month after the birthday.
AGE_SQL = f"""
INSERT INTO crosscheck_warning ({WARNING_COLUMNS})
SELECT r.id, r.kind, r.severity, p.id, p.id, min(e.area_id), NULL, 'age:' || r.age_years,
       jsonb_build_object('age', r.age_years, 'birth_date', p.birth_date,
                          'birthday', b.day, 'entitlements', array_agg(e.id ORDER BY e.id)),
       r.suggested_action, (date_trunc('month', b.day) + interval '1 month')::date,
       %(run)s, now(), 'open', '', '', '{{}}'
FROM crosscheck_matchrule r
JOIN relief_entitlement e ON {OPEN_ENTITLEMENT} AND {RULE_PROGRAM}
JOIN people_person p ON p.id = e.person_id
CROSS JOIN LATERAL (
    SELECT (p.birth_date + make_interval(years => r.age_years))::date AS day
) AS b
WHERE r.kind = 'age' AND r.active AND r.age_years IS NOT NULL
  AND e.person_id BETWEEN %(lo)s AND %(hi)s AND {IN_RUN_AREA}
  AND b.day <= %(horizon)s
GROUP BY r.id, p.id, b.day
ON CONFLICT DO NOTHING
"""  # noqa: S608 - only our own constants are formatted in

STEP_SQL = {
    "lists": LIST_SQL,
    "duplicate_benefit": DUPLICATE_BENEFIT_SQL,
    "duplicate_household": DUPLICATE_HOUSEHOLD_SQL,
    "age": AGE_SQL,
}
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
    active_kinds = set(MatchRule.objects.filter(active=True).values_list("kind", flat=True))
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
            from relief.models import Entitlement

            bounds = Entitlement.objects.exclude(status=Entitlement.Status.STOPPED).aggregate(
                lo=Min("person_id"), hi=Max("person_id")
            )
            if bounds["lo"] is None:
                continue
            for lo in range(bounds["lo"], bounds["hi"] + 1, PEOPLE_CHUNK_IDS):
                chunks.append(Chunk(step, lo, min(lo + PEOPLE_CHUNK_IDS - 1, bounds["hi"])))
    return chunks


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
        # the hits are few: look their households and entitlements up by index rather than
        # hash whole tables (the default cost of a random read assumes spinning disks)
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        if chunk.step == "lists":
            cursor.execute(NAMED_SQL, params)
        named = time.monotonic()
        cursor.execute(STEP_SQL[chunk.step], params)
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
