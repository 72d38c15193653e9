"""Every dashboard table as an xlsx file (xlsxwriter, in memory: the tables are small)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from civil_affairs.core.spreadsheet import cell_safe


def xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    for col, text in enumerate(header):
        sheet.write_string(0, col, cell_safe(str(text)), bold)
        sheet.set_column(col, col, 18)
    for r, row in enumerate(rows, start=1):
        for col, cell in enumerate(row):
            if cell is None or cell == "":
                sheet.write_blank(r, col, None)
            elif isinstance(cell, int | float):
                sheet.write_number(r, col, cell)
            elif hasattr(cell, "as_tuple"):  # Decimal
                sheet.write_number(r, col, float(cell))
            else:
                sheet.write_string(r, col, cell_safe(str(cell)))
    book.close()
    return out.getvalue()
