"""How a figure's value reads: with its unit, in the reader's language; a missing value says
so ("no data in the portal"), never a number."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .figures import Unit


def number(value: int | Decimal | None, unit: str) -> str:
    """The bare number (tables, spreadsheets): thousands separated, yuan with fen."""
    if value is None:
        return ""
    if unit in (Unit.YUAN, Unit.TEN_THOUSAND_YUAN):
        return f"{Decimal(value):,.2f}"
    if unit == Unit.PERCENT:
        return f"{Decimal(value):.1f}"
    return f"{int(value):,}"


def with_unit(value: int | Decimal | None, unit: str, measure: str = "") -> str:
    """The value in a sentence: '1,234 person-times', '56,000.00 yuan', '95.0%'; `measure`
    is a count's measure word (个, 户…) already translated."""
    if value is None:
        return _("(no data in the portal)")
    text = number(value, unit)
    if unit == Unit.YUAN:
        return _("%(n)s yuan") % {"n": text}
    if unit == Unit.TEN_THOUSAND_YUAN:
        return _("%(n)s ten thousand yuan") % {"n": text}
    if unit == Unit.PERSON_TIMES:
        return _("%(n)s person-times") % {"n": text}
    if unit == Unit.PERSONS:
        return _("%(n)s people") % {"n": text}
    if unit == Unit.PERCENT:
        return f"{text}%"
    if measure:
        return _("%(n)s %(measure)s") % {"n": text, "measure": measure}
    return text
