"""What each kind of check is: the lists other departments send, and the checks without files.

A list kind names the fields a row of it carries (the ID number always), which of them must
be filled in, what each means for that kind (the date of a death, the value of a vehicle) and
the column heading the department usually gives it: the default of the saved column mapping.
Rules (which programs a hit affects, what to do) are data: see models.MatchRule.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # lists from other departments
    DEATH = "death", _("Deaths and cremations")
    HOUSEHOLD_MOVE = "household_move", _("Household registration moves")
    VEHICLE = "vehicle", _("Vehicles")
    REAL_ESTATE = "real_estate", _("Real estate")
    COMPANY = "company", _("Company registrations")
    PUBLIC_PAYROLL = "public_payroll", _("Public-payroll staff")
    PENSION = "pension", _("Pensions")
    OTHER_COUNTY = "other_county", _("Same-program beneficiaries of other counties")
    # checks without files
    DUPLICATE_HOUSEHOLD = "duplicate_household", _("One person in two households")
    DUPLICATE_BENEFIT = "duplicate_benefit", _("One person paid twice")
    AGE = "age", _("Age event")


LIST_KINDS = [
    Kind.DEATH,
    Kind.HOUSEHOLD_MOVE,
    Kind.VEHICLE,
    Kind.REAL_ESTATE,
    Kind.COMPANY,
    Kind.PUBLIC_PAYROLL,
    Kind.PENSION,
    Kind.OTHER_COUNTY,
]
# the kinds of list as a choice set (the API's fields and its schema's ListKindEnum)
LIST_KIND_CHOICES = [(kind.value, kind.label) for kind in LIST_KINDS]


class FieldType(models.TextChoices):
    ID = "id", _("ID number")
    TEXT = "text", _("text")
    DATE = "date", _("date")
    MONEY = "money", _("amount")


@dataclass(frozen=True)
class Field:
    name: str  # the ListRow column it fills
    type: str
    label: Promise
    heading: str  # the usual column heading in the department's file (default mapping)
    required: bool = False


def _id() -> Field:
    return Field("id_number", FieldType.ID, _("ID number"), "身份证号码", required=True)


def _name() -> Field:
    return Field("name", FieldType.TEXT, _("name"), "姓名")


# The fields of a row, per list kind. `event_date`, `value` and `detail` mean what the label
# says for that kind; the ID number is always required.
FIELDS: dict[str, list[Field]] = {
    Kind.DEATH: [
        _id(),
        _name(),
        Field("event_date", FieldType.DATE, _("date of death"), "死亡日期", required=True),
        Field("detail", FieldType.TEXT, _("source record"), "备注"),
    ],
    Kind.HOUSEHOLD_MOVE: [
        _id(),
        _name(),
        Field("event_date", FieldType.DATE, _("date of the move"), "迁出日期", required=True),
        Field("detail", FieldType.TEXT, _("moved to"), "迁往地址", required=True),
    ],
    Kind.VEHICLE: [
        _id(),
        _name(),
        Field("value", FieldType.MONEY, _("vehicle value"), "车辆价值", required=True),
        Field("detail", FieldType.TEXT, _("plate number"), "号牌号码"),
        Field("event_date", FieldType.DATE, _("registration date"), "登记日期"),
    ],
    Kind.REAL_ESTATE: [
        _id(),
        _name(),
        Field("value", FieldType.MONEY, _("assessed value"), "评估价值", required=True),
        Field("detail", FieldType.TEXT, _("property address"), "不动产坐落"),
        Field("event_date", FieldType.DATE, _("registration date"), "登记日期"),
    ],
    Kind.COMPANY: [
        _id(),
        _name(),
        Field("detail", FieldType.TEXT, _("company name"), "企业名称", required=True),
        Field("value", FieldType.MONEY, _("registered capital"), "注册资本"),
        Field("event_date", FieldType.DATE, _("registration date"), "成立日期"),
    ],
    Kind.PUBLIC_PAYROLL: [
        _id(),
        _name(),
        Field("detail", FieldType.TEXT, _("employer"), "工作单位", required=True),
        Field("value", FieldType.MONEY, _("monthly salary"), "月工资"),
        Field("event_date", FieldType.DATE, _("employed since"), "入职日期"),
    ],
    Kind.PENSION: [
        _id(),
        _name(),
        Field("value", FieldType.MONEY, _("monthly pension"), "月养老金", required=True),
        Field("detail", FieldType.TEXT, _("pension scheme"), "险种"),
        Field("event_date", FieldType.DATE, _("paid since"), "领取起始日期"),
    ],
    Kind.OTHER_COUNTY: [
        _id(),
        _name(),
        Field("detail", FieldType.TEXT, _("county and program"), "享受地及项目", required=True),
        Field("event_date", FieldType.DATE, _("paid since"), "享受起始日期"),
        Field("value", FieldType.MONEY, _("monthly amount"), "月发放金额"),
    ],
}


def fields_of(kind: str) -> list[Field]:
    return FIELDS[kind]


def default_mapping(kind: str) -> dict[str, str]:
    return {field.name: field.heading for field in FIELDS[kind]}


def field_label(kind: str, name: str) -> Promise | str:
    for field in FIELDS.get(kind, []):
        if field.name == name:
            return field.label
    return name
