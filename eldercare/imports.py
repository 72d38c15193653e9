"""Elder care's imports on the shared staged import (civil_affairs/imports):

- `eldercare.institutions` — institutions with their residents: one row per resident, the
  institution's columns repeated on each of its rows (a row without an ID number files the
  institution alone); rows sharing a credit code pass or fail together. An institution on
  file (in the user's areas) gets the residents added. Saved through `institution_create`
  and `resident_admit`, the services of the pages.
- `eldercare.care_workers` — care workers of institutions (by credit code) or centres (by
  name), through `careworker_create`.

Cells are checked with the same cleaning as the services, so the dry run names the same
problems as the forms, by row number and column.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import clean_credit_code, clean_id_number, clean_text
from civil_affairs.imports import staged
from civil_affairs.people.models import Person

from . import services
from .models import AbilityLevel, CareWorker, HomeCareCentre, Institution, Resident
from .services.institutions import clean_institution

YES = {"是", "有", "已接种", "y", "yes", "true", "1", "√"}
NO = {"", "否", "无", "未接种", "n", "no", "false", "0"}


def _date(row: staged.Row, column: str, *, required: bool = False) -> datetime.date | None:
    text = row.get(column).replace("/", "-").replace(".", "-").split(" ")[0]
    if not text:
        if required:
            row.error(column, _("This field is required."))
        return None
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        row.error(column, _("Give a date as YYYY-MM-DD."))
        return None


def _int(row: staged.Row, column: str, *, required: bool = False) -> int | None:
    text = row.get(column)
    if not text:
        if required:
            row.error(column, _("This field is required."))
        return None
    try:
        value = int(text)
    except ValueError:
        row.error(column, _("Give a whole number."))
        return None
    if value < 0:
        row.error(column, _("Give a whole number."))
        return None
    return value


def _choice(row: staged.Row, column: str, choices: Any) -> Any:
    """A choice by its code or its label in either language ('' -> None)."""
    text = row.get(column).strip()
    if not text:
        return None
    wanted = text.casefold()
    for code, label in choices:
        if str(code).casefold() == wanted:
            return code
        for language in ("zh-hans", "en"):
            with translation.override(language):
                shown = str(label).casefold()
            # "Public (公办)": the Chinese term in brackets names it too
            inner = shown.rpartition("(")[2].rstrip(")") if "(" in shown else ""
            if wanted in (shown, inner):
                return code
    row.error(
        column,
        _("One of: %(choices)s.") % {"choices": ", ".join(str(label) for _c, label in choices)},
    )
    return None


def _bool(row: staged.Row, column: str) -> bool:
    text = row.get(column).strip().casefold()
    if text in YES:
        return True
    if text not in NO:
        row.error(column, _("Write 是 or 否."))
    return False


def _areas(ctx: staged.Context) -> dict[str, Area]:
    areas = ctx.cache.get("areas")
    if areas is None:
        areas = {a.code: a for a in Area.objects.all()}
        ctx.cache["areas"] = areas
    return areas


def _area(row: staged.Row, ctx: staged.Context, action: str) -> Area | None:
    code = row.get("area_code")
    area = _areas(ctx).get(code)
    if area is None:
        row.error("area_code", _("No area has the code “%(code)s”.") % {"code": code})
        return None
    try:
        policy.require_area_choice(ctx.user, action, area, field="area_code")
    except ValidationError as exc:
        row.add(exc, "area_code")
        return None
    return area


def _person_check(row: staged.Row, ctx: staged.Context, number: str) -> None:
    """A person on file must be in the user's areas and have the name given."""
    person = Person.objects.filter(id_number=number).first()
    if person is None:
        return
    if not policy.scope(ctx.user, Person.objects.filter(pk=person.pk)).exists():
        row.add(policy.outside_error("id_number"))
    elif person.name != row.get("name"):
        row.error(
            "name",
            _("The person on file with this ID number is called %(name)s.") % {"name": person.name},
        )


ID_ALIASES = ("身份证号", "身份证号码", "公民身份号码")
CODE_ALIASES = ("信用代码", "统一社会信用代码", "机构信用代码")


def _col(name: str, label: Any, aliases: tuple[str, ...], required: bool = False) -> Any:
    return staged.Column(name, label, aliases=aliases, required=required)


