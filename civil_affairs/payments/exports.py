"""Writers of the finance exports, with bounded memory whatever the payroll's size.

- CSV: PostgreSQL's COPY … TO STDOUT, streamed chunk by chunk to the response.
- xlsx: xlsxwriter in constant-memory mode (each row goes to disk as it is written), fed by a
  server-side cursor; a summary sheet, then one sheet per township with a totals row.
- The bank's payment file: bankfile.py's fixed-width layout, fed by a server-side cursor.

Held rows are left out of every export. ID numbers and accounts are masked unless the
caller says the role may see them whole (services.py decides, and logs every export).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import bankfile, providers
from .models import ExportJob, Payment, Payroll

FETCH = 5000

# township of a row: the village's parent, or the area itself when it is a township
_FROM = """
FROM payments_payment p
JOIN people_person pp ON pp.id = p.person_id
JOIN areas_area v ON v.id = p.area_id
LEFT JOIN areas_area t
  ON t.id = CASE WHEN v.level = 'village' THEN v.parent_id ELSE v.id END
WHERE p.payroll_id = %(payroll)s AND p.status <> 'held'
"""


def _id_expr(full_id: bool) -> str:
    if full_id:
        return "pp.id_number"
    # the same mask as core.validators.mask_id_number
    return (
        "CASE WHEN pp.id_number = '' THEN '' ELSE left(pp.id_number, 6) "
        "|| repeat('*', greatest(length(pp.id_number) - 10, 0)) || right(pp.id_number, 4) END"
    )


def _account_expr(full: bool) -> str:
    account = "CASE WHEN p.bank_account <> '' THEN p.bank_account ELSE pp.bank_account END"
    if full:
        return account
    return f"CASE WHEN ({account}) = '' THEN '' ELSE '****' || right({account}, 4) END"


def _labels_expr(column: str, labels: dict[str, str], params: dict[str, Any], key: str) -> str:
    whens = []
    for i, (value, label) in enumerate(sorted(labels.items())):
        params[f"{key}_v{i}"] = value
        params[f"{key}_l{i}"] = label
        whens.append(f"WHEN %({key}_v{i})s THEN %({key}_l{i})s")
    return f"CASE {column} {' '.join(whens)} ELSE {column} END"


def columns() -> list[str]:
    return [
        _("No."),
        _("township"),
        _("village or community"),
        _("name"),
        _("ID number"),
        _("program"),
        _("benefit month"),
        _("amount (yuan)"),
        _("bank"),
        _("bank account"),
        _("reference"),
        _("status"),
    ]


def rows_query(payroll: Payroll, *, full_id: bool) -> tuple[str, dict[str, Any]]:
    """township code, township, village, name, ID number, program, month, amount, bank,
    account, reference, status — ordered by township, village and row."""
    params: dict[str, Any] = {"payroll": payroll.pk}
    program = _labels_expr(
        "p.program", {p.program: p.label for p in providers.all_providers()}, params, "prog"
    )
    status = _labels_expr("p.status", {s.value: str(s.label) for s in Payment.Status}, params, "st")
    sql = f"""
    SELECT coalesce(t.code, v.code), coalesce(t.name, v.name), v.name, pp.name,
           {_id_expr(full_id)}, {program}, to_char(p.month, 'YYYY-MM'), p.amount,
           CASE WHEN p.bank_name <> '' THEN p.bank_name ELSE pp.bank_name END,
           {_account_expr(full_id)}, lpad(p.id::text, 16, '0'), {status}
    {_FROM}
    ORDER BY coalesce(t.code, v.code), v.code, p.id
    """
    return sql, params


def payable_rows(payroll: Payroll) -> QuerySet[Payment]:
    return Payment.objects.filter(payroll=payroll).exclude(status=Payment.Status.HELD)


def bank_rows(payroll: Payroll) -> QuerySet[Payment]:
    return payable_rows(payroll)


def file_name(payroll: Payroll, ext: str, what: str = "payroll") -> str:
    return f"{what}-{payroll.month:%Y-%m}-{payroll.pk}.{ext}"


def _server_rows(sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of a query through a server-side cursor: FETCH rows in memory at a time."""
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as plain:
            plain.execute("SET LOCAL jit = off")
        with raw.cursor(name=f"export_{uuid.uuid4().hex}") as cursor:
            cursor.itersize = FETCH
            cursor.execute(sql, params)
            yield from cursor


# ---- CSV


