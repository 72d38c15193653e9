"""Text that goes into files staff open in a spreadsheet (CSV and xlsx exports, error files).

Every text cell of every export goes through `cell_safe` (`cell_safe_sql` where COPY writes
the file, `SafeResource` for the admin's import-export), so that a value that got in by any
path is shown, never run.
"""

from typing import Any

# A cell starting with one of these is run as a formula by Excel and WPS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(text: str) -> str:
    """Quote a would-be formula with a leading apostrophe so it is shown, not run."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def cell_safe_value(value: Any) -> Any:
    """A cell of a row: text through `cell_safe`, numbers and dates as they are."""
    return cell_safe(value) if isinstance(value, str) else value


def _sql_literal(char: str) -> str:
    return {"\t": "E'\\t'", "\r": "E'\\r'"}.get(char, f"'{char}'")


def cell_safe_sql(expression: str) -> str:
    """`cell_safe` in SQL, for exports that COPY writes: the text of `expression` (a column,
    or an expression of columns and constants) with an apostrophe before a would-be formula."""
    starts = ", ".join(_sql_literal(c) for c in FORMULA_STARTS)
    return (
        f"CASE WHEN left({expression}, 1) IN ({starts}) "
        f"THEN chr(39) || ({expression}) ELSE ({expression}) END"
    )


class Echo:
    """A file-like object whose write returns the line: csv.writer into a streamed response."""

    def write(self, value: str) -> str:
        return value
