"""Name-prefix searches that read a name index (varchar_pattern_ops) in order and stop.

`LIKE '丁%'` finds the rows through that index too, but PostgreSQL estimates a common
surname's matches at a hundredth of what they are (98 for 10,000 at a million people): it then
reads every match and sorts them for the first page (150 ms). The same prefix as a range of
the index's own operators is estimated right, and the first page is read in order (3 ms).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Lookup, Q
from django.db.models.expressions import OrderBy

LAST_CODE_POINT = 0x10FFFF
SURROGATES = range(0xD800, 0xE000)  # not characters: UTF-8 cannot hold them


class PatternOrderBy(OrderBy):
    """ORDER BY <column> USING ~<~: the order of the name index (byte order, which in UTF-8
    is the order of code points)."""

    # (Django's compiler looks for ASC/DESC in each ORDER BY term; the comment gives it one.)
    template = "%(expression)s USING ~<~ /* ASC */"


class _PatternLookup(Lookup):
    """A comparison in the name index's operators, used as an expression (never registered
    as a field lookup)."""

    operator = ""

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {self.operator} {rhs}", (*lhs_params, *rhs_params)


class _AtLeast(_PatternLookup):
    operator = "~>=~"


class _Below(_PatternLookup):
    operator = "~<~"


def _next_character(character: str) -> str | None:
    code = ord(character) + 1
    if code in SURROGATES:
        code = SURROGATES.stop
    return chr(code) if code <= LAST_CODE_POINT else None


def starts_with(column: str, prefix: str) -> Q:
    """`column` starts with `prefix`: every string from the prefix up to, not including, the
    prefix with its last character's successor."""
    successor = _next_character(prefix[-1]) if prefix else None
    if successor is None:  # empty, or ends with the last code point: LIKE is exact
        return Q(**{f"{column}__startswith": prefix})
    return Q(_AtLeast(F(column), prefix), _Below(F(column), prefix[:-1] + successor))
