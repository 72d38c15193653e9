"""The quick check of a list's rows, run on the file's bytes as they go to COPY (numpy).

Every row of a million-row list must be checked: its ID number (length, characters, birth
date, ISO 7064 MOD 11-2 check character), its date, amount and texts. In SQL that took most
of a load's time (the check character alone is about fifty function calls per row). Here the
same checks run on each block of the file while PostgreSQL is busy writing the previous one,
so they cost the load almost nothing.

This check only sorts. It returns the numbers of the rows that are not valid *as written*,
and the loader judges those rows, and only those, in SQL (`crosscheck_id_problem` and the
other functions in sql.py, which follow `core.validators`). A row it passes must therefore
really be valid; a row it flags may still be valid once tidied (spaces, a small x,
2026/3/10), or valid in a way this check does not bother with (a birth year before 1900, a
name that starts with a symbol).

It reads only files whose rows are their lines: no quote character anywhere and no carriage
return except before a line feed. In GB18030 a delimiter above 0x3F ("|") could be the second
byte of a character, so those files are left out too. For any other file, and whenever its
count of rows differs from COPY's, `rows_to_judge` answers None and the loader checks every
row in SQL (loading._fast_ok).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from .kinds import Field, FieldType

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Bytes = npt.NDArray[np.uint8]

LF, CR, QUOTE, DASH, DOT = 0x0A, 0x0D, 0x22, 0x2D, 0x2E
ZERO, X = 0x30, 0x58
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)
CHECK_CHARACTERS = np.frombuffer(b"10X98765432", dtype=np.uint8)
DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
FIRST_YEAR, LAST_YEAR = 1900, 2099  # dates outside are left to the full check
AMOUNT_BYTES = 16  # -999999999999.99: longer amounts are left to the full check


class QuickCheck:
    """Feed it the file's blocks in order; then ask `rows_to_judge(rows_copied)`."""

    def __init__(
        self,
        fields: list[Field],
        index: dict[str, int],
        limits: dict[str, int],
        delimiter: str,
        encoding: str,
        today: datetime.date,
    ) -> None:
        self.delimiter = ord(delimiter)
        self.encoding = encoding
        self.today = today.year * 10000 + today.month * 100 + today.day
        self.readable = len(delimiter.encode()) == 1 and (
            encoding == "utf-8" or self.delimiter < ZERO
        )
        # (column in the file, check of that column's fields) for each mapped field
        self.checks: list[tuple[int, Callable[[Bytes, Ints, Ints], Bools]]] = []
        for field in fields:
            if field.name in index:
                self.checks.append((index[field.name], self._check_of(field, limits)))
        self.columns = max(index.values()) + 1 if index else 0
        self.rest = b""
        self.heading_seen = False
        self.rows = 0
        self.flagged: list[Ints] = []

    def feed(self, block: bytes) -> None:
        if not self.readable:
            return
        data = self.rest + block
        end = data.rfind(b"\n") + 1
        self.rest = data[end:]
        if end:
            self._lines(data[:end])

    def rows_to_judge(self, rows_copied: int) -> list[int] | None:
        """Row numbers (the heading is row 1) to judge in SQL, or None when this file could
        not be checked here."""
        if self.readable and self.rest:
            self._lines(self.rest + b"\n")  # the last line, when the file does not end in one
            self.rest = b""
        if not self.readable or self.rows != rows_copied:
            return None
        if not self.flagged:
            return []
        return [int(n) for n in np.concatenate(self.flagged)]

    # ---- lines and fields ---------------------------------------------------------------

    def _lines(self, text: bytes) -> None:
        """Whole lines, each ending in a line feed."""
        if QUOTE in text or text.count(b"\r") != text.count(b"\r\n"):
            self.readable = False
            self.flagged = []
            return
        if not self.heading_seen:
            self.heading_seen = True
            text = text[text.index(b"\n") + 1 :]
            if not text:
                return
        data = np.frombuffer(text, dtype=np.uint8)
        ends = np.flatnonzero(data == LF)  # each line's line feed
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        line_end = ends - (data[np.maximum(ends - 1, 0)] == CR)  # before the CR of CRLF
        columns = self._columns(data, starts, line_end)
        ok = np.ones(len(ends), dtype=np.bool_)
        for column, check in self.checks:
            ok &= check(data, *columns[column])
        self.flagged.append(np.flatnonzero(~ok).astype(np.int64) + self.rows + 2)
        self.rows += len(ends)

    def _columns(self, data: Bytes, starts: Ints, line_end: Ints) -> list[tuple[Ints, Ints]]:
        """Where each column begins and ends (past its last byte) on each line. A line with
        fewer columns gets empty fields (COPY would have refused the file anyway)."""
        delimiters = np.flatnonzero(data == self.delimiter)
        first = np.searchsorted(delimiters, starts)  # each line's first delimiter
        after = np.append(delimiters, len(data))  # a sentinel past the end
        columns = []
        start = starts
        for k in range(self.columns):
            found = after[np.minimum(first + k, len(delimiters))]
            end = np.where(found < line_end, found, line_end)
            columns.append((start, end))
            start = np.minimum(end + 1, line_end)
        return columns

    # ---- checks per field ---------------------------------------------------------------

    def _check_of(
        self, field: Field, limits: dict[str, int]
    ) -> Callable[[Bytes, Ints, Ints], Bools]:
        empty_ok = not field.required
        if field.type == FieldType.ID:
            return lambda data, start, end: _fixed(data, start, end, 18, self._id_number, False)
        if field.type == FieldType.DATE:
            return lambda data, start, end: _fixed(data, start, end, 10, _iso_date, empty_ok)
        if field.type == FieldType.MONEY:
            return lambda data, start, end: _amount(data, start, end, empty_ok)
        limit = limits[field.name]
        return lambda data, start, end: self._text(data, start, end, limit, empty_ok)

    def _id_number(self, chars: Bytes) -> Bools:
        """17 digits and a digit or X, a real birth date from 1900 up to today, and the right
        check character."""
        digits = chars[:, :17].astype(np.int32) - ZERO
        ok = np.all((digits >= 0) & (digits <= 9), axis=1)
        last = chars[:, 17]
        ok &= ((last >= ZERO) & (last <= ZERO + 9)) | (last == X)
        ok &= _real_day(digits[:, 6:14], self.today)
        ok &= CHECK_CHARACTERS[(digits @ WEIGHTS) % 11] == last
        return ok

    def _text(self, data: Bytes, start: Ints, end: Ints, limit: int, empty_ok: bool) -> Bools:
        """No more bytes than the limit allows characters; if required, it begins with a
        letter, a digit or a Chinese character (so it is not blank)."""
        length = end - start
        ok = length <= limit
        if empty_ok:
            return ok
        first = data[np.minimum(start, len(data) - 1)]
        alnum = (
            ((first >= ZERO) & (first <= ZERO + 9))
            | ((first >= 0x41) & (first <= 0x5A))
            | ((first >= 0x61) & (first <= 0x7A))
        )
        # lead bytes of the common Chinese characters: U+4E00–U+9FFF in UTF-8, GB2312's
        # hanzi in GB18030
        han = (first >= 0xE4) & (first <= 0xE9) if self.encoding == "utf-8" else first >= 0xB0
        return ok & (length > 0) & (alnum | han)


