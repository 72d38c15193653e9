"""The children's registry import on the staged import (civil_affairs/imports): one row per
child, checked with the same cleaning functions as the registration form's service and saved
through that service (services.child_register)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import clean_id_number, id_facts
from civil_affairs.imports import staged

from . import services
from .models import Category, Child, ParentSituation
from .services.registry import check_age, clean_guardians, clean_parents

KEY = "children.registry"
YES = {"1", "是", "在校", "yes", "y", "true", "√", "✓"}
NO = {"", "0", "否", "不在校", "离校", "no", "n", "false"}
# the words clerks' files use for the categories and the parents' situations (besides the
# codes and the labels in either language)
CATEGORY_WORDS = {
    "孤儿（集中养育）": Category.ORPHAN_INSTITUTIONAL,
    "集中供养孤儿": Category.ORPHAN_INSTITUTIONAL,
    "散居孤儿": Category.ORPHAN_SCATTERED,
    "孤儿（社会散居）": Category.ORPHAN_SCATTERED,
    "事实无人抚养": Category.UNSUPPORTED,
    "留守儿童": Category.LEFT_BEHIND,
}
SITUATION_WORDS = {
    "服刑": "prison",
    "服刑在押": "prison",
    "强制戒毒": "compulsory_rehab",
    "强制隔离戒毒": "compulsory_rehab",
    "重度残疾": "severe_disability",
    "重残": "severe_disability",
    "重病": "serious_illness",
    "死亡": "dead",
    "失踪": "missing",
    "失联": "missing",
    "撤销监护资格": "guardianship_revoked",
    "被撤销监护资格": "guardianship_revoked",
}


def _choice(text: str, choices: Any, words: dict[str, Any]) -> str | None:
    """A choice from its code, its label in either language, or a word clerks use."""
    from django.utils import translation

    text = text.strip()
    if text in choices.values:
        return text
    if text in words:
        return str(words[text])
    for value, label in choices.choices:
        for language in ("zh-hans", "en"):
            with translation.override(language):
                if str(label) == text:
                    return str(value)
    return None


def _date(text: str) -> datetime.date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


@staged.register
class ChildrenImport(staged.Spec):
    key = KEY
    label = gettext_lazy("Children's registry")
    action = "child.import"
    back_url = "children:child_list"
    description = gettext_lazy(
        "One row per child. A de-facto unsupported child needs both parents' situations with "
        "their evidence; the category and situations may be given as codes or as the words "
        "on the registration form."
    )
    columns = (
        staged.Column(
            "id_number",
            gettext_lazy("ID number"),
            aliases=("身份证号", "公民身份号码"),
            required=True,
        ),
        staged.Column("name", gettext_lazy("name"), aliases=("姓名", "儿童姓名"), required=True),
        staged.Column(
            "area_code",
            gettext_lazy("village or community code"),
            aliases=("村（社区）代码", "区划代码", "村社区代码"),
            required=True,
        ),
        staged.Column(
            "category", gettext_lazy("category"), aliases=("类别", "儿童类别"), required=True
        ),
        staged.Column(
            "registered_on", gettext_lazy("registered on"), aliases=("登记日期",), required=True
        ),
        staged.Column("school", gettext_lazy("school"), aliases=("学校", "就读学校")),
        staged.Column(
            "in_full_time_education",
            gettext_lazy("in full-time education"),
            aliases=("是否在校", "全日制在校"),
        ),
        staged.Column(
            "father_situation", gettext_lazy("father's situation"), aliases=("父亲情况",)
        ),
        staged.Column(
            "father_evidence", gettext_lazy("father's evidence"), aliases=("父亲佐证材料",)
        ),
        staged.Column(
            "mother_situation", gettext_lazy("mother's situation"), aliases=("母亲情况",)
        ),
        staged.Column(
            "mother_evidence", gettext_lazy("mother's evidence"), aliases=("母亲佐证材料",)
        ),
        staged.Column(
            "guardian_name", gettext_lazy("guardian's name"), aliases=("监护人姓名", "监护人")
        ),
        staged.Column(
            "guardian_relationship",
            gettext_lazy("guardian's relationship"),
            aliases=("监护人关系",),
        ),
        staged.Column("guardian_phone", gettext_lazy("guardian's phone"), aliases=("监护人电话",)),
        staged.Column(
            "guardian_entrusted", gettext_lazy("entrusted guardian"), aliases=("是否委托监护",)
        ),
    )

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        villages = ctx.cache.setdefault(
            "villages", {a.code: a for a in Area.objects.filter(level=Area.Level.VILLAGE)}
        )
        data: dict[str, Any] = {"name": row.get("name")}
        try:
            data["id_number"] = clean_id_number(row.get("id_number"))
        except ValidationError as exc:
            row.add(exc, "id_number")
        if not data["name"]:
            row.error("name", _("This field is required."))
        area = villages.get(row.get("area_code"))
        if area is None:
            row.error("area_code", _("No village or community has this code."))
        elif not policy.may(ctx.user, "child.register", area=area):
            row.add(policy.outside_error("area_code"))
        else:
            data["area"] = area
        category = _choice(row.get("category"), Category, CATEGORY_WORDS)
        if category is None:
            row.error("category", _("Choose the category."))
        data["category"] = category
        registered_on = _date(row.get("registered_on"))
        if registered_on is None:
            row.error("registered_on", _("Enter a date (YYYY-MM-DD)."))
        elif registered_on > timezone.localdate():
            row.error("registered_on", _("This date cannot be in the future."))
        data["registered_on"] = registered_on
        data["school"] = row.get("school")
        data["in_full_time_education"] = self._yes(row, "in_full_time_education")
        parents = []
        for parent in ("father", "mother"):
            text = row.get(f"{parent}_situation")
            if not text:
                continue
            situation = _choice(text, ParentSituation.Situation, SITUATION_WORDS)
            if situation is None:
                row.error(f"{parent}_situation", _("Choose the parent's situation."))
                continue
            parents.append(
                {
                    "parent": parent,
                    "situation": situation,
                    "evidence": row.get(f"{parent}_evidence"),
                }
            )
        guardians = []
        if row.get("guardian_name"):
            guardians.append(
                {
                    "name": row.get("guardian_name"),
                    "relationship": row.get("guardian_relationship"),
                    "phone": row.get("guardian_phone"),
                    "entrusted": self._yes(row, "guardian_entrusted"),
                }
            )
        if row.errors:
            return
        # the service's own cleaning functions: the same messages as the form
        try:
            data["parents"] = clean_parents(category or "", parents)
        except ValidationError as exc:
            mother = str(ParentSituation.Parent.MOTHER.label).lower()
            for message in exc.messages:  # under the column the message is about
                column = "mother_situation" if mother in message.lower() else "father_situation"
                row.error(column, message)
        try:
            data["guardians"] = clean_guardians(guardians)
        except ValidationError as exc:
            for message in exc.messages:
                row.error("guardian_name", message)
        number = data["id_number"]
        if Child.objects.filter(person__id_number=number).exists():
            row.error("id_number", _("This child is already on the registry."))
        try:
            check_age(
                category=category or "",
                birth_date=id_facts(number).birth_date,
                area=data["area"],
                on=registered_on,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            row.add(exc, "id_number")
        row.cleaned.update(data)

    def _yes(self, row: staged.Row, column: str) -> bool:
        text = row.get(column).strip().lower()
        if text in YES:
            return True
        if text not in NO:
            row.error(column, _("Write 是 or 否."))
        return False

    def check_rows(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        first: dict[str, int] = {}
        for row in rows:
            number = row.cleaned.get("id_number")
            if not number:
                continue
            if number in first:
                row.error(
                    "id_number",
                    _("The same ID number is on row %(n)d.") % {"n": first[number]},
                )
            else:
                first[number] = row.number

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for row in ctx.each(rows):
            try:
                services.child_register(actor=ctx.user, **row.cleaned)
            except ValidationError as exc:
                raise ValidationError(
                    _("Row %(n)d: %(errors)s")
                    % {"n": row.number, "errors": "; ".join(exc.messages)}
                ) from exc
