"""The organisations import (staged): bad rows reported by row number, nothing written unless
the user chooses the valid rows only."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from social_orgs.models import Organisation

from .conftest import credit_code, wrong_check

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("civil_affairs.imports"), reason="the staged import is not here yet"
    ),
]
HEADER = "统一社会信用代码,名称,类型,法定代表人,登记日期,业务主管单位,直接登记,注册资金\n"


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def test_bad_rows_are_named_by_row_number_and_nothing_is_written(areas, officers):
    from civil_affairs.imports import staged

    good = credit_code("1")
    data = _file(
        f"{good},县书法协会,社会团体,王一,2020-01-02,县文联,否,30000",
        f"{wrong_check(credit_code('2'))},县养老服务中心,2,李二,2020-01-02,,是,10000",
        f"{credit_code('1')},县慈善基金会,基金会,张三,2020-01-02,,是,2000000",
        f"{good},重复协会,1,赵四,2020-01-02,县文联,否,1",
        f"{credit_code('1')},无主管协会,1,钱五,2020-01-02,,否,1",
    )
    result = staged.check("social_orgs.organisations", data, "orgs.csv", user=officers.registration)
    assert set(result.errors) == {3, 4, 5, 6}
    assert result.errors[3] == {
        "credit_code": ["The check character of this credit code is wrong."]
    }
    assert "Foundation" in result.errors[4]["credit_code"][0]
    assert result.errors[5] == {"credit_code": ["The same credit code is on row 2."]}
    assert "supervising_unit" in result.errors[6]
    with pytest.raises(ValidationError):
        staged.run("social_orgs.organisations", data, "orgs.csv", user=officers.registration)
    assert not Organisation.objects.exists()
    saved = staged.run(
        "social_orgs.organisations", data, "orgs.csv", user=officers.registration, valid_only=True
    )
    assert saved == 1
    assert list(Organisation.objects.values_list("name", "credit_code")) == [("县书法协会", good)]


def test_the_import_needs_the_registration_officer(areas, officers):
    from civil_affairs.imports import staged

    data = _file(f"{credit_code('1')},县书法协会,1,王一,2020-01-02,县文联,否,30000")
    with pytest.raises(PermissionDenied):
        staged.run("social_orgs.organisations", data, "orgs.csv", user=officers.clerk_a)
    assert not Organisation.objects.exists()
