"""The files clerks really have (issue 9, item 9), one test per kind: UTF-8 with and without
BOM, GBK/GB18030 as Excel saves "CSV" on a Chinese Windows, a file that is neither, UTF-8
lines inside a GBK file, an old .xls, an empty workbook, an empty file, full-width digits and
Ｘ, the spreadsheet's own row numbers, and the size and row limits."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.utils import translation

from civil_affairs.imports import staged
from civil_affairs.people.models import Person
from tests.factories import next_id_number

from .conftest import csv_bytes, xlsx_bytes
from .specs import KEY

pytestmark = pytest.mark.django_db

HEADER = ["户号", "身份证号", "姓名", "区划代码", "电话"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def two_people(village: str) -> list[list[str]]:
    return [
        HEADER,
        ["F1", next_id_number(), "张三", village, ""],
        ["F2", next_id_number(), "李四", village, ""],
    ]


def check(data: bytes, name: str, user) -> staged.Result:
    return staged.check(KEY, data, name, user=user)


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8", "people.csv"),
        ("utf-8-sig", "people.csv"),  # Excel's "CSV UTF-8": a BOM first
        ("gbk", "people.csv"),  # Excel's "CSV" on a Chinese Windows
        ("gb18030", "名册.CSV"),
        ("utf-8", "people.txt"),  # any name: the content decides
    ],
)
def test_csv_in_each_encoding_clerks_have_is_read(staff, village_a, encoding, name):
    rows = two_people(village_a)
    result = check(csv_bytes(rows, encoding), name, staff.caseworker_a)
    assert result.problems == []
    assert result.errors == {}
    assert result.total == 2
    assert staged.run(KEY, csv_bytes(rows, encoding), name, user=staff.caseworker_a) == 2
    assert sorted(Person.objects.values_list("name", flat=True)) == ["张三", "李四"]


def test_a_file_neither_utf8_nor_gb18030_is_refused_saying_so(staff, village_a):
    rows = two_people(village_a)
    for data in (csv_bytes(rows, "utf-16"), b"\x81\x20\xff\xfe,\x80\n"):
        result = check(data, "people.csv", staff.caseworker_a)
        assert result.problems == [
            "The file is neither UTF-8 nor GB18030 (GBK) text. Save it from Excel as "
            "“CSV UTF-8” or as an Excel workbook (.xlsx)."
        ]
        assert result.errors == {}


def test_utf8_lines_inside_a_gbk_file_are_refused_with_the_line(staff, village_a):
    rows = two_people(village_a)
    data = csv_bytes(rows[:2], "gbk") + csv_bytes(rows[2:], "utf-8")
    result = check(data, "people.csv", staff.caseworker_a)
    assert result.problems == [
        "Line 3 is written in UTF-8 inside a GB18030 (GBK) file: save the whole file in one "
        "encoding."
    ]


def test_an_old_xls_and_a_broken_workbook_are_refused_saying_what_to_do(staff):
    result = check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.xls", staff.caseworker_a)
    assert "old Excel file (.xls)" in result.problems[0]
    result = check(b"PK\x03\x04 not really a zip", "a.xlsx", staff.caseworker_a)
    assert result.problems == ["This file is not a readable Excel workbook (.xlsx)."]
    result = check(b"a,b\n", "a.xlsx", staff.caseworker_a)
    assert result.problems == ["This file is not a readable Excel workbook (.xlsx)."]


def test_an_empty_workbook_an_empty_file_and_headers_only(staff, village_a):
    assert check(xlsx_bytes([]), "empty.xlsx", staff.caseworker_a).problems == [
        "The workbook is empty: the first row must hold the column headers."
    ]
    assert check(b"", "empty.csv", staff.caseworker_a).problems == ["The file is empty."]
    assert check("\ufeff\r\n\r\n".encode(), "blank.csv", staff.caseworker_a).problems == [
        "The file has no rows: the first row must hold the column headers."
    ]
    assert check(xlsx_bytes([HEADER]), "h.xlsx", staff.caseworker_a).problems == [
        "There are no rows below the column headers."
    ]


def test_missing_and_misspelt_required_columns_are_named_once_at_the_top(staff, village_a):
    rows = [["户号", "身分证号", "名字", "区划代码"]] + [
        ["F1", next_id_number(), "张三", village_a] for _ in range(50)
    ]
    result = check(xlsx_bytes(rows), "people.xlsx", staff.caseworker_a)
    assert result.problems == ["Missing columns: ID number, name"]
    assert result.errors == {}  # not one error per row
    assert result.ignored == ["身分证号", "名字"]


def test_full_width_digits_and_x_are_accepted(staff, village_a):
    number = next_id_number()
    while not number.endswith("X"):
        number = next_id_number()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)  # ４３０９…Ｘ
    rows = [HEADER, ["F1", full_width, "张三", village_a, ""]]
    assert check(csv_bytes(rows, "gbk"), "people.csv", staff.caseworker_a).errors == {}
    assert staged.run(KEY, xlsx_bytes(rows), "people.xlsx", user=staff.caseworker_a) == 1
    assert Person.objects.get().id_number == number


def test_row_numbers_are_the_spreadsheets_with_blank_rows_and_a_title(staff, village_a):
    good, bad = next_id_number(), next_id_number()
    bad = bad[:17] + ("1" if bad[17] != "1" else "2")  # a wrong check character
    rows = [
        ["2026年某村居民名册"],  # row 1: a title
        [],  # row 2: blank
        HEADER,  # row 3
        ["F1", good, "张三", village_a, ""],  # row 4
        [],  # row 5: blank
        ["F2", bad, "李四", village_a, ""],  # row 6
    ]
    for data, name in ((xlsx_bytes(rows), "p.xlsx"), (csv_bytes(rows, "gbk"), "p.csv")):
        result = check(data, name, staff.caseworker_a)
        assert result.header_row == 3
        assert result.total == 2
        assert set(result.errors) == {6}
        assert result.errors[6] == {
            "id_number": ["The check character of this ID number is wrong."]
        }


def test_a_cell_with_a_formula_in_a_workbook_is_shown_as_the_formula(staff, village_a):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["F1", next_id_number(), "=1+1", village_a, ""])
    out = io.BytesIO()
    book.save(out)
    result = check(out.getvalue(), "f.xlsx", staff.caseworker_a)
    assert "formula" in " ".join(result.errors[2]["name"])


def test_a_file_over_the_size_limit_is_refused_with_the_sizes(staff, settings, village_a):
    settings.IMPORTS_MAX_BYTES = 1024 * 1024
    data = csv_bytes(two_people(village_a)) + b"x" * (1024 * 1024)
    result = check(data, "big.csv", staff.caseworker_a)
    assert result.problems == [
        "The file is 1.0 MB; at most 1.0 MB may be uploaded: split it into smaller files."
    ]


def test_100000_rows_stop_at_the_row_limit_without_loading_the_file(staff, settings, village_a):
    """A 100,000-row workbook (a 500 MemoryError before) is refused at the limit, read as a
    stream: the memory it takes stays small."""
    from openpyxl import Workbook

    settings.IMPORTS_MAX_ROWS = 5_000
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    number = next_id_number()
    for i in range(100_000):
        sheet.append([f"F{i}", number, "张三", village_a, "13800000000"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    tracemalloc.start()
    try:
        result = check(data, "big.xlsx", staff.caseworker_a)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.problems == [
        "The file has more than 5000 rows: split it into files of at most 5000 rows."
    ]
    assert peak < 60 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    csv_data = csv_bytes(
        [HEADER] + [[f"F{i}", number, "张三", village_a, ""] for i in range(100_000)], "gbk"
    )
    result = check(csv_data, "big.csv", staff.caseworker_a)
    assert result.problems[0].startswith("The file has more than 5000 rows")