def _fixed(
    data: Bytes,
    start: Ints,
    end: Ints,
    size: int,
    check: Callable[[Bytes], Bools],
    empty_ok: bool,
) -> Bools:
    """Fields of exactly `size` bytes passed to `check`; empty ones pass if `empty_ok`."""
    length = end - start
    ok = length == size
    ok[ok] = check(data[start[ok][:, None] + np.arange(size)])
    if empty_ok:
        ok |= length == 0
    return ok


def _real_day(digits: npt.NDArray[np.int32], last: int) -> Bools:
    """YYYYMMDD digits (already known to be 0–9): a real day from 1900 up to `last`."""
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days = DAYS_IN_MONTH[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    ok = month_ok & (day >= 1) & (day <= days) & (year >= FIRST_YEAR)
    return ok & (year * 10000 + month * 100 + day <= last)


def _iso_date(chars: Bytes) -> Bools:
    """YYYY-MM-DD, a real day from 1900 to 2099."""
    digits = chars[:, [0, 1, 2, 3, 5, 6, 8, 9]].astype(np.int32) - ZERO
    ok = np.all((digits >= 0) & (digits <= 9), axis=1)
    ok &= (chars[:, 4] == DASH) & (chars[:, 7] == DASH)
    return ok & _real_day(digits, LAST_YEAR * 10000 + 1231)


def _amount(data: Bytes, start: Ints, end: Ints, empty_ok: bool) -> Bools:
    """-?[0-9]{1,12}(.[0-9]{1,2})?"""
    length = end - start
    ok = (length >= 1) & (length <= AMOUNT_BYTES)
    chars = data[np.minimum(start[:, None] + np.arange(AMOUNT_BYTES), len(data) - 1)]
    inside = np.arange(AMOUNT_BYTES) < length[:, None]
    sign = chars[:, 0] == DASH
    digit = (chars >= ZERO) & (chars <= ZERO + 9) & inside
    dot = (chars == DOT) & inside
    ok &= np.all(digit | dot | ~inside | ((np.arange(AMOUNT_BYTES) == 0) & sign[:, None]), axis=1)
    dots = dot.sum(axis=1)
    dot_at = np.where(dots == 1, np.argmax(dot, axis=1), length)
    whole = dot_at - sign  # digits before the dot
    cents = np.where(dots == 1, length - dot_at - 1, 0)
    ok &= (dots <= 1) & (whole >= 1) & (whole <= 12) & ((dots == 0) | ((cents >= 1) & (cents <= 2)))
    if empty_ok:
        ok |= length == 0
    return ok
