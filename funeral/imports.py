"""The place-name registry's import on the shared staged import (civil_affairs/imports): every
row checked by the same function the form's service uses (services.place_name_check), bad
rows reported by their spreadsheet row number, saved through services.place_name_create."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.imports import staged

from . import services
from .models import PlaceName

KEY = "funeral.place_names"


def _kinds() -> dict[str, str]:
    """A kind as its value or its label in either language (类别 is typed in words)."""
    found: dict[str, str] = {}
    for value, label in PlaceName.Kind.choices:
        found[value.casefold()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                found[str(label).casefold()] = value
    return found


@staged.register
class PlaceNameImport(staged.Spec):
    key = KEY
    label = gettext_lazy("Place names")
    action = "placename.import"
    description = gettext_lazy(
        "One row per standard name: the division code of its area (county, township or "
        "village), the name, its Hanyu Pinyin, the kind (as on the place-name page), and the "
        "coordinates in decimal degrees if known."
    )
    columns = (
        staged.Column(
            "area_code",
            gettext_lazy("division code"),
            aliases=("区划代码", "行政区划代码", "所属区划代码"),
            required=True,
        ),
        staged.Column(
            "name", gettext_lazy("name"), aliases=("标准名称", "地名", "名称"), required=True
        ),
        staged.Column(
            "pinyin", gettext_lazy("pinyin"), aliases=("汉语拼音", "罗马字母拼写"), required=True
        ),
        staged.Column("kind", gettext_lazy("kind"), aliases=("类别", "地名类别"), required=True),
        staged.Column("longitude", gettext_lazy("longitude"), aliases=("经度", "东经")),
        staged.Column("latitude", gettext_lazy("latitude"), aliases=("纬度", "北纬")),
        staged.Column("meaning", gettext_lazy("origin and meaning"), aliases=("含义", "地名含义")),
    )

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        areas: dict[str, Area] = ctx.cache.setdefault(
            "areas", {a.code: a for a in policy.scope(ctx.user, Area.objects.all())}
        )
        kinds: dict[str, str] = ctx.cache.setdefault("kinds", _kinds())
        area = areas.get(row.get("area_code"))
        if area is None:
            row.error("area_code", _("No area with this code in your areas."))
        elif not policy.may(ctx.user, "placename.manage", area=area):
            row.error("area_code", _("Your role does not enter place names in this area."))
        kind = kinds.get(row.get("kind").casefold(), "")
        if not kind:
            row.error(
                "kind",
                _("Unknown kind “%(kind)s”: one of %(kinds)s.")
                % {
                    "kind": row.get("kind"),
                    "kinds": ", ".join(str(k.label) for k in PlaceName.Kind),
                },
            )
        try:
            values = services.place_name_check(
                area=area,
                name=row.get("name"),
                pinyin=row.get("pinyin"),
                kind=kind or PlaceName.Kind.OTHER,
                longitude=row.get("longitude"),
                latitude=row.get("latitude"),
                meaning=row.get("meaning"),
            )
        except ValidationError as exc:
            row.add(exc)
        else:
            row.cleaned.update(values)

    def check_rows(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        seen: dict[tuple[str, str, str], int] = {}
        for row in rows:
            if not row.ok:
                continue
            key = (row.get("area_code"), row.cleaned["kind"], row.cleaned["name"])
            if key in seen:
                row.error("name", _("The same name and kind as row %(row)d.") % {"row": seen[key]})
            seen.setdefault(key, row.number)

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for row in ctx.each(rows):
            values: dict[str, Any] = dict(row.cleaned)
            services.place_name_create(actor=ctx.user, **values)
