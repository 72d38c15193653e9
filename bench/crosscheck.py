"""Cross-check benchmark: a list of N rows (1% hits) against N persons with entitlements.

    .venv/bin/python -m bench crosscheck [--persons=1000000] [--rows=N] [--hit-rate=0.01]
                                         [--repeat=3] [--keep] [--reuse] [--inline]

Everything happens in a database of its own (`crosscheck_bench` on the server of
DATABASE_URL), created, filled by relief's `bench_data` and dropped at the end (--keep keeps
it). Measured in the same run, on the same data:

- floor: `COPY` of the file into a plain table, then one `INSERT … SELECT` joining it with
  persons and open entitlements into a table of hits — the least any implementation does;
- real: the upload service (file stored, heading and mapping checked), the load (COPY into
  staging, validation of every row, rows kept) and a matching run of the list through
  Celery (a worker started here on a queue of its own; --inline runs the tasks in this
  process instead), until every warning is inserted. The service gets the file as the
  upload page hands it over: Django has received it into a temporary file beside the media
  folder (FILE_UPLOAD_TEMP_DIR), which storing then moves; receiving it is not timed.

The floor is measured before and after each real path (--repeat of them, each a new list
upload after the last one's lists, runs and warnings are cleared); each ratio is against the
faster of its two floors, and the median and the worst are reported.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

from bench._database import bench_database, database_url
from civil_affairs.core.idgen import make_id_number

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "crosscheck_bench"
HEADER = ["身份证号码", "姓名", "死亡日期", "备注"]


def _options(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench crosscheck")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=0, help="list rows; default: --persons")
    parser.add_argument("--hit-rate", type=float, default=0.01)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--inline", action="store_true", help="run the tasks in this process")
    parser.add_argument("--floor-only", action="store_true", help="measure the floor only")
    parser.add_argument(
        "--repeat", type=int, default=3, help="lists loaded and matched, each between two floors"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a kept bench database (after --keep)"
    )
    return parser.parse_args(args)


def _bench_url() -> str:
    return database_url(BENCH_DB)


def _write_list(path: Path, rows: int, hits: list[str], seed: int = 2026) -> None:
    """`rows` valid rows; `hits` are ID numbers of beneficiaries, spread through the file.
    The others are valid numbers no one in the database has (sequence numbers below 900,
    which bench_data does not use)."""
    rng = random.Random(seed)
    positions = set(rng.sample(range(rows), len(hits)))
    hit_iter = iter(hits)
    first = datetime.date(1930, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            if i in positions:
                number = next(hit_iter)
            else:
                born = first + datetime.timedelta(days=(i // 900) % 30000)
                number = make_id_number("430922", born, i % 900)
            day = 1 + i % 28
            writer.writerow([number, f"居民{i}", f"2026-03-{day:02d}", "火化"])


def _floor(path: Path) -> tuple[float, int]:
    """COPY of the file and one join inserting the hits, on a connection of its own."""
    with psycopg.connect(_bench_url()) as conn:
        conn.execute("DROP TABLE IF EXISTS floor_rows, floor_hits")
        conn.execute(
            "CREATE TABLE floor_rows (id_number text, name text, event_date text, detail text)"
        )
        conn.execute(
            "CREATE TABLE floor_hits (person_id bigint, entitlement_id bigint, id_number text)"
        )
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor().copy("COPY floor_rows FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        cursor = conn.execute(
            """
            INSERT INTO floor_hits
            SELECT p.id, e.id, r.id_number FROM floor_rows r
            JOIN people_person p ON p.id_number = r.id_number
            JOIN relief_entitlement e ON e.person_id = p.id AND e.status <> 'stopped'
            """
        )
        hits = cursor.rowcount
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE floor_rows, floor_hits")
        conn.commit()
    return seconds, hits


def _start_worker(queue: str, media: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _bench_url(),
        "CELERY_QUEUE": queue,
        "DJANGO_MEDIA_ROOT": media,
        "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
        "DJANGO_DEBUG": "0",
    }
    log = open(Path(media) / "worker.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(  # noqa: S603 - our own venv's celery
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "civil_affairs",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    worker.wait(timeout=30)


def _wait(check: Any, what: str, timeout: float = 3600) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def _real(path: Path, inline: bool) -> dict[str, Any]:
    """The upload service, the load, a matching run: as the pages and the worker do them."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import TemporaryUploadedFile
    from django.db import connection

    from civil_affairs.areas.models import Area
    from civil_affairs.crosscheck import services
    from civil_affairs.crosscheck.kinds import default_mapping
    from civil_affairs.crosscheck.models import ExternalList, MatchRun, Warning

    user, _created = get_user_model().objects.get_or_create(
        username="crosscheck-bench", defaults={"is_superuser": True}
    )
    county = Area.objects.get(code="430922")
    received = TemporaryUploadedFile(path.name, "text/csv", path.stat().st_size, None)
    with path.open("rb") as handle:
        shutil.copyfileobj(handle, received)  # what Django does as the request comes in
    received.seek(0)
    started = time.perf_counter()
    lst = services.list_upload(
        actor=user,
        kind="death",
        area=county,
        valid_on=datetime.date(2026, 3, 31),
        source="bench",
        file=received,
        file_name=path.name,
        columns=default_mapping("death"),
    )
    uploaded = time.perf_counter()
    received.close()  # moved into the media folder: nothing left to delete
    loaded_list = _wait(
        lambda: ExternalList.objects.filter(pk=lst.pk, status__in=["loaded", "failed"]).first(),
        "the load",
    )
    if loaded_list.status != "loaded":
        raise RuntimeError(f"load failed: {loaded_list.error}")
    loaded = time.perf_counter()
    record = services.run_start(actor=user, area=county, checks=["lists"])
    finished = _wait(
        lambda: MatchRun.objects.filter(pk=record.pk, status__in=["done", "failed"]).first(),
        "the run",
    )
    if finished.status != "done":
        raise RuntimeError(f"run failed: {finished.error}")
    done = time.perf_counter()
    connection.close()
    return {
        "real_s": round(done - started, 2),
        "real_upload_s": round(uploaded - started, 2),
        "real_load_s": round(loaded - uploaded, 2),
        "real_match_s": round(done - loaded, 2),
        "rows_loaded": loaded_list.rows_loaded,
        "rows_rejected": loaded_list.rows_rejected,
        "chunks": finished.chunks_total,
        "warnings": Warning.objects.count(),
        "inline": inline,
    }


