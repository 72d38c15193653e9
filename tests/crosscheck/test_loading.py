"""Loading a department's list: COPY into staging, validation in SQL, rows reported by number."""

from __future__ import annotations

import datetime
import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from civil_affairs.core.idgen import make_id_number
from civil_affairs.core.validators import clean_id_number
from civil_affairs.crosscheck import services
from civil_affairs.crosscheck.kinds import default_mapping
from civil_affairs.crosscheck.models import ColumnMapping, ExternalList, ListRow, RejectedRow
from civil_affairs.crosscheck.sql import CREATE_FUNCTIONS

from .conftest import DEATH_HEADER, csv_bytes, upload

pytestmark = pytest.mark.django_db

VALID = "11010519491231002X"


def _problem(number: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT crosscheck_id_problem(%s, %s)", [number, timezone.localdate()])
        return cursor.fetchone()[0]


def _python_problem(number: str) -> str | None:
    """clean_id_number's code; it says id_birth_date for a birth date in the future too,
    which the loader reports apart (id_birth_future) for a clearer message."""
    try:
        clean_id_number(number)
    except ValidationError as exc:
        return exc.error_list[0].code
    return None


def _same(sql_code: str | None) -> str | None:
    return "id_birth_date" if sql_code == "id_birth_future" else sql_code


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (VALID, None),
        ("110105194912310021", "id_checksum"),  # the same with a wrong last digit
        ("11010519491231002", "id_length"),
        ("1101051949123100211", "id_length"),
        ("11010519491231002A", "id_format"),
        ("110105194913310028", "id_birth_date"),  # month 13
        ("110105190002290028", "id_birth_date"),  # 1900 was not a leap year
        ("110105299901010028", "id_birth_future"),
    ],
)
def test_sql_id_check_agrees_with_clean_id_number(db, number, code):
    assert _problem(number) == code
    assert _python_problem(number) == _same(code)


def test_sql_id_check_agrees_on_many_random_numbers(db):
    rng = random.Random(2026)
    numbers = []
    for _ in range(3000):
        born = datetime.date(1920, 1, 1) + datetime.timedelta(days=rng.randrange(36000))
        number = make_id_number("430922", born, rng.randrange(1000))
        if rng.random() < 0.5:  # damage half of them in one character
            i = rng.randrange(18)
            number = number[:i] + rng.choice("0123456789X") + number[i + 1 :]
        numbers.append(number)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n, crosscheck_id_problem(n, %s) FROM unnest(%s::text[]) AS n",
            [timezone.localdate(), numbers],
        )
        in_sql = dict(cursor.fetchall())
    disagreements = [
        (n, in_sql[n], _python_problem(n))
        for n in numbers
        if _same(in_sql[n]) != _python_problem(n)
    ]
    assert disagreements == []


def test_functions_are_inlined_plain_sql(db):
    """The loader relies on the planner inlining them: they must stay single SQL expressions."""
    assert "plpgsql" not in CREATE_FUNCTIONS.lower()
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (VERBOSE) SELECT crosscheck_id_problem(n, current_date), "
            "crosscheck_checksum_ok(b) "
            "FROM (SELECT n, convert_to(n, 'UTF8') AS b "
            "      FROM unnest(ARRAY['x']) AS n OFFSET 0) AS x"
        )
        plan = " ".join(r[0] for r in cursor.fetchall())
    assert "crosscheck_" not in plan  # all inlined into plain expressions


def _quick_ok(numbers: list[str]) -> dict[str, bool]:
    """The loader's quick check (loading._fast_ok) on death rows with these ID numbers."""
    from civil_affairs.crosscheck.kinds import fields_of
    from civil_affairs.crosscheck.loading import _fast_ok, fast_ok_params

    index = {"id_number": 0, "event_date": 2}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE quick (id_number text, event_date text, name text)")
        cursor.execute(
            "INSERT INTO quick (id_number, event_date) "
            "SELECT n, '2026-03-10' FROM unnest(%s::text[]) n",
            [numbers],
        )
        cursor.execute(
            f"SELECT id_number, {_fast_ok(fields_of('death'), index)} FROM quick",  # noqa: S608
            fast_ok_params(timezone.localdate()),
        )
        return dict(cursor.fetchall())


