"""The admin import of households with members: 1,000 households, 37 bad rows."""

import csv
import io
import random

import pytest
import tablib
from django.conf import settings
from django.urls import reverse

from civil_affairs.people.models import AccessLog, Person
from relief.imports import COLUMNS
from relief.models import Household, HouseholdMember
from tests.conftest import login
from tests.factories import next_id_number

pytestmark = pytest.mark.django_db

URL = "/admin/relief/household/import/"
CONFIRM = "/admin/relief/household/process_import/"


def wrong_check(number):
    return number[:17] + ("1" if number[17] != "1" else "2")


def build(areas, households=1000):
    """Rows of `households` households (2-3 members each) and the numbers of 37 bad rows,
    each bad row in a different household and never its head, by reason."""
    rnd = random.Random(37)
    villages = [areas.by_code["430922100201"].code, areas.by_code["430922100001"].code]
    rows, households_rows = [], []
    for h in range(1, households + 1):
        key = f"H{h:04d}"
        village = villages[h % 2]
        members = []
        for m, relationship in enumerate(["head", "spouse", "child"][: 2 + h % 2]):
            members.append(
                {
                    "household_key": key,
                    "area_code": village,
                    "address": f"{h}号",
                    "registered_type": "rural" if h % 3 else "urban",
                    "category": "ABC"[h % 3],
                    "id_number": next_id_number(),
                    "name": f"导入{h}{'甲乙丙'[m]}",
                    "relationship": relationship,
                    "work_capacity": "full",
                    "health": "healthy",
                    "disability_certificate": "",
                    "income_wages": str(100 * (h % 7)),
                    "income_business": "0",
                    "income_farming": "50.5",
                    "income_property": "0",
                    "income_transfer": "0",
                    "income_other": "0",
                    "vehicles": "0",
                    "real_estate": "1",
                    "deposits": "1000",
                }
            )
        households_rows.append(members)
    chosen = (
        rnd.sample(range(1, households), 37) if households > 37 else []
    )  # household indexes (0-based, never the first)
    reasons = {}
    for i, index in enumerate(chosen):
        row = households_rows[index][1]  # the second member, never the head
        if i < 10:
            row["id_number"] = wrong_check(row["id_number"])
            reasons[id(row)] = "check character"
        elif i < 17:
            row["area_code"] = "430922100999"
            reasons[id(row)] = "No village or community"
        elif i < 24:
            # the head of an earlier, good household, listed again here
            earlier = max(j for j in range(index) if j not in chosen)
            other = households_rows[earlier][0]
            row["id_number"], row["name"] = other["id_number"], other["name"]
            reasons[id(row)] = "also in household"
        elif i < 31:
            row["income_business"] = "-120"
            reasons[id(row)] = "cannot be negative"
        else:
            row["name"] = '=HYPERLINK("http://x.example","点我")'
            reasons[id(row)] = "formula"
    bad = {}
    for members in households_rows:
        for row in members:
            rows.append(row)
            if id(row) in reasons:
                bad[len(rows)] = reasons[id(row)]
    return rows, bad, chosen


def as_csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows):
    data = tablib.Dataset(headers=list(COLUMNS))
    for row in rows:
        data.append([row.get(c, "") for c in COLUMNS])
    return data.export("xlsx")


def format_index(client, extension):
    from relief.admin import HouseholdAdmin

    formats = HouseholdAdmin(Household, None).get_import_formats()
    return next(i for i, f in enumerate(formats) if f().get_extension() == extension)


def upload(client, content, name, extension, valid_only=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "resource": "0",
        "format": str(format_index(client, extension)),
        "import_file": SimpleUploadedFile(name, content),
    }
    if valid_only:
        data["valid_only"] = "on"
    return client.post(URL, data)


@pytest.fixture
def file_rows(areas):
    return build(areas)


def english(user):
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_dry_run_lists_exactly_the_37_bad_rows_and_confirm_is_refused(staff, file_rows):
    rows, bad, _ = file_rows
    client = english(staff.caseworker_a)
    people_before = Person.objects.count()
    response = upload(client, as_xlsx(rows), "households.xlsx", "xlsx")
    assert response.status_code == 200
    result = response.context["result"]
    listed = {
        row.number: " ".join(m for ms in row.error_dict.values() for m in ms)
        for row in result.invalid_rows
    }
    assert set(listed) == set(bad)
    assert len(listed) == 37
    for number, reason in bad.items():
        assert reason in listed[number], (number, listed[number])
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert 'id="error-file"' in response.content.decode()
    # nothing written by the dry run
    assert Household.objects.count() == 0
    assert Person.objects.count() == people_before
    # confirming anyway (a forged POST) writes nothing either
    file_name = response.context["form"].cleaned_data["import_file"].tmp_storage_name
    response = client.post(
        CONFIRM,
        {
            "import_file_name": file_name,
            "original_file_name": "households.xlsx",
            "format": str(format_index(client, "xlsx")),
            "resource": "0",
        },
    )
    assert response.status_code == 302
    assert Household.objects.count() == 0
    assert HouseholdMember.objects.count() == 0
    assert Person.objects.count() == people_before


def test_valid_rows_only_imports_the_good_households_and_offers_an_error_file(staff, file_rows):
    rows, bad, chosen = file_rows
    client = english(staff.caseworker_a)
    response = upload(client, as_csv(rows), "households.csv", "csv", valid_only=True)
    assert response.status_code == 200
    assert len(response.context["result"].invalid_rows) == 37
    confirm = response.context["confirm_form"]
    assert confirm is not None
    response = client.post(CONFIRM, {**confirm.initial, "valid_only": "True"}, follow=True)
    assert response.status_code == 200
    good_households = 1000 - 37
    assert Household.objects.count() == good_households
    bad_keys = {f"H{i + 1:04d}" for i in chosen}
    expected_members = sum(1 for r in rows if r["household_key"] not in bad_keys)
    assert HouseholdMember.objects.count() == expected_members
    # the members were written by the service: income per member is computed from them
    household = Household.objects.get(address="1号")
    assert household.members.count() == 3
    assert household.caseworker == staff.caseworker_a
    page = response.content.decode()
    assert f"{good_households} households imported." in page
    assert "Some rows were not imported." in page
    # the error file: every row not imported, with its reason; formulas made harmless
    url = reverse("admin:relief_household_import_errors", args=[_token(page)])
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(body)))
    not_imported = sum(1 for r in rows if r["household_key"] in bad_keys)
    assert len(lines) == not_imported
    by_row = {int(line["row"]): line for line in lines}
    wrong = {n for n, line in by_row.items() if not line["reason"].startswith("Not imported")}
    assert wrong == set(bad)
    assert all(not line["name"].startswith("=") for line in lines)
    assert AccessLog.objects.filter(action="export").exists()


def _token(page):
    import re

    return re.search(r"import-errors/([0-9a-f]+)/", page).group(1)


def test_caseworker_of_township_b_cannot_import_into_a(staff, areas):
    rows, _, _ = build(areas, households=3)
    client = english(staff.caseworker_b)
    response = upload(client, as_csv(rows), "households.csv", "csv", valid_only=True)
    result = response.context["result"]
    assert len(result.invalid_rows) == len(rows)
    for row in result.invalid_rows:
        assert "not one of yours" in " ".join(row.error_dict["area_code"])
    assert Household.objects.count() == 0
