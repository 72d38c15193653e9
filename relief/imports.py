"""The import of households with their members, on the shared staged import
(civil_affairs/imports): one row per member, rows sharing a household key are one household
and pass or fail together (a household saved without one of its members would get a wrong
dibao amount). The page is /imports/relief.households/.

Each row is checked with the same functions the intake form's service uses
(services.clean_member and the household checks), and across rows for what a single form
cannot see: a person in two households of the file, a household's rows that disagree, a
person already in a household on file, a household without exactly one head. Saving calls
services.household_create, as the intake form does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import validate_no_formula
from civil_affairs.imports import staged
from civil_affairs.people.models import Person

from . import services
from .models import Household, HouseholdMember
from .services.households import MEMBER_FIELDS, _choice, _formula, clean_member

KEY = "relief.households"
HOUSEHOLD_COLUMNS = ("household_key", "area_code", "address", "registered_type", "category")
COLUMNS = (*HOUSEHOLD_COLUMNS, *MEMBER_FIELDS)
HEAD = HouseholdMember.Relationship.HEAD
# the headers a clerk's spreadsheet may have besides the column's name and label
ALIASES = {
    "household_key": ("户编号", "户号", "家庭编号"),
    "area_code": ("区划代码", "村（社区）代码", "行政区划代码"),
    "address": ("地址", "家庭住址"),
    "registered_type": ("户籍类型", "户籍性质"),
    "category": ("分类", "分类管理类别"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码"),
    "name": ("姓名",),
    "relationship": ("与户主关系",),
    "work_capacity": ("劳动能力",),
    "health": ("健康状况",),
    "disability_certificate": ("残疾证号", "残疾人证号"),
    "income_wages": ("工资收入", "工资性收入"),
    "income_business": ("经营收入", "经营性收入"),
    "income_farming": ("农业收入",),
    "income_property": ("财产收入", "财产性收入"),
    "income_transfer": ("转移性收入",),
    "income_other": ("其他收入",),
    "vehicles": ("车辆",),
    "real_estate": ("房产",),
    "deposits": ("存款",),
}
REQUIRED = {"household_key", "area_code", "registered_type", "id_number", "name", "relationship"}
LABELS: dict[str, Any] = {
    "household_key": gettext_lazy("household key"),
    "area_code": gettext_lazy("village or community code"),
    "id_number": gettext_lazy("ID number"),
    "name": gettext_lazy("name"),
}


def _label(name: str) -> Any:
    if name in LABELS:
        return LABELS[name]
    for model in (Household, HouseholdMember):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # not a field of this model: try the next
            continue
        if isinstance(field, Field):  # a reverse relation has no verbose name
            return field.verbose_name
    return name


@staged.register
class HouseholdImport(staged.Spec):
    key = KEY
    label = gettext_lazy("Households with members")
    action = "household.import"
    group_by = "household_key"
    description = gettext_lazy(
        "One row per member; the rows sharing a household key are one household, imported "
        "together or not at all."
    )
    back_url = "relief:household_list"
    columns = tuple(
        staged.Column(name, _label(name), aliases=ALIASES.get(name, ()), required=name in REQUIRED)
        for name in COLUMNS
    )

    # ---- one row

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        villages = ctx.cache.get("villages")
        if villages is None:
            villages = {a.code: a for a in Area.objects.filter(level=Area.Level.VILLAGE)}
            ctx.cache["villages"] = villages
        key = row.get("household_key")
        try:
            _formula(key, "household_key")
        except ValidationError as exc:
            row.add(exc, "household_key")
        if not key:
            row.error("household_key", _("Every row needs its household key."))
        row.cleaned["household"] = self._household_values(row, villages, ctx.user)
        try:
            row.cleaned["member"] = clean_member(row.values)
        except ValidationError as exc:
            row.add(exc, "id_number")

    def _household_values(
        self, row: staged.Row, villages: dict[str, Area], actor: Any
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        code = row.get("area_code")
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
                raise policy.outside_error("area_code")
            values["area_code"] = code
            values["area"] = area
        except ValidationError as exc:
            row.add(exc, "area_code")
        for column, choices, default in (
            ("registered_type", Household.RegisteredType, None),
            ("category", Household.Category, Household.Category.A),
        ):
            try:
                values[column] = _choice(row.get(column), choices, column, default)
            except ValidationError as exc:
                row.add(exc, column)
        address = row.get("address")
        try:
            validate_no_formula(address)
        except ValidationError as exc:
            row.add(exc, "address")
        values["address"] = address
        return values

    # ---- across rows

    def check_rows(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        numbers = {r.cleaned["member"]["id_number"] for r in rows if "member" in r.cleaned}
        on_file = dict(
            Person.objects.filter(id_number__in=numbers).values_list("id_number", "name")
        )
        visible = set(
            policy.scope(ctx.user, Person.objects.filter(id_number__in=on_file)).values_list(
                "id_number", flat=True
            )
        )
        in_household = set(
            HouseholdMember.objects.filter(person__id_number__in=on_file).values_list(
                "person__id_number", flat=True
            )
        )
        seen: dict[str, tuple[str, int]] = {}
        for row in rows:
            member = row.cleaned.get("member")
            if member is None:
                continue
            number, key = member["id_number"], row.get("household_key")
            if number in seen:
                other_key, other_row = seen[number]
                row.error(
                    "id_number",
                    _("This person is also in household %(key)s (row %(row)d).")
                    % {"key": other_key, "row": other_row},
                )
            else:
                seen[number] = (key, row.number)
            if number not in on_file:
                continue
            if number not in visible:
                # say no more: not whether the number is on file, nor where
                row.add(policy.outside_error("id_number"))
            elif number in in_household:
                row.error("id_number", _("This person is already a member of a household on file."))
            elif on_file[number] != member["name"]:
                row.error(
                    "name",
                    _("The person on file with this ID number is called %(name)s.")
                    % {"name": on_file[number]},
                )
        for key, members in staged.group_rows(self, rows).items():
            first = members[0]
            for row in members[1:]:
                for column in ("area_code", "registered_type", "category"):
                    mine = row.cleaned["household"].get(column)
                    if mine is not None and mine != first.cleaned["household"].get(column):
                        row.error(
                            column,
                            _("It differs from row %(row)d of the same household.")
                            % {"row": first.number},
                        )
            heads = [r for r in members if _is_head(r)]
            if len(heads) != 1:
                first.error(
                    "relationship",
                    _("Household %(key)s has %(n)d heads; it needs exactly one.")
                    % {"key": key, "n": len(heads)},
                )

    # ---- saving: the intake form's service, one household at a time

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for _key, members in ctx.groups(rows):
            values = members[0].cleaned["household"]
            services.household_create(
                actor=ctx.user,
                area=values["area"],
                registered_type=values["registered_type"],
                category=values["category"],
                address=values["address"],
                members=[dict(m.values) for m in members],
            )


def _is_head(row: staged.Row) -> bool:
    try:
        relationship = _choice(row.get("relationship"), HouseholdMember.Relationship, "x")
    except ValidationError:
        return False
    return relationship == HEAD
