"""The kinds of standards: each domain app registers its own (DESIGN.md rule 3).

A kind says what its rows mean: a label, a unit, the variants it is split by, and what to do
when a row of it is added or changed (`apply`: recompute what the row governs, after the
commit, in a Celery task). The shared table (models.Standard) stores every kind's rows; this
module knows the kinds only as their apps registered them.

    from civil_affairs.standards import registry

    registry.register(registry.Kind(
        code="old_age_allowance", label=_("Old-age allowance (monthly)"),
        unit=registry.Unit.YUAN, variants=("80", "90", "100"), app="eldercare",
        apply=eldercare_standard_apply,  # optional
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    YUAN = "yuan", _("yuan")
    MULTIPLE = "multiple", _("multiple")
    PERCENT = "percent", _("percent")
    COUNT = "count", _("count")
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")
    SQUARE_METRES = "m2", _("square metres")


WHOLE_UNITS = frozenset({Unit.COUNT, Unit.DAYS, Unit.MONTHS, Unit.YEARS})
POSITIVE_UNITS = frozenset({Unit.DAYS, Unit.MONTHS, Unit.MULTIPLE, Unit.YEARS})

# Applies a new or changed row to what it governs; returns how many records changed.
Apply = Callable[..., int]  # (*, actor, standard) -> int


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    unit: str
    app: str
    # () no variants; a tuple: one of these; None: free text checked by `check_variant`
    variants: tuple[str, ...] | None = ()
    variant_help: str | Promise = ""
    check_variant: Callable[[str], str | None] | None = None  # returns an error or None
    apply: Apply | None = None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.code] = kind


def get(code: str) -> Kind:
    return _kinds[code]


def known(code: str) -> bool:
    return code in _kinds


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.app, k.code))


def choices() -> list[tuple[str, Any]]:
    return [(k.code, k.label) for k in all_kinds()]


def label(code: str) -> str:
    return str(_kinds[code].label) if code in _kinds else code
