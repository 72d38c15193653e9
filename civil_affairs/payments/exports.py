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
from dataclasses import dataclass, field
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

from civil_affairs.core.money import ZERO
from civil_affairs.core.spreadsheet import cell_safe, cell_safe_sql, cell_safe_value

from . import bankfile, providers
from .models import ExportJob, Payment, Payroll

FETCH = 5000
BLOCK = 256 * 1024  # bytes per chunk of a streamed response


def _id_expr(full_id: bool) -> str:
    if full_id:
        return "pp.id_number"
    # the same mask as core.validators.mask_id_number
    return (
        "CASE WHEN pp.id_number = '' THEN '' ELSE left(pp.id_number, 6) "
        "|| repeat('*', greatest(length(pp.id_number) - 10, 0)) || right(pp.id_number, 4) END"
    )


# An approved row keeps the payee and account it was paid to. A row not yet approved (no
# account stored) shows whom approval would pay now: the payee its program names
# (providers.payees_sql, joined as x by _payee_join), else the person — never the person for a
# payee-only program. So a draft's care-subsidy row reads as the caregiver's, as it will be paid.
def _paid(column: str) -> str:
    return (
        f"CASE WHEN p.bank_account <> '' THEN p.{column} WHEN x.source_id IS NOT NULL "
        f"THEN x.{column} WHEN p.program = ANY(%(payee_only)s) THEN '' ELSE pp.{column} END"
    )


PAID_TO = (
    "CASE WHEN p.bank_account <> '' THEN coalesce(nullif(p.payee_name, ''), pp.name) "
    "WHEN x.source_id IS NOT NULL THEN x.payee_name "
    "WHEN p.program = ANY(%(payee_only)s) THEN '' ELSE pp.name END"
)
BANK_NAME = _paid("bank_name")


def _payee_join() -> str:
    return (
        f"LEFT JOIN ({providers.payees_sql()}) x ON p.bank_account = '' "
        "AND x.program = p.program AND x.source_id = p.source_id"
    )


def _account_expr(full: bool) -> str:
    account = _paid("bank_account")
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
    """The columns of the CSV (and of the xlsx sheets, which name the township instead)."""
    return [
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
        _("paid to"),  # the care home or caregiver when not the person (providers.payees_sql)
    ]


def _program_labels() -> dict[str, str]:
    return {p.program: str(p.label) for p in providers.all_providers()}


def _status_labels() -> dict[str, str]:
    return {s.value: str(s.label) for s in Payment.Status}


def csv_query(payroll: Payroll, *, full_id: bool) -> tuple[str, dict[str, Any]]:
    """The CSV's rows, labels and names resolved in SQL (COPY sends them as they are),
    grouped by village in the index's order (no sort)."""
    params: dict[str, Any] = {"payroll": payroll.pk, "payee_only": providers.payee_only_programs()}
    program = _labels_expr("p.program", _program_labels(), params, "prog")
    status = _labels_expr("p.status", _status_labels(), params, "st")
    text = [  # every text cell is neutralised in SQL: COPY writes the file
        cell_safe_sql(expression)
        for expression in (
            "coalesce(t.name, v.name)",
            "v.name",
            "pp.name",
            _id_expr(full_id),
            program,
            BANK_NAME,
            _account_expr(full_id),
            status,
            PAID_TO,
        )
    ]
    sql = f"""
    SELECT {text[0]}, {text[1]}, {text[2]}, {text[3]}, {text[4]},
           to_char(p.month, 'YYYY-MM'), p.amount, {text[5]},
           {text[6]}, lpad(p.id::text, 16, '0'), {text[7]}, {text[8]}
    FROM payments_payment p
    JOIN people_person pp ON pp.id = p.person_id
    {_payee_join()}
    JOIN areas_area v ON v.id = p.area_id
    LEFT JOIN areas_area t ON v.level = 'village' AND t.id = v.parent_id
    WHERE p.payroll_id = %(payroll)s AND p.status <> 'held'
    ORDER BY p.area_id
    """  # noqa: S608 - built from constants and %(…)s placeholders
    return sql, params


