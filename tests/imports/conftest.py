"""The tests' own staged import (specs.py) and helpers to write files as clerks have them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from . import specs  # noqa: F401 - registers the tests' spec


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def village_a(areas: Any) -> str:
    return areas.village_a.code
