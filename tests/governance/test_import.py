"""The committee members import (staged): bad rows reported by row number, nothing written
unless the user chooses the valid rows only."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from governance import services
from governance.models import Member

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("civil_affairs.imports"), reason="the staged import is not here yet"
    ),
]
HEADER = "区划代码,委员会,姓名,性别,职务,身份证号\n"


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def test_bad_member_rows_are_named_by_row_number(areas, officers):
    from civil_affairs.imports import staged

    services.committee_elect(
        actor=officers.clerk_a,
        area=areas.village_a,
        kind="village",
        elected_on=datetime.date(2021, 4, 10),
    )
    data = _file(
        "430922100201,村民委员会,张主任,男,主任,",
        "430922100201,村民委员会,李副主任,女,副主任,",
        "430922100201,村民委员会,王二主任,男,主任,",  # a second chair
        "430922100201,村民委员会,赵委员,男,委员,11010519491231002X",  # the number says female
        "430922100001,居民委员会,钱委员,女,委员,",  # no committee in office
        "430922101201,村民委员会,孙委员,女,委员,",  # township B: not the clerk's
        "430922100201,村民委员会,周委员,女,秘书,",  # no such post
    )
    result = staged.check("governance.members", data, "members.csv", user=officers.clerk_a)
    assert set(result.errors) == {4, 5, 6, 7, 8}
    assert result.errors[4] == {"post": ["The committee's chair is on row 2 already."]}
    assert result.errors[5] == {"sex": ["The ID number says the other sex."]}
    assert "committee" in result.errors[6]
    assert "area_code" in result.errors[7]
    assert "post" in result.errors[8]
    with pytest.raises(ValidationError):
        staged.run("governance.members", data, "members.csv", user=officers.clerk_a)
    assert not Member.objects.exists()
    saved = staged.run(
        "governance.members", data, "members.csv", user=officers.clerk_a, valid_only=True
    )
    assert saved == 2
    assert sorted(Member.objects.values_list("name", "post", "sex")) == sorted(
        [("张主任", "chair", "M"), ("李副主任", "vice_chair", "F")]
    )
