"""The ID-number check that runs as a list's file goes to COPY (crosscheck.idcheck)."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.utils import timezone

from civil_affairs.core.idgen import make_id_number
from civil_affairs.crosscheck.idcheck import IdNumberCheck

from .test_loading import _python_problem

TODAY = datetime.date(2026, 11, 28)
OLD = make_id_number("110105", datetime.date(1899, 12, 31), 1)
TOMORROW = make_id_number("110105", datetime.date(2026, 11, 29), 1)


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
    numbers += [OLD, TOMORROW]
    return numbers


def _file(numbers: list[str], column: int, delimiter: str, newline: str) -> bytes:
    lines = [delimiter.join([*["姓名", "编号", "日期"][:column], "身份证号码", "备注"])]
    for i, number in enumerate(numbers):
        cells = [*[f"居民{i}", "x", "2026-03-10"][:column], number, "火化"]
        lines.append(delimiter.join(cells))
    return newline.join(lines).encode()


def _check(data: bytes, column: int, delimiter: str, rows: int, block: int = 4096) -> Any:
    check = IdNumberCheck(column, delimiter, "utf-8", TODAY)
    for start in range(0, len(data), block):
        check.feed(data[start : start + block])
    return check.rows_to_judge(rows)


@pytest.mark.parametrize(
    ("column", "delimiter", "newline", "block"),
    [(0, ",", "\n", 4096), (2, "\t", "\r\n", 777), (1, ";", "\n", 1 << 20)],
)
def test_every_invalid_number_is_flagged_and_only_tidy_or_old_valid_ones_besides(
    column, delimiter, newline, block, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    numbers = _numbers()
    flagged = set(
        _check(_file(numbers, column, delimiter, newline), column, delimiter, len(numbers), block)
    )
    invalid = {row for row, n in enumerate(numbers, start=2) if _python_problem(n)}
    assert len(invalid) > 500
    assert invalid <= flagged  # nothing invalid gets through
    # valid numbers flagged: those valid once tidied, and one born before 1900 (all left to
    # the full check)
    tidied = {n for n in numbers if n and not _python_problem(n) and n != n.strip().upper()}
    assert {numbers[row - 2] for row in flagged - invalid} == tidied | {OLD}
    assert (numbers.index(TOMORROW) + 2) in invalid


def test_a_file_without_a_final_line_feed_counts_its_last_row():
    good = make_id_number("430922", datetime.date(1950, 1, 1), 1)
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    data = f"身份证号码,姓名\n{good},甲\n{bad},乙".encode()
    assert _check(data, 0, ",", rows=2) == [3]


@pytest.mark.parametrize(
    ("data", "delimiter", "encoding", "rows"),
    [
        ('身份证号码,姓名\n110105194912310021,"甲,乙"\n', ",", "utf-8", 1),  # quoted
        ("身份证号码,姓名\r110105194912310021,甲\r", ",", "utf-8", 1),  # CR line ends
        ("身份证号码|姓名\n110105194912310021|甲\n", "|", "gb18030", 1),  # | in GB18030
        ("身份证号码,姓名\n110105194912310021,甲\n", ",", "utf-8", 2),  # COPY counted 2
    ],
)
def test_a_file_it_cannot_read_is_left_to_the_sql_check(data, delimiter, encoding, rows):
    check = IdNumberCheck(0, delimiter, encoding, TODAY)
    check.feed(data.encode(encoding))
    assert check.rows_to_judge(rows) is None


def test_a_clean_file_has_nothing_to_judge():
    numbers = [make_id_number("430922", datetime.date(1960, 5, 1), i) for i in range(500)]
    assert _check(_file(numbers, 0, ",", "\n"), 0, ",", rows=500) == []