def xlsx_query(payroll: Payroll, *, full_id: bool) -> tuple[str, dict[str, Any]]:
    """The xlsx's rows: area id (which picks the sheet), name, ID number, program, month,
    amount (a float: a spreadsheet's number), bank, account, reference, status, paid to —
    grouped by village in the index's order (no sort); names and labels are looked up in
    Python."""
    sql = f"""
    SELECT p.area_id, pp.name, {_id_expr(full_id)}, p.program, to_char(p.month, 'YYYY-MM'),
           p.amount::float8, {BANK_NAME},
           {_account_expr(full_id)}, lpad(p.id::text, 16, '0'), p.status, {PAID_TO}
    FROM payments_payment p
    JOIN people_person pp ON pp.id = p.person_id
    {_payee_join()}
    WHERE p.payroll_id = %(payroll)s AND p.status <> 'held'
    ORDER BY p.area_id
    """  # noqa: S608 - built from constants and %(…)s placeholders
    return sql, {"payroll": payroll.pk, "payee_only": providers.payee_only_programs()}


def payable_rows(payroll: Payroll) -> QuerySet[Payment]:
    return Payment.objects.filter(payroll=payroll).exclude(status=Payment.Status.HELD)


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
    """UTF-8 CSV (with the BOM Excel wants): a header line, then COPY's output in blocks.

    COPY runs on psycopg's own cursor: Django's debug cursor wrapper (DEBUG on, as under
    `make dev`) has a copy() without parameters. Nothing is yielded before COPY has started,
    so a query that fails is raised at the first next() (the service turns it into a
    message) rather than ending the download as a header-only file.
    """
    import csv
    import io

    head = io.StringIO()
    csv.writer(head).writerow(columns())
    buffer = bytearray("\ufeff".encode() + head.getvalue().encode())
    sql, params = csv_query(payroll, full_id=full_id)
    connection.ensure_connection()
    raw = connection.connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        for data in copy:
            buffer += data
            if len(buffer) >= BLOCK:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)


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
    workbook = xlsxwriter.Workbook(
        str(path),
        # text is text: a name is never run as a formula nor turned into a link
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
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
    from civil_affairs.areas.models import Area

    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
    title = workbook.add_format({"bold": True, "font_size": 13})
    caption = _("Payroll %(month)s #%(id)d (%(kind)s), %(status)s") % {
        "month": f"{payroll.month:%Y-%m}",
        "id": payroll.pk,
        "kind": payroll.get_kind_display(),
        "status": payroll.get_status_display(),
    }
    totals = township_totals(payroll)

    # the summary: townships and programs, from the payroll's stored totals
    summary = workbook.add_worksheet(_sheet_name(pgettext("xlsx sheet", "Summary"), set()))
    summary.write_string(0, 0, caption, title)
    for col, text in enumerate([_("township"), _("program"), _("rows"), _("amount (yuan)")]):
        summary.write_string(2, col, text, bold)
    summary.set_column(0, 1, 18)
    summary.set_column(2, 3, 14)
    row = 3
    total_rows, total_amount = 0, ZERO
    for township in totals:
        for label, count, amount in township.programs:
            summary.write_row(row, 0, [cell_safe(township.name), cell_safe(label), count])
            summary.write_number(row, 3, float(amount), money)
            row += 1
        total_rows += township.rows
        total_amount += township.amount
    summary.write_string(row, 0, pgettext("xlsx row", "Total"), bold)
    summary.write_number(row, 2, total_rows, bold)
    summary.write_number(row, 3, float(total_amount), money_bold)

    # one sheet per township; constant-memory sheets are written top to bottom, each on
    # its own, so rows may come in any township order
    heads = [_("No."), *columns()[1:]]
    widths = [7, 16, 10, 21, 18, 9, 12, 16, 24, 18, 8, 16]
    names = {summary.get_name()}
    sheets: dict[int, Sheet] = {}
    for township in totals:
        sheet = workbook.add_worksheet(_sheet_name(township.name or township.code, names))
        names.add(sheet.get_name())
        sheet.write_string(0, 0, cell_safe(f"{caption} · {township.name}"), title)
        for col, text in enumerate(heads):
            sheet.write_string(2, col, text, bold)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width, money if col == 6 else None)
        sheets[township.pk] = Sheet(sheet, township)
    areas = Area.objects.in_bulk({t["area"] for t in payroll.totals})
    village_of = {pk: area.name for pk, area in areas.items()}
    sheet_of = {
        pk: sheets[(area.township or area).pk]
        for pk, area in areas.items()
        if (area.township or area).pk in sheets
    }
    program_of = _program_labels()
    status_of = _status_labels()

    written = 0
    sql, params = xlsx_query(payroll, full_id=full_id)
    for (
        area_id,
        name,
        id_number,
        program,
        month,
        amount,
        bank,
        account,
        ref,
        status,
        paid_to,
    ) in _server_rows(sql, params):
        target = sheet_of[area_id]
        target.count += 1
        target.sheet.write_row(
            target.count + 2,
            0,
            [
                cell_safe_value(value)
                for value in (
                    target.count,
                    village_of[area_id],
                    name,
                    id_number,
                    program_of.get(program, program),
                    month,
                    amount,
                    bank,
                    account,
                    ref,
                    status_of.get(status, status),
                    paid_to,
                )
            ],
        )
        written += 1
        if progress is not None and written % FETCH == 0:
            progress(written)
    for target in sheets.values():
        last = target.count + 3
        target.sheet.write_string(last, 0, pgettext("xlsx row", "Total"), bold)
        target.sheet.write_number(last, 2, target.count, bold)
        target.sheet.write_formula(
            last, 6, f"=SUM(G4:G{last})", money_bold, float(target.township.amount)
        )
    if progress is not None:
        progress(written)
    return written