@staged.register
class InstitutionImport(staged.Spec):
    key = "eldercare.institutions"
    label = gettext_lazy("Care institutions with residents")
    action = "institution.import"
    group_by = "credit_code"
    back_url = "eldercare:institution_list"
    description = gettext_lazy(
        "One row per resident; the institution's columns are repeated on each of its rows "
        "(a row without an ID number files the institution alone). Rows with the same credit "
        "code are one institution: they are imported together or not at all."
    )
    columns = (
        _col(
            "credit_code", gettext_lazy("unified social credit code"), CODE_ALIASES, required=True
        ),
        _col(
            "institution",
            gettext_lazy("institution"),
            ("机构名称", "养老机构", "机构"),
            required=True,
        ),
        _col("nature", gettext_lazy("nature"), ("性质", "机构性质"), required=True),
        _col(
            "area_code",
            gettext_lazy("area code"),
            ("区划代码", "行政区划代码", "所在区域代码"),
            required=True,
        ),
        _col("beds", gettext_lazy("beds"), ("床位", "床位数"), required=True),
        _col(
            "nursing_beds", gettext_lazy("nursing beds"), ("护理床位", "护理型床位", "护理型床位数")
        ),
        _col("filing_date", gettext_lazy("filing date"), ("备案时间", "备案日期")),
        _col("filing_number", gettext_lazy("filing number"), ("备案编号", "备案号")),
        _col("operator", gettext_lazy("operator"), ("运营单位", "运营方")),
        _col("id_number", gettext_lazy("ID number"), ID_ALIASES),
        _col("name", gettext_lazy("name of the resident"), ("姓名", "住养人员姓名", "老人姓名")),
        _col("admitted_on", gettext_lazy("admitted on"), ("入住时间", "入住日期")),
        _col("ability_level", gettext_lazy("ability level"), ("能力评估等级", "能力等级")),
        _col("assessed_on", gettext_lazy("assessed on"), ("评估时间", "评估日期")),
        _col("vaccinated", gettext_lazy("vaccinated"), ("是否接种疫苗", "是否接种", "疫苗接种")),
        _col("vaccinated_on", gettext_lazy("vaccinated on"), ("接种时间", "接种日期")),
    )

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        raw = {
            "credit_code": row.get("credit_code"),
            "name": row.get("institution"),
            "filing_number": row.get("filing_number"),
            "operator": row.get("operator"),
        }
        for field, column in (
            ("credit_code", "credit_code"),
            ("name", "institution"),
            ("filing_number", "filing_number"),
            ("operator", "operator"),
        ):
            try:
                raw[field] = clean_institution({field: raw[field]})[field]
            except ValidationError as exc:
                row.add(exc, column)
        nature = _choice(row, "nature", Institution.Nature.choices)
        if nature is None and not row.errors.get("nature"):
            row.error("nature", _("This field is required."))
        beds = _int(row, "beds", required=True)
        nursing = _int(row, "nursing_beds") or 0
        if beds is not None and nursing > beds:
            row.error("nursing_beds", _("Nursing beds are part of the beds: at most the beds."))
        row.cleaned["institution"] = {
            **raw,
            "nature": nature,
            "beds": beds,
            "nursing_beds": nursing,
            "filing_date": _date(row, "filing_date"),
            "area": _area(row, ctx, "institution.import"),
        }
        number = row.get("id_number")
        if not number:
            for column in ("name", "admitted_on"):
                if row.get(column):
                    row.error("id_number", _("A resident's row needs the ID number."))
            return
        try:
            number = clean_id_number(number)
        except ValidationError as exc:
            row.add(exc, "id_number")
            return
        try:
            name = clean_text(row.get("name"), "name", required=True, max_length=50)
        except ValidationError as exc:
            row.add(exc)
            return
        level = _choice(row, "ability_level", AbilityLevel.choices)
        row.cleaned["resident"] = {
            "id_number": number,
            "name": name,
            "admitted_on": _date(row, "admitted_on", required=True),
            "ability_level": level,
            "assessed_on": _date(row, "assessed_on", required=level is not None),
            "vaccinated": _bool(row, "vaccinated"),
            "vaccinated_on": _date(row, "vaccinated_on"),
        }
        _person_check(row, ctx, number)

    def check_rows(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        first: dict[str, staged.Row] = {}
        codes = {
            r.cleaned["institution"]["credit_code"] for r in rows if "institution" in r.cleaned
        }
        on_file = {i.credit_code: i for i in Institution.objects.filter(credit_code__in=codes)}
        visible = set(
            policy.scope(ctx.user, Institution.objects.filter(credit_code__in=on_file)).values_list(
                "credit_code", flat=True
            )
        )
        numbers = {r.cleaned["resident"]["id_number"] for r in rows if "resident" in r.cleaned}
        living = dict(
            Resident.objects.filter(
                person__id_number__in=numbers, discharged_on__isnull=True
            ).values_list("person__id_number", "institution__name")
        )
        seen: dict[str, int] = {}
        for row in rows:
            values = row.cleaned.get("institution", {})
            code = values.get("credit_code", "")
            if code in on_file and code not in visible:
                row.add(policy.outside_error("credit_code"))
            elif code in on_file and on_file[code].name != values.get("name"):
                row.error(
                    "institution",
                    _("The institution on file with this credit code is called %(name)s.")
                    % {"name": on_file[code].name},
                )
            lead = first.setdefault(code, row)
            if lead is not row and lead.get("institution") != row.get("institution"):
                row.error(
                    "institution",
                    _("Row %(row)d names this credit code's institution differently.")
                    % {"row": lead.number},
                )
            resident = row.cleaned.get("resident")
            if resident is None:
                continue
            number = resident["id_number"]
            if number in seen:
                row.error(
                    "id_number",
                    _("The same person is on row %(row)d.") % {"row": seen[number]},
                )
            else:
                seen[number] = row.number
            if number in living:
                row.error(
                    "id_number",
                    _("This person already lives in %(where)s.") % {"where": living[number]},
                )

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for code, members in ctx.groups(rows):
            values = dict(members[0].cleaned["institution"])
            institution = Institution.objects.filter(credit_code=code).first()
            if institution is None:
                area = values.pop("area")
                institution = services.institution_create(actor=ctx.user, area=area, **values)
            for row in members:
                resident = row.cleaned.get("resident")
                if resident is not None:
                    services.resident_admit(actor=ctx.user, institution=institution, **resident)


@staged.register
class CareWorkerImport(staged.Spec):
    key = "eldercare.care_workers"
    label = gettext_lazy("Care workers")
    action = "careworker.manage"
    back_url = "eldercare:careworker_list"
    description = gettext_lazy(
        "One row per care worker: the employer is an institution (its credit code) or a "
        "home-care centre (its name)."
    )
    columns = (
        _col("credit_code", gettext_lazy("unified social credit code"), CODE_ALIASES),
        _col("centre", gettext_lazy("home-care centre"), ("服务中心", "居家养老服务中心")),
        _col("id_number", gettext_lazy("ID number"), ID_ALIASES, required=True),
        _col("name", gettext_lazy("name"), ("姓名",), required=True),
        _col(
            "employed_from", gettext_lazy("employed from"), ("入职时间", "入职日期"), required=True
        ),
        _col("skill_level", gettext_lazy("skill level"), ("技能等级", "等级")),
        _col("certificate_number", gettext_lazy("certificate number"), ("证书号", "证书编号")),
        _col("certified_on", gettext_lazy("certified on"), ("发证时间", "发证日期")),
    )

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        employer: dict[str, Any] = {"institution": None, "centre": None}
        code, centre_name = row.get("credit_code"), row.get("centre")
        if code:
            try:
                code = clean_credit_code(code)
            except ValidationError as exc:
                row.add(exc, "credit_code")
            found = policy.scope(
                ctx.user, Institution.objects.filter(credit_code=code), "careworker.manage"
            ).first()
            if found is None and not row.errors:
                row.error("credit_code", _("No institution in your areas has this credit code."))
            employer["institution"] = found
        elif centre_name:
            found_centre = policy.scope(
                ctx.user, HomeCareCentre.objects.filter(name=centre_name), "careworker.manage"
            ).first()
            if found_centre is None:
                row.error("centre", _("No home-care centre in your areas has this name."))
            employer["centre"] = found_centre
        else:
            row.error("credit_code", _("Give the institution's credit code or the centre's name."))
        try:
            number = clean_id_number(row.get("id_number"))
        except ValidationError as exc:
            row.add(exc, "id_number")
            number = ""
        level = _int(row, "skill_level")
        if level is not None and level not in CareWorker.SkillLevel.values:
            row.error("skill_level", _("A skill level is 1 to 5."))
        certificate = row.get("certificate_number")
        certified_on = _date(row, "certified_on", required=bool(certificate))
        row.cleaned = {
            **employer,
            "id_number": number,
            "name": row.get("name"),
            "employed_from": _date(row, "employed_from", required=True),
            "skill_level": level,
            "certificate_number": certificate,
            "certified_on": certified_on,
        }
        if number:
            _person_check(row, ctx, number)

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for row in ctx.each(rows):
            services.careworker_create(actor=ctx.user, **row.cleaned)
