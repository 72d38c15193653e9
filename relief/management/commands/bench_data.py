"""Synthetic relief data at scale, for the benchmarks: persons, households, entitlements.

    python manage.py bench_data --persons 1000000 --households 400000 [--month 2026-11] [--reset]

Everything is written set-based in SQL (INSERT … SELECT over generate_series), so a million
persons take minutes. The rows are marked so that `--reset` finds them again: persons and
households have an address starting with BENCH_MARK. Persons get valid, distinct ID numbers
(the core.idgen rule, computed in SQL: county 430922, birth dates over ~110 years, sequence
numbers 900-999 so that they do not meet the demo people), spread over the demo villages.
Person i is in household i mod H, the first H persons being the heads; household h lives in
village (h div 10) mod V, so that names and villages are not correlated. Each person has one
active entitlement with one open period from --month: heads the household's dibao, the
others extreme-poverty support or one of the two disability subsidies.

The amounts are synthetic (they only have to be plausible and varied); real amounts come
from the standards tables through the services. No history rows are written.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from civil_affairs.areas.models import Area
from civil_affairs.core import demo
from civil_affairs.core.months import first_of_month, parse_month

BENCH_MARK = "[bench]"
COUNTY_CODE = "430922"
FIRST_BIRTH = datetime.date(1915, 1, 1)
BIRTH_DAYS = 40_000  # birth dates from 1915 on, about 110 years
FIRST_SEQUENCE = 900  # sequence numbers 900-999: 100 x 40,000 = 4,000,000 distinct numbers
SEQUENCES = 1000 - FIRST_SEQUENCE
MAX_PERSONS = SEQUENCES * BIRTH_DAYS
# person i: sequence 900 + i mod 100, birth day (i div 100) x 7919 mod 40,000 (7919 is prime
# to 40,000, so distinct i give distinct numbers)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅"
    "文辉鹏飞斌宇浩凯健俊帆帅旭宁龙林欢阳佳琳"
)
ID_WEIGHTS = "7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2"
ID_CHECK = "10X98765432"

# persons: i -> household h, id number, name, sex, birth date
# constants only are formatted in; values go as parameters
PERSONS_SQL = f"""
CREATE TEMP TABLE bench_person ON COMMIT DROP AS
SELECT i, h, id, body || substr('{ID_CHECK}', (
           SELECT sum(substr(body, k, 1)::int * (ARRAY[{ID_WEIGHTS}])[k])::int %% 11
           FROM generate_series(1, 17) AS k) + 1, 1) AS id_number,
       birth, CASE WHEN seq %% 2 = 1 THEN 'M' ELSE 'F' END AS sex,
       substr(%(surnames)s, ((i * 7919) %% char_length(%(surnames)s))::int + 1, 1)
       || substr(%(given)s, (((i / 100) * 31 + i * 7) %% char_length(%(given)s))::int + 1, 1)
       || CASE WHEN i %% 3 = 0 THEN ''
               ELSE substr(%(given)s,
                           (((i / 5000) * 13 + i * 17 + 3) %% char_length(%(given)s))::int + 1, 1)
               END
       AS name
FROM (
    SELECT i, i %% %(households)s AS h,
           nextval(pg_get_serial_sequence('people_person', 'id')) AS id,
           %(first_birth)s::date
               + (((i / {SEQUENCES})::bigint * 7919) %% {BIRTH_DAYS})::int AS birth,
           {FIRST_SEQUENCE} + i %% {SEQUENCES} AS seq
    FROM generate_series(0::bigint, %(persons)s - 1) AS i
) AS p
CROSS JOIN LATERAL (
    SELECT '{COUNTY_CODE}' || to_char(birth, 'YYYYMMDD') || lpad(seq::text, 3, '0') AS body
) AS b
"""  # noqa: S608

HOUSEHOLDS_SQL = """
CREATE TEMP TABLE bench_household ON COMMIT DROP AS
SELECT h, nextval(pg_get_serial_sequence('relief_household', 'id')) AS id,
       (%(villages)s::bigint[])[(h / 10) %% cardinality(%(villages)s::bigint[]) + 1] AS area_id,
       (%(persons)s - 1 - h) / %(households)s + 1 AS size
