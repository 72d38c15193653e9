"""Small checks the funeral app's services share: each error names its field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from civil_affairs.core.validators import clean_id_number

M = TypeVar("M", bound=models.Model)


def saved(obj: M, actor: Any) -> M:
    """Save with the actor in the row's history."""
    obj._history_user = actor  # type: ignore[attr-defined]
    obj.save()
    return obj


def clean_id(value: str, field: str) -> str:
    try:
        return clean_id_number(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def whole(value: Any, field: str) -> int:
    """A count: a whole number, zero or more."""
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if number < 0:
        raise ValidationError({field: _("A count cannot be negative.")})
    return number


def coordinate(value: Any, field: str, limit: int) -> Decimal | None:
    """A longitude (limit 180) or latitude (limit 90) in decimal degrees, or None."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: _("Enter decimal degrees, e.g. 112.123456.")}) from None
    if not number.is_finite() or abs(number) > limit:
        raise ValidationError({field: _("Degrees between -%(n)d and %(n)d.") % {"n": limit}})
    return number.quantize(Decimal("0.000001"))
