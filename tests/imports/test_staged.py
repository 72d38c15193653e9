"""The staged import's machinery through a spec of the tests' own (people, grouped by family):
row numbers as the spreadsheet shows them, missing columns named once, nothing written while a
row is wrong, valid rows only by whole groups, the pages and who may see an upload."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from civil_affairs.areas import policy
from civil_affairs.imports import staged
from civil_affairs.imports.models import StagedImport
from civil_affairs.people.models import Person
from tests.conftest import login
from tests.factories import next_id_number

from .conftest import csv_bytes, xlsx_bytes
from .specs import KEY

pytestmark = pytest.mark.django_db

HEADER = ["户号", "身份证号", "姓名", "区划代码", "电话"]


def wrong_check(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


def people_rows(village: str) -> tuple[list[list[str]], dict[int, str]]:
    """A header, 6 data rows in 3 families and a blank row; the bad rows by spreadsheet row."""
    ids = [next_id_number() for _ in range(6)]
    rows = [
        HEADER,
        ["F1", ids[0], "张一", village, ""],  # row 2
        ["F1", ids[1], "张二", village, "13800000000"],  # row 3
        ["F2", wrong_check(ids[2]), "李一", village, ""],  # row 4: bad check character
        ["F2", ids[3], "李二", village, ""],  # row 5: good, but its family is bad
        ["", "", "", "", ""],  # row 6: blank, skipped but counted
        ["F3", ids[4], "=HYPERLINK(1)", village, ""],  # row 7: formula
        ["F4", ids[5], "王一", village, ""],  # row 8
    ]
    return rows, {4: "check character", 7: "formula"}


@pytest.fixture
def in_english():
    with translation.override("en"):
        yield


def test_check_reports_spreadsheet_row_numbers_and_writes_nothing(staff, village_a, in_english):
    rows, bad = people_rows(village_a)
    for data, name in ((csv_bytes(rows), "people.csv"), (xlsx_bytes(rows), "people.xlsx")):
        result = staged.check(KEY, data, name, user=staff.caseworker_a)
        assert result.problems == []
        assert result.total == 6
        assert set(result.errors) == set(bad)
        assert "check character" in " ".join(result.errors[4]["id_number"])
        assert "formula" in " ".join(result.errors[7]["name"])
        assert result.skipped == {5: 4}  # F2's good row goes with its bad row
        assert result.valid == 3
    assert Person.objects.count() == 0


def test_run_refuses_while_any_row_is_wrong_and_writes_nothing(staff, village_a, in_english):
    rows, _bad = people_rows(village_a)
    with pytest.raises(ValidationError, match="2 rows are wrong"):
        staged.run(KEY, csv_bytes(rows), "people.csv", user=staff.caseworker_a)
    assert Person.objects.count() == 0


def test_run_valid_only_saves_whole_good_groups(staff, village_a):
    rows, _bad = people_rows(village_a)
    saved = staged.run(KEY, csv_bytes(rows), "people.csv", user=staff.caseworker_a, valid_only=True)
    assert saved == 3
    assert sorted(Person.objects.values_list("name", flat=True)) == ["张一", "张二", "王一"]


def test_a_good_file_is_saved_whole(staff, village_a):
    rows, _bad = people_rows(village_a)
    good = [rows[0], rows[1], rows[2], rows[8 - 1]]
    assert staged.run(KEY, xlsx_bytes(good), "people.xlsx", user=staff.caseworker_a) == 3
    assert Person.objects.count() == 3


def test_a_failing_save_undoes_everything(staff, village_a, monkeypatch):
    from .specs import PeopleImport

    rows, _bad = people_rows(village_a)
    original = PeopleImport.save

    def save_then_fail(self, rows, ctx):
        original(self, rows, ctx)
        raise ValidationError("the service refused the last one")

    monkeypatch.setattr(PeopleImport, "save", save_then_fail)
    with pytest.raises(ValidationError, match="refused"):
        staged.run(KEY, csv_bytes(rows), "people.csv", user=staff.caseworker_a, valid_only=True)
    assert Person.objects.count() == 0


def test_missing_required_columns_are_named_once(staff, village_a):
    rows, _bad = people_rows(village_a)
    without = [[cell for i, cell in enumerate(row) if i not in (1, 2)] for row in rows]
    without[0][0] = "户号"
    result = staged.check(KEY, csv_bytes(without), "people.csv", user=staff.caseworker_a)
    assert result.errors == {}
    assert len(result.problems) == 1
    assert result.problems[0] == "缺少列：身份证号码、姓名"


def test_headers_in_either_language_or_the_column_name_and_a_title_row(staff, village_a):
    rows, _bad = people_rows(village_a)
    rows[0] = ["household", "ID number ", "姓名*", "area_code", "Phone"]
    titled = [["某镇居民名册"], *rows]
    result = staged.check(KEY, xlsx_bytes(titled), "people.xlsx", user=staff.caseworker_a)
    assert result.problems == []
    assert result.header_row == 2
    assert set(result.errors) == {5, 8}  # one row lower than without the title


def test_unknown_headers_are_listed_and_a_misspelt_required_one_is_missing(staff, village_a):
    rows, _bad = people_rows(village_a)
    rows[0] = ["户号", "身分证号", "姓名", "区划代码", "备注"]
    result = staged.check(KEY, csv_bytes(rows), "people.csv", user=staff.caseworker_a)
    assert result.problems == ["缺少列：身份证号码"]
    assert result.ignored == ["身分证号", "备注"]


def test_a_role_without_the_action_may_not_import(staff, village_a):
    rows, _bad = people_rows(village_a)
    with pytest.raises(PermissionDenied):
        staged.check(KEY, csv_bytes(rows), "people.csv", user=staff.finance)


def test_rows_outside_the_users_areas_say_only_not_in_your_areas(staff, village_a):
    rows, _bad = people_rows(village_a)
    result = staged.check(KEY, csv_bytes(rows), "people.csv", user=staff.caseworker_b)
    assert result.errors[2] == {"area_code": [str(policy.outside_error("area_code").messages[0])]}


# ---- the pages


def english(user):
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("imports:upload", args=[KEY]), {"file": SimpleUploadedFile(name, data)}
    )


def test_pages_upload_dry_run_then_valid_rows_only(staff, village_a):
    rows, _bad = people_rows(village_a)
    client = english(staff.caseworker_a)
    page = client.get(reverse("imports:upload", args=[KEY]))
    assert page.status_code == 200
    assert "ID number" in page.content.decode()
    response = upload(client, csv_bytes(rows), "people.csv")
    assert response.status_code == 302
    item = StagedImport.objects.get()
    assert item.status == StagedImport.Status.CHECKED
    page = client.get(response["Location"]).content.decode()
    # every bad row with its reasons, readable without hovering; headers in English
    assert 'data-row="4"' in page
    assert 'data-row="7"' in page
    assert "<strong>ID number</strong>: The check character of this ID number is wrong." in page
    assert "<th>name</th>" in page
    assert 'id="confirm-all"' not in page
    assert 'id="confirm-valid"' in page
    assert Person.objects.count() == 0
    # confirming everything (a forged POST) is refused; nothing written
    client.post(reverse("imports:confirm", args=[item.pk]))
    assert Person.objects.count() == 0
    response = client.post(
        reverse("imports:confirm", args=[item.pk]), {"valid_only": "True"}, follow=True
    )
    assert "3 rows imported." in response.content.decode()
    assert Person.objects.count() == 3
    item.refresh_from_db()
    assert item.status == StagedImport.Status.SAVED
    # a second confirmation saves nothing more
    client.post(reverse("imports:confirm", args=[item.pk]), {"valid_only": "True"})
    assert Person.objects.count() == 3
    # the error file: the rows not imported with their reasons, formulas harmless
    body = b"".join(client.get(reverse("imports:errors", args=[item.pk])).streaming_content)
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("row,household,ID number,name")
    assert len(text.splitlines()) == 1 + 3  # rows 4, 5 (its group) and 7
    assert "'=HYPERLINK(1)" in text


def test_dry_run_page_in_chinese_shows_chinese_headers(staff, village_a):
    rows, _bad = people_rows(village_a)
    client = login(staff.caseworker_a)
    response = upload(client, csv_bytes(rows), "people.csv")
    page = client.get(response["Location"]).content.decode()
    assert "<th>身份证号码</th>" in page


def test_an_upload_is_its_uploaders_alone(staff, village_a):
    rows, _bad = people_rows(village_a)
    response = upload(login(staff.caseworker_a), csv_bytes(rows), "people.csv")
    item = StagedImport.objects.get()
    for other in (staff.caseworker_b, staff.admin, staff.reviewer_a):
        client = login(other)
        for name in ("detail", "progress", "errors"):
            assert client.get(reverse(f"imports:{name}", args=[item.pk])).status_code == 404
        assert client.post(reverse("imports:confirm", args=[item.pk])).status_code == 404
    assert response.status_code == 302
    assert Person.objects.count() == 0
