from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from ..formatting import number

register = template.Library()


@register.filter
def figure(value: int | Decimal | None, unit: str) -> str:
    """A figure's number as the tables show it (yuan with fen, percentages with one decimal)."""
    return number(value, unit) + ("%" if unit == "percent" and value is not None else "")


@register.filter
def index(items: Any, i: int) -> Any:
    return items[i]