def test_quick_check_agrees_with_the_full_one(db):
    """A row passes the quick check exactly when the full check finds nothing (for birth
    dates from 1900 on; older ones are left to the full check)."""
    rng = random.Random(7)
    numbers = [VALID, "110105194912310021", "110105190002290028", "110105299901010028"]
    numbers += ["11010519491231002x", " 11010519491231002X", "1101051949123100\\X"]
    for _ in range(2000):
        born = datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(45000))
        number = make_id_number("430922", born, rng.randrange(1000))
        i = rng.randrange(18)
        if rng.random() < 0.5:
            number = number[:i] + rng.choice("0123456789X") + number[i + 1 :]
        numbers.append(number)
    quick = _quick_ok(numbers)
    disagreements = [n for n in numbers if quick[n] != (_python_problem(n) is None)]
    # these two are valid once tidied: set aside by the quick check, passed by the judge
    assert disagreements == ["11010519491231002x", " 11010519491231002X"]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("2026-03-10", datetime.date(2026, 3, 10)),
        ("2026/3/10", datetime.date(2026, 3, 10)),
        ("2026.03.10", datetime.date(2026, 3, 10)),
        ("20260310", datetime.date(2026, 3, 10)),
        ("2026年3月10日", datetime.date(2026, 3, 10)),
        ("2026-03-10 00:00:00", datetime.date(2026, 3, 10)),
        ("2026-02-30", None),
        ("10/03/2026", None),
        ("yesterday", None),
    ],
)
def test_dates_as_departments_write_them(db, text, parsed):
    with connection.cursor() as cursor:
        cursor.execute("SELECT crosscheck_ymd_date(crosscheck_date_parts(%s))", [text])
        assert cursor.fetchone()[0] == parsed


