"""Loading a department's file: COPY into a staging table, validate in SQL, keep the valid rows.

1. The heading row is read here (and at upload, so that a missing column is refused at once).
2. The file's bytes go to PostgreSQL with `COPY … FROM STDIN (FORMAT csv)` into a temporary
   table with one text column per heading and the row's number. xlsx files are first turned
   into CSV rows. A file whose rows do not all have the heading's number of columns makes
   COPY fail; it is then read again here, row by row, and those rows are rejected.
3. One statement validates every row (ID number with the same checks as
   `core.validators.clean_id_number`, required fields filled in, dates, amounts) and inserts
   the valid rows into ListRow and the others, with their row number and problem, into
   RejectedRow. All in one transaction: a load is complete or not there at all.

Row numbers are those a spreadsheet shows: the heading is row 1, the first data row 2.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psycopg
from django.core.exceptions import ValidationError
from django.db import DataError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from civil_affairs.core import status

from .kinds import Field, FieldType, fields_of
from .models import ExternalList, RejectedRow

BLOCK = 1 << 20  # bytes per COPY write
PROGRESS_EVERY = 0.5  # seconds between progress updates
SNIFF = 1 << 16  # bytes read to tell the encoding
# Parts of the progress bar: sending the file, then checking and keeping the rows.
COPY_SHARE = 60

LIMITS = {"name": 100, "detail": 300}  # ListRow's column lengths
FULLWIDTH = ("０１２３４５６７８９ｘＸ", "0123456789XX")
WHITESPACE = " \t\r\n\u3000\u00a0"


@dataclass(frozen=True)
class Heading:
    encoding: str
    columns: list[str]


# ---- reading the heading ------------------------------------------------------------------


def is_xlsx(name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm"))


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as such, else GB18030 (GBK's superset,
    what Chinese spreadsheets save as 'CSV')."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def read_heading(fileobj: IO[bytes], name: str, delimiter: str = ",") -> Heading:
    """The column headings of an uploaded file (its first row)."""
    fileobj.seek(0)
    if is_xlsx(name):
        heading = Heading("utf-8", _xlsx_heading(fileobj))
    else:
        head = fileobj.read(SNIFF)
        encoding = detect_encoding(head)
        text = head.decode(encoding, errors="replace")
        first = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        heading = Heading(encoding, [_clean_heading(c) for c in first])
    fileobj.seek(0)
    if not any(heading.columns):
        raise ValidationError({"file": _("The file is empty or has no heading row.")})
    return heading


def _clean_heading(value: object) -> str:
    return str(value if value is not None else "").lstrip("\ufeff").strip(WHITESPACE)


def _xlsx_heading(fileobj: IO[bytes]) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise ValidationError({"file": _("This is not an Excel (xlsx) file.")}) from exc
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(max_row=1, values_only=True):
            return [_clean_heading(c) for c in row]
        return []
    finally:
        book.close()


def check_mapping(kind: str, mapping: dict[str, str], heading: Heading) -> dict[str, int]:
    """Field → column index. Refuses a mapping that leaves a required field out, names for
    it a column the file does not have, or a column the file has twice. An optional field
    whose column the file lacks is left empty (the list's page says which)."""
    errors: dict[str, list[str]] = {}
    index: dict[str, int] = {}
    for field in fields_of(kind):
        column = (mapping.get(field.name) or "").strip()
        if not column:
            if field.required:
                errors.setdefault(f"col_{field.name}", []).append(
                    _("“%(field)s” is required: name its column.") % {"field": field.label}
                )
            continue
        found = [i for i, c in enumerate(heading.columns) if c == column]
        if not found and not field.required:
            continue
        if not found:
            errors.setdefault(f"col_{field.name}", []).append(
                _("The file has no column “%(column)s” (for %(field)s). Its columns: %(all)s.")
                % {"column": column, "field": field.label, "all": "、".join(heading.columns)}
            )
        elif len(found) > 1:
            errors.setdefault(f"col_{field.name}", []).append(
                _("The file has the column “%(column)s” twice.") % {"column": column}
            )
        else:
            index[field.name] = found[0]
    if errors:
        raise ValidationError(errors)
    return index


# ---- loading ----------------------------------------------------------------------------


class _Progress:
    """Writes a list's progress from a connection of its own, so that the page polling it
    sees it while the load's own transaction is still open."""

    def __init__(self, list_id: int) -> None:
        self.list_id = list_id
        self.last = 0.0
        self.conn: psycopg.Connection[Any] | None = None

    def __call__(self, percent: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        try:
            if self.conn is None:
                self.conn = psycopg.connect(**_connect_params(), autocommit=True)
            self.conn.execute(
                "UPDATE crosscheck_externallist SET progress = %s WHERE id = %s",
                (percent, self.list_id),
            )
        except psycopg.Error:  # progress is a courtesy: never fail a load for it
            self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _connect_params() -> dict[str, Any]:
    params = connection.get_connection_params()
    return {
        k: v
        for k, v in params.items()
        if k not in {"cursor_factory", "context", "prepare_threshold"}
    }


def list_load(*, external_list: ExternalList) -> ExternalList:
    """Load a pending (or failed) list. Called by the Celery task; safe to call again."""
    lst = ExternalList.objects.get(pk=external_list.pk)
    if lst.status == ExternalList.Status.LOADED:
        return lst
    with transaction.atomic():
        status.transition(lst, ExternalList.Status.LOADING, actor=lst.uploaded_by, note="")
    progress = _Progress(lst.pk)
    try:
        with transaction.atomic():
            _load(lst, progress)
    except Exception as exc:
        with transaction.atomic():
            lst.refresh_from_db()
            lst.error = _load_error_text(exc)
            status.transition(
                lst, ExternalList.Status.FAILED, actor=lst.uploaded_by, note=lst.error[:300]
            )
        progress.close()
        if isinstance(exc, ValidationError | DataError | psycopg.DataError):
            return lst
        raise
    progress.close()
    lst.refresh_from_db()
    return lst


def _load_error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def _load(lst: ExternalList, progress: _Progress) -> None:
    fields = fields_of(lst.kind)
    with _csv_file(lst) as (path, encoding):
        with path.open("rb") as handle:
            heading = read_heading(handle, "x.csv", lst.delimiter)
        index = check_mapping(lst.kind, lst.columns, heading)
        ncols = len(heading.columns)
        size = max(path.stat().st_size, 1)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            try:
                with transaction.atomic():
                    _create_staging(cursor, ncols, identity=True)
                    _copy_fast(cursor, path, ncols, encoding, lst.delimiter, size, progress)
            except (DataError, psycopg.DataError):
                # rows with too few or too many columns (or bytes the encoding lacks):
                # read the file here and reject those rows by number
                _create_staging(cursor, ncols, identity=False)
                _copy_checked(cursor, lst, path, ncols, encoding, size, progress)
            progress(COPY_SHARE, force=True)
            loaded = _validate_and_keep(cursor, lst, fields, index)
    lst.rows_loaded = loaded
    lst.rows_rejected = RejectedRow.objects.filter(list=lst).count()
    lst.rows_total = lst.rows_loaded + lst.rows_rejected
    lst.progress = 100
    lst.loaded_at = timezone.now()
    lst.error = ""
    lst.encoding = encoding
    status.transition(lst, ExternalList.Status.LOADED, actor=lst.uploaded_by, note="")


@contextmanager
def _csv_file(lst: ExternalList) -> Iterator[tuple[Path, str]]:
    """The list as a CSV file on disk, and its encoding (xlsx is converted to UTF-8 CSV)."""
    source = Path(lst.file.path)
    if not is_xlsx(lst.original_name or source.name):
        with source.open("rb") as handle:
            encoding = detect_encoding(handle.read(SNIFF))
        yield source, encoding
        return
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "list.csv"
        _xlsx_to_csv(source, target, lst.delimiter)
        yield target, "utf-8"


def _xlsx_to_csv(source: Path, target: Path, delimiter: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=delimiter)
            for row in sheet.iter_rows(values_only=True):
                writer.writerow([_cell_text(v) for v in row])
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _staging_columns(ncols: int) -> list[sql.Identifier]:
    return [sql.Identifier(f"c{i}") for i in range(ncols)]


def _create_staging(cursor: Any, ncols: int, *, identity: bool) -> None:
    number = "n bigint GENERATED ALWAYS AS IDENTITY" if identity else "n bigint NOT NULL"
    columns = sql.SQL(", ").join(sql.SQL("{} text").format(c) for c in _staging_columns(ncols))
    cursor.execute(
        sql.SQL("DROP TABLE IF EXISTS crosscheck_staging; ").as_string(cursor.connection)
        + sql.SQL("CREATE TEMP TABLE crosscheck_staging ({}, {}) ON COMMIT DROP")
        .format(sql.SQL(number), columns)
        .as_string(cursor.connection)
    )


def _copy_fast(
    cursor: Any,
    path: Path,
    ncols: int,
    encoding: str,
    delimiter: str,
    size: int,
    progress: _Progress,
) -> None:
    statement = sql.SQL(
        "COPY crosscheck_staging ({}) FROM STDIN "
        "WITH (FORMAT csv, HEADER true, DELIMITER {}, ENCODING {})"
    ).format(
        sql.SQL(", ").join(_staging_columns(ncols)),
        sql.Literal(delimiter),
        sql.Literal("UTF8" if encoding == "utf-8" else "GB18030"),
    )
    sent = 0
    with path.open("rb") as handle, cursor.copy(statement) as copy:
        while block := handle.read(BLOCK):
            copy.write(block)
            sent += len(block)
            progress(COPY_SHARE * sent // size)


def _copy_checked(
    cursor: Any,
    lst: ExternalList,
    path: Path,
    ncols: int,
    encoding: str,
    size: int,
    progress: _Progress,
) -> None:
    """The slow path: parse here; rows with the wrong number of columns are rejected."""
    columns = sql.SQL(", ").join([sql.Identifier("n"), *_staging_columns(ncols)])
    bad: list[RejectedRow] = []
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=lst.delimiter)
        next(reader, None)  # the heading
        with cursor.copy(sql.SQL("COPY crosscheck_staging ({}) FROM STDIN").format(columns)) as cp:
            for number, record in enumerate(reader, start=1):
                if not any(cell.strip() for cell in record):
                    continue  # a blank line: nothing to load, nothing to report
                if len(record) != ncols:
                    bad.append(
                        RejectedRow(
                            list=lst,
                            row_number=number + 1,
                            problem=RejectedRow.Problem.COLUMNS,
                            value=f"{len(record)}/{ncols}",
                        )
                    )
                    continue
                cp.write_row([number, *(cell.replace("\x00", "") for cell in record)])
                if number % 10000 == 0:
                    progress(COPY_SHARE * min(raw.tell(), size) // size)
    RejectedRow.objects.bulk_create(bad, batch_size=5000)


def _validate_and_keep(
    cursor: Any, lst: ExternalList, fields: list[Field], index: dict[str, int]
) -> int:
    """One statement: check every staged row, keep the valid ones, report the others."""
    cursor.execute(_validation_sql(fields, index), {"list": lst.pk, "today": timezone.localdate()})
    loaded, _rejected = cursor.fetchone()
    return int(loaded)


def _validation_sql(fields: list[Field], index: dict[str, int]) -> str:
    """The SQL that checks staged rows; built from the kind's fields and the mapping.

    Only column numbers and our own field names go into the text; values are parameters.
    """
    raw: list[str] = []  # raw_<field>: the cell, trimmed, NULL when empty
    parsed: list[str] = []  # the typed value of each field
    problems: list[str] = []  # CASE branches: the first problem of the row
    bad_value: list[str] = []
    by_name = {f.name: f for f in fields}
    for name in ("id_number", "name", "event_date", "value", "detail"):
        field = by_name.get(name)
        column = index.get(name) if field else None
        if column is None:
            raw.append(f"NULL::text AS raw_{name}")
            continue
        cell = f"s.c{int(column)}"
        if field.type == FieldType.ID:
            raw.append(
                f"nullif(upper(btrim(translate({cell}, '{FULLWIDTH[0]}', '{FULLWIDTH[1]}'), "
                f"E'{_sql_escape(WHITESPACE)}')), '') AS raw_{name}"
            )
        else:
            raw.append(f"nullif(btrim({cell}, E'{_sql_escape(WHITESPACE)}'), '') AS raw_{name}")
    # required fields first, in the kind's order, then the ID number's checks, then formats
    for field in fields:
        if field.required and field.name in index:
            problems.append(f"WHEN raw_{field.name} IS NULL THEN '{field.name}:missing'")
    problems.append(
        "WHEN crosscheck_id_problem(raw_id_number, %(today)s) IS NOT NULL "
        "THEN 'id_number:' || crosscheck_id_problem(raw_id_number, %(today)s)"
    )
    if "event_date" in index:
        parsed.append("crosscheck_ymd_date(crosscheck_date_parts(raw_event_date)) AS event_date")
        problems.append(
            "WHEN raw_event_date IS NOT NULL AND "
            "crosscheck_ymd_date(crosscheck_date_parts(raw_event_date)) IS NULL "
            "THEN 'event_date:bad_date'"
        )
    else:
        parsed.append("NULL::date AS event_date")
    if "value" in index:
        parsed.append("crosscheck_amount_text(raw_value)::numeric(14, 2) AS value")
        problems.append(
            "WHEN raw_value IS NOT NULL AND crosscheck_amount_text(raw_value) IS NULL "
            "THEN 'value:bad_amount'"
        )
    else:
        parsed.append("NULL::numeric AS value")
    for name, limit in LIMITS.items():
        if name in index:
            problems.append(f"WHEN length(raw_{name}) > {int(limit)} THEN '{name}:too_long'")
    for name in ("id_number", "name", "event_date", "value", "detail"):
        bad_value.append(f"WHEN '{name}' THEN raw_{name}")
    return f"""
WITH src AS (
    SELECT s.n, {", ".join(raw)} FROM crosscheck_staging s
), checked AS MATERIALIZED (
    SELECT src.*, {", ".join(parsed)},
           CASE {" ".join(problems)} END AS problem
    FROM src
), rejected AS (
    INSERT INTO crosscheck_rejectedrow (list_id, row_number, field, problem, value)
    SELECT %(list)s, n + 1, split_part(problem, ':', 1), split_part(problem, ':', 2),
           left(coalesce(CASE split_part(problem, ':', 1) {" ".join(bad_value)} END, ''), 200)
    FROM checked WHERE problem IS NOT NULL
    RETURNING 1
), kept AS (
    INSERT INTO crosscheck_listrow
        (list_id, row_number, id_number, name, event_date, value, detail)
    SELECT %(list)s, n + 1, raw_id_number, coalesce(raw_name, ''), event_date, value,
           coalesce(raw_detail, '')
    FROM checked WHERE problem IS NULL
    ORDER BY n
    RETURNING 1
)
SELECT (SELECT count(*) FROM kept), (SELECT count(*) FROM rejected)
"""  # noqa: S608 - only our own constants are formatted in


def _sql_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
