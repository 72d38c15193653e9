"""The children's registry import: bad rows reported by their spreadsheet row number, nothing
written unless the user saves the valid rows only; saved through the registration service."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from children.models import Child
from civil_affairs.imports import staged
from tests.factories import next_id_number

pytestmark = pytest.mark.django_db

HEADER = [
    "身份证号",
    "姓名",
    "村（社区）代码",
    "类别",
    "登记日期",
    "学校",
    "是否在校",
    "父亲情况",
    "父亲佐证材料",
    "母亲情况",
    "母亲佐证材料",
    "监护人姓名",
    "监护人关系",
    "监护人电话",
]


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def child_row(village, category="社会散居孤儿", **kw):
    row = {
        "id": next_id_number(datetime.date(2014, 5, 1)),
        "name": "导入儿童",
        "area": village.code,
        "category": category,
        "day": "2025-03-01",
        "school": "城关小学",
        "in_school": "是",
        "father": "",
        "father_ev": "",
        "mother": "",
        "mother_ev": "",
        "guardian": "李奶奶",
        "relationship": "祖母",
        "phone": "13800000000",
    }
    row.update(kw)
    return list(row.values())


@pytest.fixture
def file(areas):
    good = child_row(areas.village_a, name="好孩子")
    return csv_bytes(
        [
            good,  # row 2
            child_row(
                areas.village_a,
                category="事实无人抚养儿童",
                father="服刑在押",
                father_ev="判决书",
                mother="失踪",
            ),  # row 3: no evidence of the mother
            child_row(areas.village_a, id="11010519491231002Y"),  # row 4: bad check digit
            child_row(areas.village_b, name="乙镇儿童"),  # row 5: outside township A
            child_row(areas.village_a, category="孤儿"),  # row 6: unknown category
            [good[0], *child_row(areas.village_a, name="重复")[1:]],  # row 7: same ID as row 2
            child_row(
                areas.village_a,
                category="事实无人抚养儿童",
                father="服刑在押",
                father_ev="判决书",
                mother="失踪",
                mother_ev="派出所证明",
                name="无人抚养",
            ),  # row 8
        ]
    )


def test_bad_rows_reported_by_row_number(kids_staff, standards, file):
    officer_a = _township_officer(kids_staff)
    result = staged.check("children.registry", file, "registry.csv", user=officer_a)
    assert set(result.errors) == {3, 4, 5, 6, 7}, result.errors
    assert "mother_situation" in result.errors[3]
    assert "id_number" in result.errors[4]
    assert "area_code" in result.errors[5]
    assert "category" in result.errors[6]
    assert "row 2" in result.errors[7]["id_number"][0]
    assert Child.objects.count() == 0


def test_nothing_written_unless_valid_rows_only(kids_staff, standards, file):
    officer_a = _township_officer(kids_staff)
    with pytest.raises(ValidationError):
        staged.run("children.registry", file, "registry.csv", user=officer_a)
    assert Child.objects.count() == 0
    saved = staged.run("children.registry", file, "registry.csv", user=officer_a, valid_only=True)
    assert saved == 2
    assert sorted(Child.objects.values_list("person__name", flat=True)) == ["好孩子", "无人抚养"]
    child = Child.objects.get(person__name="无人抚养")
    assert child.category == "unsupported"
    assert child.parents.count() == 2
    assert child.guardians.get().name == "李奶奶"


def test_a_director_may_not_import(kids_staff, standards, file):
    assert not staged.get("children.registry").may_use(kids_staff.director_a)


def _township_officer(kids_staff):
    """An administrator of township A only (so that village B is outside): one of the roles
    that may import the registry."""
    from civil_affairs.areas.models import Area, Role
    from tests.conftest import _user

    return _user("admin_a", Role.ADMINISTRATOR, Area.objects.get(code="430922100"))
