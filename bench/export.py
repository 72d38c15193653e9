"""Finance exports of a 200,000-row payroll: xlsx against a bare xlsxwriter write, and CSV.

    .venv/bin/python -m bench export [--rows=200000] [--scale=1.0] [--keep] [--reuse]

Builds a database of its own (`payments_bench_export`), fills it with `manage.py bench_data`
(one active entitlement per person, so one payroll row per person) and generates a payroll
(not timed). Each measurement then runs in a fresh Python process, which reports its time
and its peak resident memory (getrusage's ru_maxrss):

- xlsx: `exports.write_xlsx` — the query through a server-side cursor, a summary sheet,
  one sheet per township with a totals row, masked ID numbers — written to a file;
- bare: the same rows with the same values, fetched and made ready in memory first (not
  timed), written by xlsxwriter in constant-memory mode (its default options otherwise)
  with one `write_row` per row into one sheet, and nothing else;
- csv: `exports.csv_stream` (COPY … TO STDOUT) drained, in rows per second.

Each is run `--repeat` times, interleaved, and the best time counts (the machine is shared;
the best run is the one least disturbed). Targets: xlsx ≤ 1.2 × bare, xlsx peak memory
≤ 250 MB, CSV ≥ 100,000 rows/s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DATABASE = "payments_bench_export"


def _child(kind: str, payroll_id: int, out: str) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    import django

    django.setup()
    from civil_affairs.payments import exports
    from civil_affairs.payments.models import Payroll

    payroll = Payroll.objects.get(pk=payroll_id)
    # what a worker has done once and for all before its first export: load the catalogues
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    translation.gettext("Payrolls")
    figures: dict[str, Any] = {}
    if kind == "xlsx":
        started = time.perf_counter()
        rows = exports.write_xlsx(payroll, Path(out), full_id=False)
        figures["seconds"] = time.perf_counter() - started
    elif kind == "bare":
        import xlsxwriter

        from civil_affairs.areas.models import Area

        # the very values the export writes, made ready in memory before the clock starts
        programs, statuses = exports._program_labels(), exports._status_labels()
        villages = {a.pk: a.name for a in Area.objects.all()}
        sql, params = exports.xlsx_query(payroll, full_id=False)
        data = [
            (
                n,
                villages[r[0]],
                r[1],
                r[2],
                programs[r[3]],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                statuses[r[9]],
            )
            for n, r in enumerate(exports._server_rows(sql, params), start=1)
        ]
        started = time.perf_counter()
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        for n, row in enumerate(data):
            sheet.write_row(n, 0, row)
        workbook.close()
        figures["seconds"] = time.perf_counter() - started
        rows = len(data)
    else:
        started = time.perf_counter()
        size = 0
        lines = 0
        for block in exports.csv_stream(payroll, full_id=False):
            size += len(block)
            lines += block.count(b"\n")
        figures["seconds"] = time.perf_counter() - started
        figures["bytes"] = size
        rows = lines - 1  # the header line
    figures["rows"] = rows
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if Path(out).exists():
        figures["file_mb"] = round(Path(out).stat().st_size / 2**20, 1)
    return figures


def _measure(kind: str, payroll_id: int, db_url: str, out: Path) -> dict[str, Any]:
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
    }
    result = subprocess.run(  # noqa: S603 - this module, fixed arguments
        [sys.executable, "-m", "bench.export", "--child", kind, str(payroll_id), str(out)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(args: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench export")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--scale", type=float, default=1.0, help="a fraction of --rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    options = parser.parse_args(args)
    rows = max(10, int(options.rows * options.scale))

    from bench._database import bench_database, database_url
    from bench.payroll import clear_payrolls, fill, finance_user, generate_inline

    figures: dict[str, Any] = {"rows": rows}
    with bench_database(BENCH_DATABASE, keep=options.keep, reuse=options.reuse) as existing:
        figures.update(fill(rows, reuse_data=existing))
        clear_payrolls()
        payroll = generate_inline(finance_user(), chunk=50_000)
        figures["payroll_rows"] = payroll.rows
        db_url = database_url(BENCH_DATABASE)
        runs: dict[str, list[dict[str, Any]]] = {"bare": [], "xlsx": [], "csv": []}
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(max(1, options.repeat)):  # interleaved, so that noise hits all
                for kind in runs:
                    out = Path(tmp) / f"{kind}.out"
                    runs[kind].append(_measure(kind, payroll.pk, db_url, out))
        bare, xlsx, csv = (min(runs[k], key=lambda r: r["seconds"]) for k in runs)
        figures["xlsx_seconds_all"] = [round(r["seconds"], 2) for r in runs["xlsx"]]
        figures["bare_seconds_all"] = [round(r["seconds"], 2) for r in runs["bare"]]
    if not bare["rows"] == xlsx["rows"] == csv["rows"] == payroll.rows:
        raise RuntimeError(f"row counts differ: {bare['rows']}, {xlsx['rows']}, {csv['rows']}")
    figures.update(
        {
            "xlsx_seconds": round(xlsx["seconds"], 2),
            "bare_xlsxwriter_seconds": round(bare["seconds"], 2),
            "xlsx_ratio": round(xlsx["seconds"] / bare["seconds"], 2),
            "xlsx_peak_rss_mb": max(r["peak_rss_mb"] for r in runs["xlsx"]),
            "xlsx_file_mb": xlsx.get("file_mb"),
            "csv_seconds": round(csv["seconds"], 2),
            "csv_rows_per_second": int(csv["rows"] / csv["seconds"]),
            "csv_peak_rss_mb": csv["peak_rss_mb"],
            "target_xlsx_ratio": 1.2,
            "target_xlsx_peak_rss_mb": 250,
            "target_csv_rows_per_second": 100_000,
        }
    )
    return figures


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child":
    print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