def _numbers(count, start=0):
    base = datetime.date(1950, 1, 1)
    return [
        make_id_number(
            "430922", base + datetime.timedelta(days=(start + i) // 900), (start + i) % 900
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("quoted", [False, True])
def test_five_bad_rows_among_10000_are_reported_by_number_and_the_rest_loaded(staff, areas, quoted):
    """Quoted: a name with a comma is written in quotes, so the rows are checked in SQL
    rather than as the file goes to COPY (crosscheck.quickcheck); the outcome is the same."""
    numbers = _numbers(10_000)
    rows = [[n, f"某{i}", "2026-03-10", ""] for i, n in enumerate(numbers)]
    if quoted:
        rows[1][1] = "某,1"
    # data row i is spreadsheet row i + 2 (the heading is row 1)
    rows[0][0] = rows[0][0][:-1] + ("1" if rows[0][0][-1] != "1" else "2")  # check character
    rows[1233][0] = rows[1233][0][:17]  # too short
    rows[4999][2] = ""  # required date missing
    rows[7000][0] = ""  # no ID number
    rows[9999][2] = "2026-13-01"  # not a date
    lst = upload(staff.approver, areas.county, "death", csv_bytes(rows, DEATH_HEADER))
    assert lst.status == ExternalList.Status.LOADED
    assert (lst.rows_loaded, lst.rows_rejected, lst.rows_total) == (9995, 5, 10_000)
    reported = list(
        RejectedRow.objects.filter(list=lst).values_list("row_number", "field", "problem")
    )
    assert reported == [
        (2, "id_number", "id_checksum"),
        (1235, "id_number", "id_length"),
        (5001, "event_date", "missing"),
        (7002, "id_number", "missing"),
        (10001, "event_date", "bad_date"),
    ]
    assert ListRow.objects.filter(list=lst).count() == 9995
    base = lst.pk * ListRow.ROW_SPAN
    kept = ListRow.objects.get(pk=base + 3)
    assert (kept.row_number, kept.id_number, kept.name) == (3, numbers[1], rows[1][1])
    assert kept.event_day == datetime.date(2026, 3, 10)
    gone = [base + n for n in (2, 1235, 5001, 7002, 10001)]
    assert not ListRow.objects.filter(pk__in=gone).exists()


def test_gbk_file_with_a_short_row_and_fullwidth_digits(staff, areas):
    """A GBK file (what Excel saves as CSV in China) whose row 3 lacks columns: that row is
    reported, the others load; full-width digits and a lower-case x are accepted."""
    numbers = _numbers(3)
    fullwidth = numbers[2].translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    text = "\n".join(
        [
            ",".join(DEATH_HEADER),
            f"{numbers[0]},张三,2026-03-10,火化",
            f"{numbers[1]},李四",
            f" {fullwidth} ,王五,2026年3月1日,",
            "",
        ]
    )
    lst = upload(staff.approver, areas.county, "death", text.encode("gb18030"))
    assert lst.encoding == "gb18030"
    assert (lst.rows_loaded, lst.rows_rejected) == (2, 1)
    bad = RejectedRow.objects.get(list=lst)
    assert (bad.row_number, bad.problem, bad.value) == (3, "columns", "2/4")
    names = dict(ListRow.objects.filter(list=lst).values_list("id_number", "name"))
    assert names == {numbers[0]: "张三", numbers[2]: "王五"}


def test_xlsx_with_dates_and_columns_in_another_order(staff, areas):
    numbers = _numbers(2)
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "死亡日期", "姓名", "身份证号码"])
    sheet.append([1, datetime.datetime(2026, 3, 10), "张三", numbers[0]])
    sheet.append([2, "2026/3/12", "李四", numbers[1]])
    data = io.BytesIO()
    book.save(data)
    lst = upload(staff.approver, areas.county, "death", data.getvalue(), name="deaths.xlsx")
    assert (lst.rows_loaded, lst.rows_rejected) == (2, 0)
    rows = list(
        ListRow.objects.filter(list=lst).order_by("id").values_list("id_number", "event_date")
    )
    assert rows == [(numbers[0], "2026-03-10"), (numbers[1], "2026-03-12")]  # written one way
    assert lst.columns == {"id_number": "身份证号码", "name": "姓名", "event_date": "死亡日期"}
    assert lst.extra_columns == ["序号"]  # the other column is kept too
    first = ListRow.objects.get(pk=lst.pk * ListRow.ROW_SPAN + 2)
    assert first.extras() == [("序号", "1")]


def test_amounts_and_tab_delimited_vehicle_list(staff, areas):
    numbers = _numbers(3)
    header = ["身份证号码", "姓名", "车辆价值", "号牌号码"]
    rows = [
        [numbers[0], "甲", "120,000.50", "湘H12345"],
        [numbers[1], "乙", "¥8000元", ""],
        [numbers[2], "丙", "很贵", ""],
    ]
    data = "\n".join("\t".join(r) for r in [header, *rows]).encode()
    lst = upload(staff.approver, areas.county, "vehicle", data, delimiter="\t")
    values = dict(ListRow.objects.filter(list=lst).values_list("id_number", "value"))
    assert values == {numbers[0]: "120000.50", numbers[1]: "8000.00"}
    bad = RejectedRow.objects.get(list=lst)
    assert (bad.row_number, bad.field, bad.problem, bad.value) == (4, "value", "bad_amount", "很贵")


def test_a_required_column_missing_from_the_file_is_refused_at_upload(staff, areas):
    data = csv_bytes([["11010519491231002X", "张三"]], ["身份证号码", "姓名"])
    with pytest.raises(ValidationError) as caught:
        upload(staff.approver, areas.county, "death", data, load=False)
    assert "死亡日期" in caught.value.message_dict["col_event_date"][0]
    assert ExternalList.objects.count() == 0


def test_an_optional_column_missing_is_left_empty(staff, areas):
    data = csv_bytes([["11010519491231002X", "2026-03-10"]], ["身份证号码", "死亡日期"])
    lst = upload(staff.approver, areas.county, "death", data)
    assert lst.columns == {"id_number": "身份证号码", "event_date": "死亡日期"}
    assert ListRow.objects.get(list=lst).name is None


def test_mapping_is_saved_per_kind_for_next_time(staff, areas):
    data = csv_bytes([["11010519491231002X", "2026-03-10"]], ["证件号", "日期"])
    columns = {"id_number": "证件号", "event_date": "日期", "name": "", "detail": ""}
    upload(staff.approver, areas.county, "death", data, columns=columns)
    saved = ColumnMapping.objects.get(kind="death")
    assert saved.columns["id_number"] == "证件号"
    assert saved.columns["name"] == ""
    from civil_affairs.crosscheck.selectors import mapping_for

    assert mapping_for("death")[0]["event_date"] == "日期"
    assert mapping_for("vehicle")[0] == default_mapping("vehicle")


def test_bad_upload_input_is_refused_with_field_messages(staff, areas):
    data = csv_bytes([], DEATH_HEADER)
    with pytest.raises(ValidationError) as caught:
        services.list_upload(
            actor=staff.approver,
            kind="death",
            area=areas.county,
            valid_on=timezone.localdate() + datetime.timedelta(days=3),
            source=" ",
            file=SimpleUploadedFile("x.pdf", data),
            file_name="x.pdf",
            columns=default_mapping("death"),
        )
    assert set(caught.value.message_dict) == {"valid_on", "source", "file"}
    with pytest.raises(ValidationError) as formula:
        services.list_upload(
            actor=staff.approver,
            kind="death",
            area=areas.county,
            valid_on=timezone.localdate(),
            source="=HYPERLINK(1)",
            file=SimpleUploadedFile("x.csv", data),
            file_name="x.csv",
            columns=default_mapping("death"),
        )
    assert list(formula.value.message_dict) == ["source"]


def test_only_supervisors_and_administrators_upload(staff, areas):
    data = csv_bytes([], DEATH_HEADER)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(staff.caseworker_a, areas.a, "death", data, load=False)
    with pytest.raises(ValidationError) as outside:  # an area the reviewer picked, not theirs
        upload(staff.reviewer_a, areas.b, "death", data, load=False)
    assert list(outside.value.message_dict) == ["area"]
    assert upload(staff.admin, areas.county, "death", data).status == ExternalList.Status.LOADED


def test_an_empty_list_loads_with_no_rows(staff, areas):
    lst = upload(staff.approver, areas.county, "death", csv_bytes([], DEATH_HEADER))
    assert (lst.status, lst.rows_loaded, lst.rows_rejected, lst.progress) == ("loaded", 0, 0, 100)


def test_a_load_that_fails_is_marked_failed_and_can_be_loaded_again(
    staff, areas, monkeypatch, django_capture_on_commit_callbacks
):
    lst = upload(staff.approver, areas.county, "death", csv_bytes([], DEATH_HEADER), load=False)
    lst.file.delete(save=False)  # the file vanished from storage
    from civil_affairs.crosscheck.loading import list_load

    with pytest.raises(FileNotFoundError):
        list_load(external_list=lst)
    lst.refresh_from_db()
    assert lst.status == ExternalList.Status.FAILED
    assert "FileNotFoundError" in lst.error
    assert not ListRow.objects.filter(list=lst).exists()
    queued = []
    monkeypatch.setattr(services, "_queue_load", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        services.list_reload(actor=staff.approver, external_list=lst)
    assert queued == [lst.pk]
    lst.refresh_from_db()
    assert lst.progress == 0
    with pytest.raises(ValidationError):
        services.list_reload(
            actor=staff.approver,
            external_list=upload(
                staff.approver, areas.county, "death", csv_bytes([], DEATH_HEADER)
            ),
        )


def test_a_list_a_crashed_load_left_loading_loads_when_the_task_comes_again(staff, areas):
    """acks_late: a worker killed mid-load leaves the list "loading" (its transaction never
    committed) and the task is delivered again."""
    from civil_affairs.crosscheck.loading import list_load

    data = csv_bytes([[n, "某", "2026-03-10", ""] for n in _numbers(3)], DEATH_HEADER)
    lst = upload(staff.approver, areas.county, "death", data, load=False)
    ExternalList.objects.filter(pk=lst.pk).update(status=ExternalList.Status.LOADING)
    loaded = list_load(external_list=lst)
    assert (loaded.status, loaded.rows_loaded) == (ExternalList.Status.LOADED, 3)
