"""Reading the files clerks have: CSV (UTF-8 with or without BOM, or GB18030/GBK as Excel saves
"CSV" on a Chinese Windows) and Excel workbooks (.xlsx), row by row.

Neither kind is loaded whole: a CSV is decoded as a stream and parsed line by line, a workbook
is read with openpyxl's read-only (streaming) mode, and reading stops at the row limit. Rows
carry the spreadsheet's own row numbers (the first row of the sheet is 1), as the clerk sees
them in Excel; blank rows are skipped but still counted.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

CHUNK = 1 << 20
# the whitespace Excel and WPS leave around cells, full-width space and BOM included
WHITESPACE = " \t\r\n\u3000\ufeff\u200b\xa0"
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class FileError(Exception):
    """The file as a whole cannot be read: the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SheetRow:
    number: int  # the spreadsheet's row number (first row = 1)
    cells: list[str]


def detect_encoding(data: bytes) -> str:
    """ "utf-8-sig" (UTF-8 with or without BOM) or "gb18030"; raises FileError for a
    that is neither, or that mixes UTF-8 lines into a GB18030 file.

    Decoded strictly in chunks, never as one string (a large file stays bytes)."""
    if b"\x00" in data[:CHUNK] or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileError(_not_text())
    if _decodes(data, "utf-8"):
        return "utf-8-sig"
    if not _decodes(data, "gb18030"):
        raise FileError(_not_text())
    # a GB18030 file with lines saved as UTF-8 decodes without error but into nonsense
    for number, line in enumerate(io.BytesIO(data), 1):
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            raise FileError(
                _(
                    "Line %(line)d is written in UTF-8 inside a GB18030 (GBK) file: save the "
                    "whole file in one encoding."
                )
                % {"line": number}
            )
    return "gb18030"


def _not_text() -> str:
    return _(
        "The file is neither UTF-8 nor GB18030 (GBK) text. Save it from Excel as "
        "“CSV UTF-8” or as an Excel workbook (.xlsx)."
    )


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(data[start : start + CHUNK], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def kind_of(data: bytes, filename: str) -> str:
    """The kind, "xlsx" or "csv", from the first bytes (a renamed file is read as what it is)."""
    if not data:
        raise FileError(_("The file is empty."))
    if data.startswith(XLS_MAGIC) or filename.lower().endswith(".xls"):
        raise FileError(
            _(
                "This is an old Excel file (.xls): save it as an Excel workbook (.xlsx) or as "
                "CSV and upload that."
            )
        )
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileError(_("This file is not a readable Excel workbook (.xlsx)."))
    return "csv"


def rows(data: bytes, filename: str) -> Iterator[SheetRow]:
    """Every non-blank row of the file's first sheet that has data, with its row number."""
    if kind_of(data, filename) == "xlsx":
        yield from _xlsx_rows(data)
    else:
        yield from _csv_rows(data)


def _csv_rows(data: bytes) -> Iterator[SheetRow]:
    encoding = detect_encoding(data)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first = text.readline()
    text.seek(0)
    # Excel writes commas; a "Unicode text" or hand-made file may use tabs or semicolons
    delimiter = max(",\t;", key=first.count) if first else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, 1):
            values = [cell.strip(WHITESPACE) for cell in cells]
            if any(values):
                yield SheetRow(number, values)
    except csv.Error as exc:
        raise FileError(
            _("Row %(row)d cannot be read as CSV: %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from None


def _xlsx_rows(data: bytes) -> Iterator[SheetRow]:
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet's XML; data_only=False shows a formula as the formula
        # (text starting with "="), so that it is reported, never taken as its cached value
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileError(_("This file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        for sheet in book.worksheets:
            found = False
            for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
                values = [cell_text(cell) for cell in cells]
                if any(values):
                    found = True
                    yield SheetRow(number, values)
            if found:
                return  # the first sheet with data is the list
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A workbook cell as the text a clerk sees (a whole number without ".0", a date as
    YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip(WHITESPACE)


def estimate_rows(data: bytes, filename: str) -> int:
    """About how many rows the file has, without reading it: the lines of a CSV, the sheet's
    recorded size of a workbook (0 when the file is not readable: the check will say why)."""
    try:
        kind = kind_of(data, filename)
    except FileError:
        return 0
    if kind == "csv":
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return 0
    try:
        return max((sheet.max_row or 0 for sheet in book.worksheets), default=0)
    finally:
        book.close()
