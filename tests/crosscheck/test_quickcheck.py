"""The quick check that runs on a list's file as it goes to COPY (crosscheck.quickcheck).

What matters: a row it passes is valid as written (the loader judges only the rows it
flags), and it reads only files whose rows it can find for sure.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from civil_affairs.core.idgen import make_id_number
from civil_affairs.crosscheck.kinds import default_mapping, fields_of
from civil_affairs.crosscheck.loading import LIMITS, _fast_ok, fast_ok_params
from civil_affairs.crosscheck.quickcheck import QuickCheck

from .test_loading import _python_problem

TODAY = datetime.date(2026, 11, 28)
OLD = make_id_number("110105", datetime.date(1899, 12, 31), 1)
TOMORROW = make_id_number("110105", datetime.date(2026, 11, 29), 1)
DEATH = ["id_number", "name", "event_date", "detail"]  # the columns of the death files here
ALL_COLUMNS = ["id_number", "name", "event_date", "value", "detail"]


def _numbers() -> list[str]:
    """Valid numbers, and numbers with one character changed, a birth date changed, cut
    short, padded or written in lower case."""
    rng = random.Random(11)
    numbers = []
    for _ in range(3000):
        born = datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(46000))
        number = make_id_number("430922", born, rng.randrange(1000))
        change = rng.randrange(8)
        if change == 0:
            i = rng.randrange(18)
            number = number[:i] + rng.choice("0123456789Xx ") + number[i + 1 :]
        elif change == 1:
            day = rng.choice(["19000229", "20000229", "19990229", "20230431", "20231301"])
            number = number[:6] + day + number[14:]
        elif change == 2:
            number = rng.choice([number[:17], " " + number, number + "0", ""])
        numbers.append(number)
    return [*numbers, OLD, TOMORROW]


def _file(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> bytes:
    lines = [delimiter.join(f"列{i}" for i in range(len(rows[0])))]
    lines += [delimiter.join(row) for row in rows]
    return newline.join(lines).encode()


def _check(
    kind: str, columns: list[str], data: bytes, rows: int, delimiter: str = ",", block: int = 4096
) -> Any:
    index = {name: columns.index(name) for name in default_mapping(kind) if name in columns}
    check = QuickCheck(fields_of(kind), index, LIMITS, delimiter, "utf-8", TODAY)
    for start in range(0, len(data), block):
        check.feed(data[start : start + block])
    return check.rows_to_judge(rows)


@pytest.mark.parametrize(
    ("position", "delimiter", "newline", "block"),
    [(0, ",", "\n", 4096), (2, "\t", "\r\n", 777), (3, ";", "\n", 1 << 20)],
)
def test_every_invalid_id_number_is_flagged(position, delimiter, newline, block, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    numbers = _numbers()
    columns = ["name", "event_date", "detail"]
    columns.insert(position, "id_number")
    rows = []
    for i, number in enumerate(numbers):
        cells = {"id_number": number, "name": f"居民{i}", "event_date": "2026-03-10"}
        rows.append([cells.get(c, "火化") for c in columns])
    data = _file(rows, delimiter, newline)
    flagged = set(_check("death", columns, data, len(rows), delimiter, block))
    invalid = {row for row, n in enumerate(numbers, start=2) if _python_problem(n)}
    assert len(invalid) > 500
    assert invalid <= flagged  # nothing invalid gets through
    # valid numbers flagged: those valid once tidied, and one born before 1900 (all judged)
    tidied = {n for n in numbers if n and not _python_problem(n) and n != n.strip().upper()}
    assert {numbers[row - 2] for row in flagged - invalid} == tidied | {OLD}
    assert (numbers.index(TOMORROW) + 2) in invalid


DATES = [
    "2026-03-10",
    "2024-02-29",
    "2023-02-29",
    "2026/3/10",
    "20260310",
    "2026-3-10",
    "1899-12-31",
    "2100-01-01",
    " 2026-03-10",
    "2026-13-01",
    "2026-00-10",
    "昨天",
    "",
]
AMOUNTS = [
    "100",
    "-5",
    "12.5",
    "12.50",
    "0.01",
    "12.505",
    ".5",
    "5.",
    "1，000",
    "¥100",
    "-",
    "123456789012",
    "1234567890123",
    "123456789012.34",
    "1-2",
    "1.2.3",
    "",
    "三百",
]
TEXTS = [
    "张三",
    "Li Si",
    "7号",
    "",
    " ",
    "\u3000",
    "·阿凡提",
    "x" * 100,
    "x" * 101,
    "长" * 100,
    "长" * 101,
    "甲" * 40,
]


@pytest.mark.parametrize("kind", ["death", "vehicle", "company", "pension"])
def test_a_row_it_passes_is_one_the_sql_quick_check_passes(kind, db):
    """Dates, amounts and texts as departments write them: whatever this check passes, the
    loader's SQL quick check (loading._fast_ok, tested against the full one) passes too,
    and the rows written the usual way pass here."""
    rng = random.Random(kind)
    fields = fields_of(kind)
    columns = [f.name for f in fields]
    samples = {"event_date": DATES, "value": AMOUNTS, "name": TEXTS, "detail": TEXTS}
    rows = []
    for i in range(1500):
        row = {f.name: rng.choice(samples[f.name]) for f in fields if f.name != "id_number"}
        row["id_number"] = make_id_number("430922", datetime.date(1960, 1, 1), i % 900)
        if i < 20:  # the usual way
            row.update(name="张三", event_date="2026-03-10", value="1200.50", detail="某单位")
        rows.append([row[c] for c in columns])
    flagged = set(_check(kind, columns, _file(rows), len(rows)))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE quick (n int, id_number text, name text, event_date text,"
            " value text, detail text)"
        )
        for n, row in enumerate(rows, start=2):
            cells = dict(zip(columns, row, strict=True))
            values = [cells.get(c) or None for c in ALL_COLUMNS]  # an empty cell is NULL
            cursor.execute("INSERT INTO quick VALUES (%s, %s, %s, %s, %s, %s)", [n, *values])
        index = {name: i for i, name in enumerate(columns)}
        cursor.execute(
            f"SELECT n FROM quick WHERE NOT ({_fast_ok(fields, index)})",  # noqa: S608
            fast_ok_params(timezone.localdate()),
        )
        not_as_written = {n for (n,) in cursor.fetchall()}
    assert not_as_written <= flagged  # nothing the SQL check would set aside gets through
    assert 0 < len(not_as_written) < len(rows)
    assert not flagged & set(range(2, 22))  # rows written the usual way pass


def test_a_file_without_a_final_line_feed_counts_its_last_row():
    good = make_id_number("430922", datetime.date(1950, 1, 1), 1)
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    data = f"身份证号码,日期\n{good},2026-03-10\n{bad},2026-03-10".encode()
    assert _check("death", ["id_number", "event_date"], data, rows=2) == [3]


@pytest.mark.parametrize(
    ("text", "delimiter", "encoding", "rows"),
    [
        ('身份证号码,姓名\n110105194912310021,"甲,乙"\n', ",", "utf-8", 1),  # quoted
        ("身份证号码,姓名\r110105194912310021,甲\r", ",", "utf-8", 1),  # CR line ends
        ("身份证号码|姓名\n110105194912310021|甲\n", "|", "gb18030", 1),  # | in GB18030
        ("身份证号码,姓名\n110105194912310021,甲\n", ",", "utf-8", 2),  # COPY counted 2
    ],
)
def test_a_file_it_cannot_read_is_left_to_the_sql_check(text, delimiter, encoding, rows):
    check = QuickCheck(
        fields_of("death"), {"id_number": 0, "name": 1}, LIMITS, delimiter, encoding, TODAY
    )
    check.feed(text.encode(encoding))
    assert check.rows_to_judge(rows) is None


def test_a_clean_file_has_nothing_to_judge():
    rows = [
        [make_id_number("430922", datetime.date(1960, 5, 1), i), "居民", "2026-03-10", ""]
        for i in range(500)
    ]
    assert _check("death", DEATH, _file(rows), rows=500) == []
