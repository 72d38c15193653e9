"""The import of institutions with residents (and of care workers) on the staged import: bad
rows named by row number and column, nothing written unless the user asks for the valid rows
only, and then whole institutions."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from eldercare.models import CareWorker, Institution, Resident

from .conftest import credit_code, id_number, make_institution

staged = pytest.importorskip("civil_affairs.imports.staged")

pytestmark = pytest.mark.django_db

D = datetime.date
HEADER = [
    "统一社会信用代码",
    "机构名称",
    "性质",
    "区划代码",
    "床位数",
    "护理型床位数",
    "身份证号",
    "姓名",
    "入住日期",
    "能力等级",
    "评估日期",
    "是否接种疫苗",
]


def csv_bytes(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def file_rows():
    """Two institutions: 青山 with two residents (rows 2-3) and 绿水 with one (row 4, whose ID
    number is wrong) and one more (row 5)."""
    a, b = credit_code(), credit_code()
    return [
        [a, "青山养老院", "公办", "430922100201", "100", "40",
         id_number(D(1940, 1, 1)), "周大", "2025-03-01", "2", "2025-03-02", "是"],
        [a, "青山养老院", "公办", "430922100201", "100", "40",
         id_number(D(1941, 1, 1)), "吴二", "2025/4/1", "", "", "否"],
        [b, "绿水敬老院", "民办", "430922100001", "30", "10",
         "430922194001010000", "郑三", "2025-05-01", "", "", "否"],
        [b, "绿水敬老院", "民办", "430922100001", "30", "10",
         id_number(D(1942, 2, 2)), "王四", "2025-05-01", "9", "", "也许"],
    ]  # fmt: skip


def test_bad_rows_are_named_by_row_number_and_nothing_is_written(officers, file_rows):
    data = csv_bytes(file_rows)
    result = staged.check("eldercare.institutions", data, "机构.csv", user=officers.eldercare)
    assert result.total == 4
    assert sorted(result.errors) == [4, 5]
    assert "id_number" in result.errors[4]
    assert set(result.errors[5]) == {"ability_level", "vaccinated"}
    with pytest.raises(ValidationError):
        staged.run("eldercare.institutions", data, "机构.csv", user=officers.eldercare)
    assert not Institution.objects.exists()
    assert not Resident.objects.exists()


def test_the_valid_rows_only_import_whole_institutions(officers, file_rows, areas):
    data = csv_bytes(file_rows)
    saved = staged.run(
        "eldercare.institutions", data, "机构.csv", user=officers.eldercare, valid_only=True
    )
    assert saved == 2
    home = Institution.objects.get()
    assert (home.name, home.nature, home.beds, home.area) == (
        "青山养老院",
        "public",
        100,
        areas.village_a,
    )
    residents = Resident.objects.order_by("person__name")
    assert [(r.person.name, r.ability_level, r.vaccinated) for r in residents] == [
        ("吴二", None, False),
        ("周大", 2, True),
    ]


def test_an_institution_outside_the_user_s_areas_and_a_caseworker(officers, areas):
    other = make_institution(officers.eldercare, areas.village_b, name="乙镇养老院")
    rows = [
        [
            other.credit_code,
            "乙镇养老院",
            "公办",
            "430922101201",
            "120",
            "60",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    # the clerk of township A may not import at all (403 reason), a missing area is named
    with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied from the machinery
        staged.run("eldercare.institutions", csv_bytes(rows), "x.csv", user=officers.clerk_a)
    result = staged.check(
        "eldercare.institutions",
        csv_bytes([[credit_code(), "新院", "私立", "999999", "x", "", "", "", "", "", "", ""]]),
        "x.csv",
        user=officers.eldercare,
    )
    assert set(result.errors[2]) == {"nature", "area_code", "beds"}


def test_missing_columns_are_named_once(officers):
    result = staged.check(
        "eldercare.institutions",
        csv_bytes([["x"]], header=["机构名称"]),
        "x.csv",
        user=officers.eldercare,
    )
    assert len(result.problems) == 1
    assert "统一社会信用代码" in result.problems[0] or "credit code" in result.problems[0]


def test_care_workers_import(officers, areas):
    home = make_institution(officers.eldercare, areas.village_a)
    header = ["信用代码", "身份证号", "姓名", "入职时间", "技能等级", "证书号", "发证时间"]
    rows = [
        [
            home.credit_code,
            id_number(D(1975, 1, 1)),
            "护理甲",
            "2024-01-01",
            "4",
            "S1",
            "2024-06-01",
        ],
        [home.credit_code, id_number(D(1976, 1, 1)), "护理乙", "2024-01-01", "7", "", ""],
    ]
    result = staged.check(
        "eldercare.care_workers", csv_bytes(rows, header), "w.csv", user=officers.eldercare
    )
    assert list(result.errors) == [3]
    assert "skill_level" in result.errors[3]
    saved = staged.run(
        "eldercare.care_workers",
        csv_bytes(rows, header),
        "w.csv",
        user=officers.eldercare,
        valid_only=True,
    )
    assert saved == 1
    assert CareWorker.objects.get().certificate_number == "S1"
