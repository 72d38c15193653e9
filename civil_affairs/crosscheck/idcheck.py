"""The ID numbers of a list file, checked as its bytes go to COPY (numpy, on the worker's core).

Every row of a million-row list needs its ID number checked (length, characters, birth
date, ISO 7064 MOD 11-2 check character), and in SQL that is most of a load's time: about
fifty function calls per row. Here the same checks run on the file's blocks while
PostgreSQL is busy writing the previous ones, so they cost the load almost nothing.

This check only sorts. It returns the numbers of the rows whose ID number is not valid *as
written*, and the loader then judges those rows, and only those, in SQL
(`crosscheck_id_problem`, the same rules as `core.validators.clean_id_number`). A row it
passes must therefore really be valid; a row it flags may still turn out valid once tidied
(spaces, a small x, a birth year before 1900).

It reads only files whose rows are their lines: no quote character anywhere and no carriage
return except before a line feed. In GB18030 a delimiter above 0x3F ("|") could be the second
byte of a character, so those files are left out too. For any other file, and whenever its
count of rows differs from COPY's, `rows_to_judge` answers None and the loader checks every
row's ID number in SQL, as it did before this module existed.
"""

from __future__ import annotations

import datetime

import numpy as np
import numpy.typing as npt

LF, CR, QUOTE = 0x0A, 0x0D, 0x22
ZERO, X = 0x30, 0x58
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)
CHECK_CHARACTERS = np.frombuffer(b"10X98765432", dtype=np.uint8)
DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
FIRST_YEAR = 1900  # earlier birth years are left to the full check


class IdNumberCheck:
    """Feed it the file's blocks in order; then ask `rows_to_judge(rows_copied)`."""

    def __init__(self, column: int, delimiter: str, encoding: str, today: datetime.date) -> None:
        self.column = column
        self.delimiter = ord(delimiter)
        self.today = today.year * 10000 + today.month * 100 + today.day
        self.readable = len(delimiter.encode()) == 1 and (
            encoding == "utf-8" or self.delimiter < ZERO
        )
        self.rest = b""
        self.heading_seen = False
        self.rows = 0
        self.flagged: list[npt.NDArray[np.int64]] = []

    def feed(self, block: bytes) -> None:
        if not self.readable:
            return
        data = self.rest + block
        end = data.rfind(b"\n") + 1
        self.rest = data[end:]
        if end:
            self._lines(data[:end])

    def rows_to_judge(self, rows_copied: int) -> list[int] | None:
        """Row numbers (the heading is row 1) whose ID number must be judged in SQL, or None
        when this file could not be checked here."""
        if self.readable and self.rest:
            self._lines(self.rest + b"\n")  # the last line, when the file does not end in one
            self.rest = b""
        if not self.readable or self.rows != rows_copied:
            return None
        if not self.flagged:
            return []
        return [int(n) for n in np.concatenate(self.flagged)]

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
        field_start, field_end = self._field(data, starts, ends)
        length = field_end - field_start
        ok = length == 18
        ok[ok] = self._valid(data, field_start[ok])
        first_row = self.rows + 2
        self.flagged.append(np.flatnonzero(~ok).astype(np.int64) + first_row)
        self.rows += len(ends)

    def _field(
        self,
        data: npt.NDArray[np.uint8],
        starts: npt.NDArray[np.int64],
        ends: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Where the ID number column begins and ends on each line (a line with too few
        columns gets an empty field: COPY would have refused the file anyway)."""
        line_end = ends - (data[np.maximum(ends - 1, 0)] == CR)  # before a CR of CRLF
        delimiters = np.flatnonzero(data == self.delimiter)
        first = np.searchsorted(delimiters, starts)  # each line's first delimiter
        bounds = np.append(delimiters, len(data))  # a sentinel past the end

        def delimiter_at(offset: int) -> npt.NDArray[np.int64]:
            found = bounds[np.minimum(first + offset, len(delimiters))]
            return np.where(found < line_end, found, line_end)

        start = starts if self.column == 0 else delimiter_at(self.column - 1) + 1
        end = delimiter_at(self.column)
        return np.minimum(start, line_end), end

    def _valid(
        self, data: npt.NDArray[np.uint8], start: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Of 18-byte fields: 17 digits and a digit or X, a real birth date from 1900 up to
        today, and the right check character."""
        chars = data[start[:, None] + np.arange(18)]
        digits = chars[:, :17].astype(np.int32) - ZERO
        ok = np.all((digits >= 0) & (digits <= 9), axis=1)
        last = chars[:, 17]
        ok &= ((last >= ZERO) & (last <= ZERO + 9)) | (last == X)
        year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
        month = digits[:, 10] * 10 + digits[:, 11]
        day = digits[:, 12] * 10 + digits[:, 13]
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        month_ok = (month >= 1) & (month <= 12)
        days = DAYS_IN_MONTH[np.where(month_ok, month, 0)] + ((month == 2) & leap)
        ok &= month_ok & (day >= 1) & (day <= days) & (year >= FIRST_YEAR)
        ok &= year * 10000 + month * 100 + day <= self.today
        ok &= CHECK_CHARACTERS[(digits @ WEIGHTS) % 11] == last
        return ok
