"""Checking an import of households with members (one row per member, a household key column)
before anything is written.

Each row is checked with the same functions the intake form's service uses
(services.clean_member and the household checks), and across rows for what a single form
cannot see: a person in two households of the file, a household's rows that disagree, a
person already in a household on file. The result says, per row, what is wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.spreadsheet import cell_safe
from civil_affairs.core.validators import validate_no_formula
from civil_affairs.people.models import Person

from .models import Household, HouseholdMember
from .services.households import MEMBER_FIELDS, _choice, _formula, clean_member

HOUSEHOLD_COLUMNS = ("household_key", "area_code", "address", "registered_type", "category")
COLUMNS = (*HOUSEHOLD_COLUMNS, *MEMBER_FIELDS)
# the headers a clerk's spreadsheet may have instead
ALIASES = {
    "户编号": "household_key",
    "户号": "household_key",
    "区划代码": "area_code",
    "地址": "address",
    "户籍类型": "registered_type",
    "分类": "category",
    "身份证号": "id_number",
    "姓名": "name",
    "与户主关系": "relationship",
    "劳动能力": "work_capacity",
    "健康状况": "health",
    "残疾证号": "disability_certificate",
    "工资收入": "income_wages",
    "经营收入": "income_business",
    "农业收入": "income_farming",
    "财产收入": "income_property",
    "转移性收入": "income_transfer",
    "其他收入": "income_other",
    "车辆": "vehicles",
    "房产": "real_estate",
    "存款": "deposits",
}
REASON_COLUMN = "reason"


def normalise_header(name: Any) -> str:
    text = str(name or "").strip()
    return ALIASES.get(text, text.lower())


@dataclass
class ImportPlan:
    rows: dict[int, dict[str, Any]]  # row number (1 = first data row) -> values by column
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    households: dict[str, list[int]] = field(default_factory=dict)  # key -> row numbers
    household_values: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, number: int, column: str, message: str) -> None:
        self.errors.setdefault(number, {}).setdefault(column, []).append(message)

    def bad_households(self) -> set[str]:
        return {
            key
            for key, numbers in self.households.items()
            if any(n in self.errors for n in numbers)
        }

    def good_households(self) -> list[str]:
        bad = self.bad_households()
        return [key for key in self.households if key not in bad]

    def skipped_rows(self) -> dict[int, str]:
        """Good rows not imported because another row of their household is bad."""
        skipped = {}
        for key in self.bad_households():
            numbers = self.households[key]
            first_bad = next(n for n in numbers if n in self.errors)
            for n in numbers:
                if n not in self.errors:
                    skipped[n] = _("Not imported: row %(row)d of the same household is wrong.") % {
                        "row": first_bad
                    }
        return skipped

    def members_of(self, key: str) -> list[dict[str, Any]]:
        return [self.rows[n] for n in self.households[key]]


def _collect(plan: ImportPlan, number: int, exc: ValidationError, column: str) -> None:
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            for message in messages:
                plan.add(number, key, message)
    else:
        for message in exc.messages:
            plan.add(number, column, message)


def plan_import(*, actor: Any, rows: list[dict[str, Any]]) -> ImportPlan:
    """Check every row; nothing is written."""
    plan = ImportPlan(rows=dict(enumerate(rows, 1)))
    villages = {a.code: a for a in Area.objects.filter(level=Area.Level.VILLAGE)}
    numbers = {str(r.get("id_number") or "").strip().upper() for r in rows}
    on_file = {p.id_number: p for p in Person.objects.filter(id_number__in=numbers)}
    visible = set(
        policy.scope(actor, Person.objects.filter(id_number__in=numbers)).values_list(
            "id_number", flat=True
        )
    )
    in_household = set(
        HouseholdMember.objects.filter(person__id_number__in=numbers).values_list(
            "person__id_number", flat=True
        )
    )
    seen_people: dict[str, tuple[str, int]] = {}
    for number, row in plan.rows.items():
        key = str(row.get("household_key") or "").strip()
        try:
            _formula(key, "household_key")
        except ValidationError as exc:
            _collect(plan, number, exc, "household_key")
        if not key:
            plan.add(number, "household_key", _("Every row needs its household key."))
        plan.households.setdefault(key, []).append(number)
        # the household's columns: checked on each row, the first row's count
        values = _household_values(plan, number, row, villages, actor)
        first = plan.household_values.setdefault(key, values)
        if first is not values:
            for column in ("area_code", "registered_type", "category"):
                if values.get(column) not in (None, first.get(column)):
                    plan.add(
                        number,
                        column,
                        _("It differs from row %(row)d of the same household.")
                        % {"row": plan.households[key][0]},
                    )
        try:
            member = clean_member(row)
        except ValidationError as exc:
            _collect(plan, number, exc, "id_number")
            continue
        person_number = member["id_number"]
        if person_number in seen_people:
            other_key, other_row = seen_people[person_number]
            plan.add(
                number,
                "id_number",
                _("This person is also in household %(key)s (row %(row)d).")
                % {"key": other_key, "row": other_row},
            )
        else:
            seen_people[person_number] = (key, number)
        if person_number in in_household:
            plan.add(
                number, "id_number", _("This person is already a member of a household on file.")
            )
        person = on_file.get(person_number)
        if person is not None:
            if person_number not in visible:
                plan.add(
                    number, "id_number", _("This ID number is on file in an area outside yours.")
                )
            elif person.name != member["name"]:
                plan.add(
                    number,
                    "name",
                    _("The person on file with this ID number is called %(name)s.")
                    % {"name": person.name},
                )
    for key, members in plan.households.items():
        heads = [n for n in members if _is_head(plan.rows[n])]
        if len(heads) != 1:
            plan.add(
                members[0],
                "relationship",
                _("Household %(key)s has %(n)d heads; it needs exactly one.")
                % {"key": key, "n": len(heads)},
            )
    return plan


def _is_head(row: dict[str, Any]) -> bool:
    try:
        relationship = _choice(
            row.get("relationship"), HouseholdMember.Relationship, "relationship"
        )
    except ValidationError:
        return False
    return relationship == HouseholdMember.Relationship.HEAD


def _household_values(
    plan: ImportPlan,
    number: int,
    row: dict[str, Any],
    villages: dict[str, Area],
    actor: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    code = str(row.get("area_code") or "").strip()
    try:
        _formula(code, "area_code")
        area = villages.get(code)
        if area is None:
            raise ValidationError(
                {
                    "area_code": _("No village or community has the code “%(code)s”.")
                    % {"code": code}
                }
            )
        if not policy.may(actor, "household.create", area=area):
            raise ValidationError(
                {"area_code": _("The area %(code)s is not one of yours.") % {"code": code}}
            )
        values["area_code"] = code
        values["area"] = area
    except ValidationError as exc:
        _collect(plan, number, exc, "area_code")
    for column, choices, default in (
        ("registered_type", Household.RegisteredType, None),
        ("category", Household.Category, Household.Category.A),
    ):
        try:
            values[column] = _choice(row.get(column), choices, column, default)
        except ValidationError as exc:
            _collect(plan, number, exc, column)
    address = str(row.get("address") or "").strip()
    try:
        validate_no_formula(address)
    except ValidationError as exc:
        _collect(plan, number, exc, "address")
    values["address"] = address
    return values


def error_file(plan: ImportPlan, headers: list[str]) -> str:
    """CSV of the rows not imported, each with the reason, for the clerk to fix and re-import."""
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8
    writer = csv.writer(out)
    writer.writerow(["row", *headers, REASON_COLUMN])
    skipped = plan.skipped_rows()
    for number in sorted(set(plan.errors) | set(skipped)):
        row = plan.rows[number]
        if number in plan.errors:
            reason = "; ".join(
                f"{column}: {' '.join(messages)}"
                for column, messages in plan.errors[number].items()
            )
        else:
            reason = skipped[number]
        cells = ("" if row.get(h) is None else str(row.get(h)) for h in headers)
        writer.writerow([number, *map(cell_safe, cells), reason])
    return out.getvalue()
