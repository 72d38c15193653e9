"""The case search page's query at scale: a full ID number, and a name prefix.

    .venv/bin/python -m bench search [--persons=1000000] [--households=400000] [--repeat=300]
                                     [--keep]

Creates a database of its own (`relief_bench` on the server of DATABASE_URL), migrates it,
fills it with `manage.py bench_data`, then times `relief.selectors.case_search` (what the
page /relief/?q=… runs, with the access policy's area filter) for random full ID numbers and
for name prefixes of one and two characters, each `--repeat` times, and reports the medians
(the target is under 50 ms). The database is dropped at the end unless `--keep`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

BENCH_DATABASE = "relief_bench"


def _timed(fn: Any, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        fn(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _figures(prefix: str, times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        f"{prefix}_median_ms": round(statistics.median(ordered), 2),
        f"{prefix}_p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
    }


def run(args: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench search")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--households", type=int, default=0, help="default: persons x 0.4")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    options = parser.parse_args(args)
    households = options.households or max(1, int(options.persons * 0.4))

    from django.core.management import call_command
    from django.db import connection

    from bench._database import bench_database

    figures: dict[str, Any] = {"persons": options.persons, "households": households}
    with bench_database(BENCH_DATABASE, keep=options.keep, reuse=False):
        started = time.monotonic()
        call_command("bench_data", persons=options.persons, households=households, verbosity=0)
        figures["bench_data_seconds"] = round(time.monotonic() - started, 1)
        figures.update(_measure(options.repeat))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            figures["database_size"] = cursor.fetchone()[0]
    figures["target_ms"] = 50
    return figures


def _measure(repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from civil_affairs.areas import policy
    from civil_affairs.areas.models import Area, Role
    from civil_affairs.areas.services import assignment_create
    from relief import selectors

    users: Any = get_user_model()
    county = Area.objects.get(code="430922")
    township = Area.objects.get(code="430922100")
    approver = users.objects.create(username="bench_approver")
    assignment_create(user=approver, area=county, role=Role.COUNTY_APPROVER)
    caseworker = users.objects.create(username="bench_caseworker")
    assignment_create(user=caseworker, area=township, role=Role.CASEWORKER)

    rnd = random.Random(2026)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, name FROM people_person TABLESAMPLE SYSTEM (1) LIMIT %s",
            [repeat * 2],
        )
        sample = cursor.fetchall()
        if len(sample) < repeat:  # a small table: 1% of its pages may be none of them
            cursor.execute(
                "SELECT id_number, name FROM people_person ORDER BY random() LIMIT %s",
                [repeat * 2],
            )
            sample = cursor.fetchall()
    rnd.shuffle(sample)
    numbers = [row[0] for row in sample[:repeat]]
    two = [row[1][:2] for row in sample[:repeat]]
    one = [row[1][:1] for row in sample[:repeat]]

    figures: dict[str, Any] = {}
    for label, user in (("county", approver), ("township", caseworker)):

        def search(query: str, user: Any = user) -> Any:
            policy.forget(user)  # each search pays the policy's reads, as a request does
            return selectors.case_search(user=user, query=query)

        for warm in numbers[:20] + two[:20]:
            search(warm)
        figures.update(_figures(f"{label}_id_number", _timed(search, numbers)))
        figures.update(_figures(f"{label}_name_prefix_2", _timed(search, two)))
        figures.update(_figures(f"{label}_name_prefix_1", _timed(search, one)))
    hits = [len(selectors.case_search(user=approver, query=q)) for q in numbers[:50]]
    figures["id_number_found"] = f"{sum(1 for h in hits if h)}/{len(hits)}"
    figures["name_prefix_1_rows_per_page"] = len(selectors.case_search(user=approver, query=one[0]))
    return figures