def _clear_lists() -> None:
    """Before a rerun on a kept database: no lists, runs or warnings of an earlier run."""
    with psycopg.connect(_bench_url()) as conn:
        conn.execute(
            "TRUNCATE crosscheck_warning, crosscheck_historicalwarning, crosscheck_listrow, "
            "crosscheck_rejectedrow, crosscheck_matchrun, crosscheck_externallist, "
            "crosscheck_historicalexternallist CASCADE"
        )


def run(args: list[str]) -> dict[str, Any]:
    options = _options(args)
    rows = options.rows or options.persons
    hit_count = int(rows * options.hit_rate)
    from django.conf import settings
    from django.core.management import call_command

    from civil_affairs.celery import app

    figures: dict[str, Any] = {"persons": options.persons, "list_rows": rows}
    with contextlib.ExitStack() as cleanup:
        existing = cleanup.enter_context(
            bench_database(BENCH_DB, keep=options.keep or options.reuse, reuse=options.reuse)
        )
        if existing:
            _clear_lists()
        else:
            from civil_affairs.core import demo

            demo.load_areas()
            t0 = time.perf_counter()
            call_command(
                "bench_data",
                persons=options.persons,
                households=max(1, int(options.persons * 0.4)),
                month="2026-01",
                stdout=open(os.devnull, "w"),  # noqa: SIM115
            )
            figures["bench_data_s"] = round(time.perf_counter() - t0, 1)
        with psycopg.connect(_bench_url(), autocommit=True) as conn:
            hits = [
                r[0]
                for r in conn.execute(
                    "SELECT id_number FROM people_person ORDER BY md5(id::text) LIMIT %s",
                    [hit_count],
                )
            ]
            conn.execute("VACUUM ANALYZE")
        media = tempfile.mkdtemp(prefix="crosscheck-bench-")
        if not options.keep:  # the list file and the stored uploads
            cleanup.callback(shutil.rmtree, media, ignore_errors=True)
        settings.MEDIA_ROOT = media
        settings.FILE_UPLOAD_TEMP_DIR = media
        path = Path(media) / "deaths.csv"
        _write_list(path, rows, hits)
        figures["file_mb"] = round(path.stat().st_size / 1e6, 1)
        figures["hits_in_file"] = len(hits)

        floor_before, floor_hits = _floor(path)
        if options.floor_only:
            figures.update({"floor_s": round(floor_before, 2), "floor_hits": floor_hits})
            return figures
        if options.inline:
            app.conf.task_always_eager = True
        else:
            queue = f"crosscheck-bench-{uuid.uuid4().hex[:8]}"
            app.conf.task_default_queue = queue
            worker = _start_worker(queue, media)
            cleanup.callback(_stop, worker)
            app.control.ping(timeout=1.0)
            time.sleep(3)  # let the worker's processes start
        ratios = []
        for attempt in range(options.repeat):
            if attempt:
                _clear_lists()
                floor_before, _hits = _floor(path)
            real = _real(path, options.inline)
            floor_after, _hits = _floor(path)
            floor = min(floor_before, floor_after)
            ratios.append(real["real_s"] / floor)
            figures[f"run {attempt + 1}"] = (
                f"real {real['real_s']:.2f} s (upload {real['real_upload_s']:.2f}, load "
                f"{real['real_load_s']:.2f}, match {real['real_match_s']:.2f}); floor "
                f"{floor_before:.2f} s before, {floor_after:.2f} s after; "
                f"ratio {ratios[-1]:.2f}"
            )
        figures.update({k: v for k, v in real.items() if not k.startswith("real")})
        figures["floor_hits"] = floor_hits
        figures["ratio_median"] = round(statistics.median(ratios), 2)
        figures["ratio_worst"] = round(max(ratios), 2)
        figures["target"] = "ratio <= 2"
    return figures


if __name__ == "__main__":  # pragma: no cover
    print(run(sys.argv[1:]))