def csv_stream(payroll: Payroll, *, full_id: bool) -> Iterator[bytes]:
    """UTF-8 CSV (with the BOM Excel wants): a header line, then COPY's output as it comes."""
    import csv
    import io

    head = io.StringIO()
    csv.writer(head).writerow(columns()[1:])
    yield "\ufeff".encode() + head.getvalue().encode()
    sql, params = rows_query(payroll, full_id=full_id)
    # the township code is for sorting only
    names = "township, village, name, id_number, program, month, amount, bank, account, ref, status"
    # sql is built from constants and %(…)s placeholders only
    select = f"SELECT {names} FROM ({sql}) AS x(code, {names})"  # noqa: S608
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY ({select}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        for data in copy:
            yield bytes(data)


# ---- xlsx


def write_xlsx(
    payroll: Payroll,
    path: Path,
    *,
    full_id: bool,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the payroll to `path`; returns the number of rows written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        return _write_workbook(workbook, payroll, full_id=full_id, progress=progress)
    finally:
        workbook.close()


def _write_workbook(
    workbook: Any,
    payroll: Payroll,
    *,
    full_id: bool,
    progress: Callable[[int], None] | None,
) -> int:
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
    title = workbook.add_format({"bold": True, "font_size": 13})
    heads = columns()
    widths = [7, 14, 16, 10, 21, 18, 9, 12, 16, 24, 18, 8]
    caption = _("Payroll %(month)s #%(id)d (%(kind)s), %(status)s") % {
        "month": f"{payroll.month:%Y-%m}",
        "id": payroll.pk,
        "kind": payroll.get_kind_display(),
        "status": payroll.get_status_display(),
    }

    # summary first: constant-memory sheets are written top to bottom, one after the other
    summary = workbook.add_worksheet(_sheet_name(pgettext("xlsx sheet", "Summary"), set()))
    summary.write_string(0, 0, caption, title)
    summary_heads = [_("township"), _("program"), _("rows"), _("amount (yuan)")]
    for col, text in enumerate(summary_heads):
        summary.write_string(2, col, text, bold)
    summary.set_column(0, 1, 18)
    summary.set_column(2, 3, 14)
    row = 3
    total_rows, total_amount = 0, Decimal("0.00")
    for township, program, count, amount in township_totals(payroll):
        summary.write_string(row, 0, township)
        summary.write_string(row, 1, program)
        summary.write_number(row, 2, count)
        summary.write_number(row, 3, float(amount), money)
        total_rows += count
        total_amount += amount
        row += 1
    summary.write_string(row, 0, pgettext("xlsx row", "Total"), bold)
    summary.write_number(row, 2, total_rows, bold)
    summary.write_number(row, 3, float(total_amount), money_bold)

    names: set[str] = {summary.get_name()}
    sheet = None
    current = None
    line = count = 0
    sheet_amount = Decimal("0.00")
    written = 0

    def close_sheet() -> None:
        if sheet is None:
            return
        last = line
        sheet.write_string(last, 0, pgettext("xlsx row", "Total"), bold)
        sheet.write_number(last, 3, count, bold)
        sheet.write_formula(last, 7, f"=SUM(H4:H{last})", money_bold, float(sheet_amount))

    sql, params = rows_query(payroll, full_id=full_id)
    for record in _server_rows(sql, params):
        code, township = record[0], record[1]
        if code != current:
            close_sheet()
            current = code
            sheet = workbook.add_worksheet(_sheet_name(township or code, names))
            names.add(sheet.get_name())
            sheet.write_string(0, 0, f"{caption} · {township}", title)
            for col, text in enumerate(heads):
                sheet.write_string(2, col, text, bold)
            for col, width in enumerate(widths):
                sheet.set_column(col, col, width)
            line, count, sheet_amount = 3, 0, Decimal("0.00")
        assert sheet is not None
        count += 1
        sheet.write_number(line, 0, count)
        sheet.write_string(line, 1, township)
        sheet.write_string(line, 2, record[2])
        sheet.write_string(line, 3, record[3])
        sheet.write_string(line, 4, record[4])
        sheet.write_string(line, 5, record[5])
        sheet.write_string(line, 6, record[6])
        sheet.write_number(line, 7, float(record[7]), money)
        sheet.write_string(line, 8, record[8])
        sheet.write_string(line, 9, record[9])
        sheet.write_string(line, 10, record[10])
        sheet.write_string(line, 11, record[11])
        sheet_amount += record[7]
        line += 1
        written += 1
        if progress is not None and written % FETCH == 0:
            progress(written)
    close_sheet()
    if progress is not None:
        progress(written)
    return written


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "-"
    candidate, n = clean, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def township_totals(payroll: Payroll) -> list[tuple[str, str, int, Decimal]]:
    """(township, program label, rows, amount) of the payable rows, from the stored totals."""
    from civil_affairs.areas.models import Area

    area_ids = {t["area"] for t in payroll.totals}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=area_ids).select_related("parent")}
    sums: dict[tuple[str, str, str], list[Any]] = {}
    for entry in payroll.totals:
        if entry["status"] == Payment.Status.HELD:
            continue
        area = areas.get(entry["area"])
        township = (area.township or area) if area else None
        key = (
            township.code if township else "",
            township.name if township else "",
            entry["program"],
        )
        slot = sums.setdefault(key, [0, Decimal("0.00")])
        slot[0] += entry["rows"]
        slot[1] += Decimal(entry["amount"])
    from .models import program_label

    return [
        (name, program_label(program), rows, amount)
        for (code, name, program), (rows, amount) in sorted(sums.items())
    ]


def export_path(job: ExportJob) -> Path:
    root = Path(settings.MEDIA_ROOT) / "exports"
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d%H%M%S")
    return root / f"{file_name(job.payroll, 'xlsx').removesuffix('.xlsx')}-{stamp}-{job.pk}.xlsx"


# ---- the bank's payment file


def bank_file_stream(payroll: Payroll) -> Iterator[bytes]:
    sql = """
    SELECT p.id, p.bank_account, pp.name, p.amount
    FROM payments_payment p JOIN people_person pp ON pp.id = p.person_id
    WHERE p.payroll_id = %(payroll)s AND p.status <> 'held'
    ORDER BY p.id
    """
    rows = _server_rows(sql, {"payroll": payroll.pk})
    buffer: list[bytes] = []
    size = 0
    for line in bankfile.payment_file(payroll.pk, payroll.month, timezone.localdate(), rows):
        buffer.append(line)
        size += len(line)
        if size >= 256 * 1024:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)