@dataclass
class Sheet:
    sheet: Any
    township: TownshipTotal
    count: int = 0


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "-"
    candidate, n = clean, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


@dataclass
class TownshipTotal:
    pk: int
    code: str
    name: str
    rows: int = 0
    amount: Decimal = ZERO
    programs: list[tuple[str, int, Decimal]] = field(default_factory=list)


def township_totals(payroll: Payroll) -> list[TownshipTotal]:
    """The payable rows (held ones left out) per township and program, from the stored
    totals, ordered by the township's code."""
    from civil_affairs.areas.models import Area

    from .models import program_label

    areas = Area.objects.select_related("parent").in_bulk({t["area"] for t in payroll.totals})
    townships: dict[int, TownshipTotal] = {}
    per_program: dict[tuple[int, str], list[Any]] = {}
    for entry in payroll.totals:
        if entry["status"] == Payment.Status.HELD or entry["area"] not in areas:
            continue
        area = areas[entry["area"]]
        township = area.township or area
        total = townships.setdefault(
            township.pk, TownshipTotal(pk=township.pk, code=township.code, name=township.name)
        )
        amount = Decimal(entry["amount"])
        total.rows += entry["rows"]
        total.amount += amount
        slot = per_program.setdefault((township.pk, entry["program"]), [0, ZERO])
        slot[0] += entry["rows"]
        slot[1] += amount
    for (pk, program), (rows, amount) in sorted(per_program.items()):
        townships[pk].programs.append((program_label(program), rows, amount))
    return sorted(townships.values(), key=lambda t: t.code)


def export_path(job: ExportJob) -> Path:
    root = Path(settings.MEDIA_ROOT) / "exports"
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d%H%M%S")
    return root / f"{file_name(job.payroll, 'xlsx').removesuffix('.xlsx')}-{stamp}-{job.pk}.xlsx"


# ---- the bank's payment file


def bank_file_stream(payroll: Payroll) -> Iterator[bytes]:
    sql = """
    SELECT p.id, p.bank_account, coalesce(nullif(p.payee_name, ''), pp.name), p.amount
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
        if size >= BLOCK:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)
