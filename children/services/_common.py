"""Small helpers shared by the children's services."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from civil_affairs.areas.models import Area
from civil_affairs.core.money import to_yuan
from civil_affairs.standards import selectors as standards


def save(obj: models.Model, actor: Any) -> None:
    """Validate and save, with the acting user on the history row."""
    obj._history_user = actor  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()


def money(value: Any, field: str) -> Decimal:
    try:
        amount = to_yuan(value if value not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


def check_month(value: Any, field: str = "effective_month") -> datetime.date:
    if not isinstance(value, datetime.date) or value.day != 1:
        raise ValidationError({field: _("A month is given as its first day (YYYY-MM-01).")})
    return value


def standard_int(kind: str, *, area: Area, day: datetime.date, variant: str = "") -> int:
    """A whole-number standard (an age, a number of days) in force on `day`; a missing row is
    a ValidationError naming it."""
    row = standards.get(kind, area=area, month=day.replace(day=1), variant=variant)
    return int(row.value)


def require_level(area: Area, level: str, field: str = "area") -> None:
    if area.level != level:
        raise ValidationError(
            {field: _("Choose a %(level)s.") % {"level": Area.Level(level).label}}
        )
