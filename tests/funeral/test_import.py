"""The place-name import on the staged import: bad rows by their spreadsheet row number,
nothing written unless the user asks for the valid rows only."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from funeral.models import PlaceName

staged = pytest.importorskip("civil_affairs.imports.staged")

pytestmark = pytest.mark.django_db
KEY = "funeral.place_names"
HEADER = ["区划代码", "标准名称", "汉语拼音", "类别", "经度", "纬度"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def rows(areas) -> list[list[str]]:
    return [
        HEADER,
        [areas.a.code, "清河路", "Qīnghé Lù", "道路街巷", "112.1", "28.5"],  # row 2
        [areas.a.code, "花果山", "Huaguo Shan", "mountain", "", ""],  # row 3
        ["999999999", "无名路", "Wuming Lu", "road", "", ""],  # row 4: unknown area
        [areas.b.code, "石牛江", "Shiniu2 Jiang", "river or lake", "", ""],  # row 5: pinyin
        [areas.b.code, "新桥", "Xin Qiao", "桥梁", "200", "28.1"],  # row 6: longitude
        [areas.a.code, "清河路", "Qinghe Lu", "road", "", ""],  # row 7: same as row 2
        [areas.b.code, "乙镇大道", "Yizhen Dadao", "道路", "", ""],  # row 8: unknown kind
        [areas.b.code, "灰山", "Hui Shan", "Mountain", "", ""],  # row 9
    ]


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(areas, officers):
    result = staged.check(KEY, csv_bytes(rows(areas)), "地名.csv", user=officers.placenames)
    assert result.problems == []
    assert result.total == 8
    assert {n: sorted(e) for n, e in result.errors.items()} == {
        4: ["area_code"],
        5: ["pinyin"],
        6: ["longitude"],
        7: ["name"],
        8: ["kind"],
    }
    assert result.errors[4]["area_code"] == ["No area with this code in your areas."]
    assert result.errors[7]["name"] == ["The same name and kind as row 2."]
    assert result.valid == 3
    with pytest.raises(ValidationError):
        staged.run(KEY, csv_bytes(rows(areas)), "地名.csv", user=officers.placenames)
    assert not PlaceName.objects.exists()


def test_the_valid_rows_only_when_asked(areas, officers):
    saved = staged.run(
        KEY, csv_bytes(rows(areas)), "地名.csv", user=officers.placenames, valid_only=True
    )
    assert saved == 3
    assert sorted(PlaceName.objects.values_list("name", "kind")) == [
        ("清河路", "road"),
        ("灰山", "mountain"),
        ("花果山", "mountain"),
    ]
    again = staged.check(KEY, csv_bytes(rows(areas)), "地名.csv", user=officers.placenames)
    assert again.errors[2]["name"] == [
        "This area already has a standard name “清河路” of this kind."
    ]


def test_only_the_place_names_roles_may_import(areas, officers):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        staged.check(KEY, csv_bytes(rows(areas)), "地名.csv", user=officers.registrar)
