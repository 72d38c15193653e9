"""The import of households with members (the staged import's relief.households): 1,000
households, 37 bad rows."""

import csv
import html
import io
import random
import re

import pytest
import tablib
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from civil_affairs.imports import staged
from civil_affairs.imports.models import StagedImport
from civil_affairs.people.models import AccessLog, Person
from relief.imports import COLUMNS, KEY
from relief.models import Household, HouseholdMember
from tests.conftest import login
from tests.factories import next_id_number

pytestmark = pytest.mark.django_db


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


def upload(client, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports:upload", args=[KEY]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return StagedImport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


@pytest.fixture(autouse=True)
def _in_the_request(settings):
    """These files (about 2,500 rows) are checked in the request; tests/imports covers the job."""
    settings.IMPORTS_JOB_ROWS = 10_000


@pytest.fixture
def file_rows(areas):
    return build(areas)


def english(user):
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def bad_rows_listed(page):
    """Row number -> the reasons shown in the dry run's table of wrong rows."""
    rows = re.findall(
        r'<tr data-row="(\d+)"><th scope="row">\d+</th>\s*'
        r'<td class="text-danger reasons">(.*?)</td>',
        page,
        re.S,
    )
    return {int(n): html.unescape(re.sub(r"<[^>]+>", " ", reasons)) for n, reasons in rows}


def test_dry_run_lists_exactly_the_37_bad_rows_and_confirm_is_refused(staff, file_rows):
    rows, bad, _ = file_rows
    client = english(staff.caseworker_a)
    people_before = Person.objects.count()
    item = upload(client, as_xlsx(rows), "households.xlsx")
    assert item.status == StagedImport.Status.CHECKED
    page = client.get(reverse("imports:detail", args=[item.pk])).content.decode()
    listed = bad_rows_listed(page)
    # the spreadsheet's row numbers: the header is row 1
    assert set(listed) == {n + 1 for n in bad}
    assert len(listed) == 37
    for number, reason in bad.items():
        assert reason in listed[number + 1], (number, listed[number + 1])
    assert 'id="confirm-all"' not in page
    assert 'id="error-file"' in page
    # nothing written by the dry run
    assert Household.objects.count() == 0
    assert Person.objects.count() == people_before
    # confirming all anyway (a forged POST) writes nothing either
    response = client.post(reverse("imports:confirm", args=[item.pk]), follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert Household.objects.count() == 0
    assert HouseholdMember.objects.count() == 0
    assert Person.objects.count() == people_before


def test_valid_rows_only_imports_the_good_households_and_offers_an_error_file(staff, file_rows):
    rows, bad, chosen = file_rows
    client = english(staff.caseworker_a)
    item = upload(client, as_csv(rows), "households.csv")
    result = staged.Result.from_json(item.result)
    assert len(result.errors) == 37
    page = client.get(reverse("imports:detail", args=[item.pk])).content.decode()
    assert 'id="confirm-valid"' in page
    response = client.post(
        reverse("imports:confirm", args=[item.pk]), {"valid_only": "True"}, follow=True
    )
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
    assert f"{expected_members} rows imported." in page
    # the error file: every row not imported, with its reason; formulas made harmless
    body = b"".join(client.get(reverse("imports:errors", args=[item.pk])).streaming_content)
    lines = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    not_imported = sum(1 for r in rows if r["household_key"] in bad_keys)
    assert len(lines) == not_imported
    by_row = {int(line["row"]): line for line in lines}
    wrong = {n for n, line in by_row.items() if not line["reason"].startswith("Not imported")}
    assert wrong == {n + 1 for n in bad}
    assert all(not line["name"].startswith("=") for line in lines)
    assert AccessLog.objects.filter(action="export").exists()


def test_caseworker_of_township_b_cannot_import_into_a(staff, areas):
    rows, _, _ = build(areas, households=3)
    with translation.override("en"):
        result = staged.check(KEY, as_csv(rows), "households.csv", user=staff.caseworker_b)
    assert set(result.errors) == set(range(2, len(rows) + 2))
    for errors in result.errors.values():
        assert errors["area_code"] == ["Not in your areas."]
    assert Household.objects.count() == 0


def test_a_person_on_file_outside_the_users_areas_is_only_not_in_your_areas(staff, areas, person_b):
    """Nothing tells a township-A clerk that a township-B number is on file, nor where."""
    rows, _, _ = build(areas, households=2)
    rows[1]["id_number"], rows[1]["name"] = person_b.id_number, "某人"
    with translation.override("en"):
        result = staged.check(KEY, as_csv(rows), "households.csv", user=staff.caseworker_a)
    assert result.errors == {3: {"id_number": ["Not in your areas."]}}


def test_a_household_with_a_wrong_row_is_left_out_whole(staff, areas):
    rows, _, _ = build(areas, households=3)
    rows[-1]["income_wages"] = "abc"
    with translation.override("en"):
        saved = staged.run(
            KEY, as_csv(rows), "households.csv", user=staff.caseworker_a, valid_only=True
        )
    third = [r for r in rows if r["household_key"] == "H0003"]
    assert saved == len(rows) - len(third)
    assert Household.objects.count() == 2


def test_the_admin_import_leads_to_the_staged_import(staff):
    client = login(staff.caseworker_a)
    response = client.get("/admin/relief/household/import/")
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:upload", args=[KEY])
