"""The import of social organisations on the shared staged import (civil_affairs/imports):
one row per organisation, checked with the same function the registration form's service
uses (services.organisation_build: the credit code's check character and type digit, the
supervising unit or direct registration…), saved with services.organisation_register. The
page is /imports/social_orgs.organisations/."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas.models import Area
from civil_affairs.imports import staged

from . import services
from .models import Organisation, OrgType

KEY = "social_orgs.organisations"
TYPES = {
    "1": OrgType.SOCIAL_GROUP,
    "社会团体": OrgType.SOCIAL_GROUP,
    "social group": OrgType.SOCIAL_GROUP,
    "2": OrgType.SERVICE_AGENCY,
    "社会服务机构": OrgType.SERVICE_AGENCY,
    "民办非企业单位": OrgType.SERVICE_AGENCY,
    "social service agency": OrgType.SERVICE_AGENCY,
    "3": OrgType.FOUNDATION,
    "基金会": OrgType.FOUNDATION,
    "foundation": OrgType.FOUNDATION,
}
YES = {"是", "yes", "y", "1", "true", "直接登记"}
NO = {"否", "no", "n", "0", "false", ""}


def parse_date(text: str, column: str, row: staged.Row) -> datetime.date | None:
    value = text.strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        row.error(column, _("Give a date as YYYY-MM-DD."))
        return None


def _area(code: str, ctx: staged.Context) -> Area | None:
    areas = ctx.cache.setdefault("areas", {})
    if code not in areas:
        areas[code] = Area.objects.filter(code=code).first()
    return areas[code]  # type: ignore[no-any-return]


@staged.register
class OrganisationImport(staged.Spec):
    key = KEY
    label = gettext_lazy("Social organisations")
    action = "organisation.import"
    back_url = "social_orgs:organisation_list"
    description = gettext_lazy(
        "One row per registered organisation. Type: 1 social group, 2 social service agency, "
        "3 foundation (or the name). Direct registration: 是 or 否."
    )
    columns = (
        staged.Column(
            "credit_code",
            gettext_lazy("Unified social credit code"),
            aliases=("统一社会信用代码", "信用代码"),
            required=True,
        ),
        staged.Column("name", gettext_lazy("Name"), aliases=("名称", "组织名称"), required=True),
        staged.Column(
            "org_type", gettext_lazy("Type"), aliases=("类型", "组织类型"), required=True
        ),
        staged.Column(
            "legal_representative",
            gettext_lazy("Legal representative"),
            aliases=("法定代表人",),
            required=True,
        ),
        staged.Column(
            "registered_on",
            gettext_lazy("Registered on"),
            aliases=("登记日期", "成立日期"),
            required=True,
        ),
        staged.Column(
            "area_code", gettext_lazy("Area code"), aliases=("区划代码", "登记机关区划代码")
        ),
        staged.Column(
            "supervising_unit", gettext_lazy("Supervising unit"), aliases=("业务主管单位",)
        ),
        staged.Column(
            "direct_registration", gettext_lazy("Direct registration"), aliases=("直接登记",)
        ),
        staged.Column(
            "funds", gettext_lazy("Registered funds (yuan)"), aliases=("注册资金", "开办资金")
        ),
        staged.Column("members", gettext_lazy("Members"), aliases=("会员数",)),
        staged.Column("address", gettext_lazy("Address"), aliases=("住所",)),
    )

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        values = row.values
        org_type = TYPES.get(values.get("org_type", "").strip().casefold())
        if org_type is None:
            row.error("org_type", _("Choose the type: 1, 2 or 3."))
        direct = values.get("direct_registration", "").strip().casefold()
        if direct not in YES | NO:
            row.error("direct_registration", _("Write 是 or 否."))
        code = values.get("area_code", "").strip()
        area = _area(code, ctx) if code else Area.objects.filter(level=Area.Level.COUNTY).first()
        if area is None:
            row.error("area_code", _("No area has this code."))
        registered_on = parse_date(values.get("registered_on", ""), "registered_on", row)
        members = values.get("members", "").strip() or "0"
        if not members.isdigit():
            row.error("members", _("Give a whole number."))
        if not row.ok or area is None or registered_on is None or org_type is None:
            return
        fields: dict[str, Any] = {
            "area": area,
            "name": values.get("name", ""),
            "credit_code": values.get("credit_code", ""),
            "org_type": org_type,
            "legal_representative": values.get("legal_representative", ""),
            "registered_on": registered_on,
            "supervising_unit": values.get("supervising_unit", ""),
            "direct_registration": direct in YES,
            "funds": values.get("funds", "") or "0",
            "members": int(members),
            "address": values.get("address", ""),
        }
        try:
            organisation = services.organisation_build(actor=ctx.user, **fields)
        except ValidationError as exc:
            row.add(exc, "credit_code")
            return
        except Exception:  # an area outside the user's (Http404) or a role that may not
            row.error("area_code", _("You may not register organisations in this area."))
            return
        fields["credit_code"] = organisation.credit_code
        row.cleaned = fields

    def check_rows(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            code = row.cleaned.get("credit_code") or row.values.get("credit_code", "").upper()
            if not code:
                continue
            if code in seen:
                row.error(
                    "credit_code",
                    _("The same credit code is on row %(row)d.") % {"row": seen[code]},
                )
            else:
                seen[code] = row.number

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for row in ctx.each(rows):
            services.organisation_register(
                actor=ctx.user, registration=Organisation.Registration.REGISTERED, **row.cleaned
            )