FROM generate_series(0, %(households)s - 1) AS h
"""

INSERT_SQL = [
    """
    INSERT INTO people_person (id, created_at, updated_at, id_number, name, sex, birth_date,
                               phone, address, area_id, bank_name, bank_account)
    SELECT p.id, now(), now(), p.id_number, p.name, p.sex, p.birth, '',
           %(mark)s || ' ' || p.h || '号', hh.area_id, '', ''
    FROM bench_person p JOIN bench_household hh USING (h)
    """,
    """
    INSERT INTO relief_household (id, created_at, updated_at, area_id, address,
                                  registered_type, category)
    SELECT id, now(), now(), area_id, %(mark)s || ' ' || h || '号',
           CASE WHEN h %% 3 = 0 THEN 'urban' ELSE 'rural' END,
           (ARRAY['A', 'B', 'C'])[h %% 3 + 1]
    FROM bench_household
    """,
    # members: heads first; the program decides the disability certificate
    """
    INSERT INTO relief_householdmember (
        created_at, updated_at, household_id, person_id, relationship, work_capacity,
        disability_certificate, disability_type, disability_grade, health,
        income_wages, income_business, income_farming, income_property, income_transfer,
        income_other, vehicles, real_estate, deposits)
    SELECT now(), now(), hh.id, p.id,
           CASE WHEN p.i < %(households)s THEN 'head'
                WHEN p.i < 2 * %(households)s THEN 'spouse' ELSE 'child' END,
           CASE WHEN p.i >= %(households)s AND p.i %% 3 <> 0 THEN 'none' ELSE 'partial' END,
           CASE WHEN p.i >= %(households)s AND p.i %% 3 = 1
                THEN p.id_number || '4' || (p.i %% 2 + 3)::text
                WHEN p.i >= %(households)s AND p.i %% 3 = 2
                THEN p.id_number || '5' || (p.i %% 2 + 1)::text ELSE '' END,
           CASE WHEN p.i >= %(households)s AND p.i %% 3 = 1 THEN 'physical'
                WHEN p.i >= %(households)s AND p.i %% 3 = 2 THEN 'intellectual' ELSE '' END,
           CASE WHEN p.i >= %(households)s AND p.i %% 3 = 1 THEN p.i %% 2 + 3
                WHEN p.i >= %(households)s AND p.i %% 3 = 2 THEN p.i %% 2 + 1 END,
           'healthy',
           CASE WHEN p.i < %(households)s THEN (p.i %% 40) * 10 ELSE 0 END, 0, 0, 0, 0, 0,
           0, 1, (p.i %% 50) * 100
    FROM bench_person p JOIN bench_household hh USING (h)
    """,
    """
    INSERT INTO relief_entitlement (
        created_at, updated_at, program, person_id, area_id, household_id, monthly_amount,
        start_month, end_month, suspended_from, status, status_reason,
        basis)
    SELECT now(), now(), prog.program, p.id, hh.area_id,
           CASE WHEN prog.program = 'dibao' THEN hh.id END,
           CASE prog.program
               WHEN 'dibao' THEN (200 + (p.h %% 40) * 10) * hh.size
               WHEN 'extreme_poverty' THEN 900 + (p.i %% 5) * 100
               WHEN 'disability_living' THEN 80 + (p.i %% 3) * 10
               ELSE 100 + (p.i %% 3) * 20 END,
           %(month)s, NULL, NULL, 'active', '',
           jsonb_build_object('source', 'bench_data',
                              'members_covered', CASE WHEN prog.program = 'dibao'
                                                      THEN hh.size ELSE 1 END)
    FROM bench_person p JOIN bench_household hh USING (h)
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.i < %(households)s THEN 'dibao'
                    ELSE (ARRAY['extreme_poverty', 'disability_living',
                                'disability_care'])[p.i %% 3 + 1] END AS program
    ) AS prog
    """,
    """
    INSERT INTO relief_entitlementperiod (entitlement_id, valid_from, valid_to, monthly_amount,
                                          basis)
    SELECT e.id, e.start_month, NULL, e.monthly_amount, e.basis
    FROM relief_entitlement e JOIN bench_person p ON p.id = e.person_id
    """,
]

# deleting in the order of the foreign keys
RESET_SQL = [
    (
        "entitlement periods",
        """DELETE FROM relief_entitlementperiod WHERE entitlement_id IN (
               SELECT e.id FROM relief_entitlement e JOIN people_person p ON p.id = e.person_id
               WHERE p.address LIKE %(like)s)""",
    ),
    (
        "entitlements",
        """DELETE FROM relief_entitlement WHERE person_id IN (
               SELECT id FROM people_person WHERE address LIKE %(like)s)""",
    ),
    (
        "household members",
        """DELETE FROM relief_householdmember WHERE household_id IN (
               SELECT id FROM relief_household WHERE address LIKE %(like)s)""",
    ),
    ("households", "DELETE FROM relief_household WHERE address LIKE %(like)s"),
    ("persons", "DELETE FROM people_person WHERE address LIKE %(like)s"),
]

TABLES = [
    "people_person",
    "relief_household",
    "relief_householdmember",
    "relief_entitlement",
    "relief_entitlementperiod",
]


class Command(BaseCommand):
    help = "Create (or --reset) synthetic persons, households and entitlements for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=1_000_000)
        parser.add_argument("--households", type=int, default=400_000)
        parser.add_argument("--month", type=str, default="", help="YYYY-MM; default this month")
        parser.add_argument(
            "--reset", action="store_true", help="delete the bench data first (and only that)"
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="delete the bench data and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        persons: int = options["persons"]
        households: int = options["households"]
        try:
            month = (
                parse_month(options["month"])
                if options["month"]
                else first_of_month(timezone.localdate())
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["reset"] or options["reset_only"]:
            self._reset()
            if options["reset_only"]:
                return
        if not 0 < households <= persons:
            raise CommandError("--households must be at least 1 and at most --persons.")
        if persons > MAX_PERSONS:
            raise CommandError(f"--persons can be at most {MAX_PERSONS:,}.")
        if self._existing():
            raise CommandError("Bench data is already in this database: add --reset to replace it.")
        county_villages = Area.objects.within(COUNTY_CODE).filter(level=Area.Level.VILLAGE)
        if not county_villages.exists():
            demo.load_areas()
        villages = list(county_villages.order_by("code").values_list("id", flat=True))
        params: dict[str, int | str | datetime.date | list[int]] = {
            "persons": persons,
            "households": households,
            "month": month,
            "villages": villages,
            "mark": BENCH_MARK,
            "first_birth": FIRST_BIRTH,
            "surnames": SURNAMES,
            "given": GIVEN,
        }
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(PERSONS_SQL, params)
            cursor.execute(HOUSEHOLDS_SQL, params)
            for sql in INSERT_SQL:
                cursor.execute(sql, params)
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")
        self._print_counts(time.monotonic() - started, month)

    def _existing(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM people_person WHERE address LIKE %s", [BENCH_MARK + "%"]
            )
            return int(cursor.fetchone()[0])

    def _reset(self) -> None:
        like = BENCH_MARK + "%"
        with transaction.atomic(), connection.cursor() as cursor:
            for label, sql in RESET_SQL:
                cursor.execute(sql, {"like": like})
                self.stdout.write(f"deleted {cursor.rowcount:>10,} {label}")

    def _print_counts(self, seconds: float, month: datetime.date) -> None:
        like = BENCH_MARK + "%"
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT (SELECT count(*) FROM people_person WHERE address LIKE %(like)s),
                       (SELECT count(*) FROM relief_household WHERE address LIKE %(like)s),
                       (SELECT count(*) FROM relief_householdmember m
                          JOIN relief_household h ON h.id = m.household_id
                         WHERE h.address LIKE %(like)s)
                """,
                {"like": like},
            )
            people, households, members = cursor.fetchone()
            cursor.execute(
                """
                SELECT e.program, count(*), count(pe.id)
                FROM relief_entitlement e
                JOIN people_person p ON p.id = e.person_id AND p.address LIKE %(like)s
                LEFT JOIN relief_entitlementperiod pe ON pe.entitlement_id = e.id
                WHERE e.status = 'active'
                GROUP BY e.program ORDER BY e.program
                """,
                {"like": like},
            )
            programs = cursor.fetchall()
        self.stdout.write(f"bench data in {seconds:.1f} s, month {month:%Y-%m}:")
        self.stdout.write(f"  persons            {people:>10,}")
        self.stdout.write(f"  households         {households:>10,}")
        self.stdout.write(f"  household members  {members:>10,}")
        total = 0
        for program, count, periods in programs:
            total += count
            self.stdout.write(f"  active {program:<18}{count:>10,}  ({periods:,} periods)")
        self.stdout.write(f"  active entitlements{total:>10,}")
