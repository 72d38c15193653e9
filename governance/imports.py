"""The import of committee members on the shared staged import (civil_affairs/imports): one
row per member of a village's current committee, checked with the same function the member
form's service uses (services.member_build: name, sex or the ID number's, post, one chair),
saved with services.member_add. The page is /imports/governance.members/."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.imports import staged

from . import services
from .models import Committee, Member, Sex

KEY = "governance.members"


def _lookup(choices: Any, text: str) -> str | None:
    """A choice by its value or its label in either language (主任, chair…)."""
    from django.utils import translation

    wanted = text.strip().casefold()
    for value, label in choices:
        names = {str(value).casefold()}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(label).casefold())
        if wanted in names:
            return str(value)
    return None


SEXES = {"男": Sex.MALE, "女": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}


@staged.register
class MemberImport(staged.Spec):
    key = KEY
    label = gettext_lazy("Committee members")
    action = "committee.import"
    back_url = "governance:committee_list"
    description = gettext_lazy(
        "One row per member of a village's or community's current committee (record the "
        "election first). Committee and post by name: 村民委员会, 主任, 委员…"
    )
    columns = (
        staged.Column(
            "area_code",
            gettext_lazy("Village or community code"),
            aliases=("区划代码", "村（社区）代码"),
            required=True,
        ),
        staged.Column("committee", gettext_lazy("Committee"), aliases=("委员会",), required=True),
        staged.Column("name", gettext_lazy("Name"), aliases=("姓名",), required=True),
        staged.Column("sex", gettext_lazy("Sex"), aliases=("性别",)),
        staged.Column("post", gettext_lazy("Post"), aliases=("职务",), required=True),
        staged.Column("id_number", gettext_lazy("ID number"), aliases=("身份证号", "身份证号码")),
        staged.Column("elected_on", gettext_lazy("Elected on"), aliases=("当选日期",)),
    )

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        values = row.values
        area = Area.objects.filter(code=values.get("area_code", "").strip()).first()
        if area is None:
            row.error("area_code", _("No area has this code."))
        kind = _lookup(Committee.Kind.choices, values.get("committee", ""))
        if kind is None:
            row.error("committee", _("Choose the committee."))
        post = _lookup(Member.Post.choices, values.get("post", ""))
        if post is None:
            row.error("post", _("Choose the post."))
        sex_text = values.get("sex", "").strip()
        sex = SEXES.get(sex_text.casefold(), sex_text.upper())
        elected_on = None
        if values.get("elected_on", "").strip():
            try:
                elected_on = datetime.date.fromisoformat(values["elected_on"].strip()[:10])
            except ValueError:
                row.error("elected_on", _("Give a date as YYYY-MM-DD."))
        outside = area is not None and area.pk not in policy.area_ids(ctx.user)
        if outside and not policy.is_unrestricted(ctx.user):
            row.error("area_code", _("Not in your areas."))
        if not row.ok or area is None:
            return
        committee = Committee.objects.filter(
            area=area, kind=kind, dissolved_on__isnull=True
        ).first()
        if committee is None:
            row.error(
                "committee",
                _("This village has no such committee in office: record its election first."),
            )
            return
        fields: dict[str, Any] = {
            "name": values.get("name", ""),
            "sex": sex,
            "post": post,
            "id_number": values.get("id_number", ""),
            "elected_on": elected_on,
        }
        try:
            member = services.member_build(actor=ctx.user, committee=committee, **fields)
        except ValidationError as exc:
            row.add(exc, "name")
            return
        except Http404:
            row.error("area_code", _("Not in your areas."))
            return
        except Exception:  # a role that may not manage committees here
            row.error("area_code", _("You may not manage committees in this area."))
            return
        fields["sex"] = member.sex
        row.cleaned = {"committee": committee, **fields}

    def check_rows(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        chairs: dict[int, int] = {}
        for row in rows:
            committee = row.cleaned.get("committee")
            if committee is None or row.cleaned.get("post") != Member.Post.CHAIR:
                continue
            if committee.pk in chairs:
                row.error(
                    "post",
                    _("The committee's chair is on row %(row)d already.")
                    % {"row": chairs[committee.pk]},
                )
            else:
                chairs[committee.pk] = row.number

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for row in ctx.each(rows):
            services.member_add(actor=ctx.user, **row.cleaned)
