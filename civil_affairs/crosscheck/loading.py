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
import functools
import io
import logging
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

from .kinds import Field, fields_of
from .models import ExternalList, ListRow, RejectedRow
from .quickcheck import QuickCheck

BLOCK = 1 << 20  # bytes per COPY write
PROGRESS_EVERY = 0.5  # seconds between progress updates
SNIFF = 1 << 16  # bytes read to tell the encoding
# Parts of the progress bar: sending the file, then checking and keeping the rows.
COPY_SHARE = 60

logger = logging.getLogger(__name__)

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
    """Load a pending (or failed) list. Called by the Celery task; safe to call again, also on
    a list a crashed load left "loading" (its transaction never committed: nothing of it is
    there, and the task is delivered again)."""
    lst = ExternalList.objects.get(pk=external_list.pk)
    if lst.status == ExternalList.Status.LOADED:
        return lst
    if lst.status != ExternalList.Status.LOADING:
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
    started = time.monotonic()
    today = timezone.localdate()
    fields = fields_of(lst.kind)
    with _csv_file(lst) as (path, encoding):
        with path.open("rb") as handle:
            heading = read_heading(handle, "x.csv", lst.delimiter)
        index = check_mapping(lst.kind, lst.columns, heading)
        layout = _layout(heading, index)
        lst.extra_columns = [
            heading.columns[i] for i, column in enumerate(layout) if column and column[0] == "x"
        ]
        size = max(path.stat().st_size, 1)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # one transaction per list: a crash before its commit reaches the disk leaves the
            # list "loading", to be loaded again, as a crash during the load does
            cursor.execute("SET LOCAL synchronous_commit = off")
            counted: tuple[int, int] | None = None
            to_judge: list[int] | None = None  # the rows the quick check doubts
            if None not in layout:  # every column of the file has a place: COPY it as it is
                quick = QuickCheck(fields, index, LIMITS, lst.delimiter, encoding, today)
                try:
                    with transaction.atomic():
                        _create_partition(cursor, lst)
                        counted = _copy_fast(
                            cursor, lst, path, layout, encoding, size, progress, quick
                        )
                        to_judge = quick.rows_to_judge(counted[0])
                except (DataError, psycopg.DataError):
                    counted = None  # a row with too few or many columns, or bytes of no encoding
            if counted is None:
                _create_partition(cursor, lst)
                counted = _copy_checked(cursor, lst, path, layout, encoding, size, progress)
            copied = time.monotonic()
            progress(COPY_SHARE, force=True)
            _validate(cursor, lst, fields, index, today, to_judge)
            checked = time.monotonic()
            progress(90, force=True)
            _attach(cursor, lst)
    logger.info(
        "list %s: copied in %.2f s, checked in %.2f s, attached in %.2f s",
        lst.pk,
        copied - started,
        checked - copied,
        time.monotonic() - checked,
    )
    lst.rows_rejected = RejectedRow.objects.filter(list=lst).count()
    lst.rows_total, lst.last_row = counted
    lst.rows_loaded = lst.rows_total - lst.rows_rejected
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


# ---- the list's partition ----------------------------------------------------------------


def _layout(heading: Heading, index: dict[str, int]) -> list[str | None]:
    """The ListRow column of each column of the file: its field, else x0, x1, … (None: no
    place left, the column is not kept)."""
    by_position = {position: name for name, position in index.items()}
    layout: list[str | None] = []
    extra = 0
    for position in range(len(heading.columns)):
        if position in by_position:
            layout.append(by_position[position])
        elif extra < ListRow.EXTRA_COLUMNS:
            layout.append(f"x{extra}")
            extra += 1
        else:
            layout.append(None)
    return layout


def partition_name(lst: ExternalList) -> str:
    return f"crosscheck_listrow_{int(lst.pk)}"


def _create_partition(cursor: Any, lst: ExternalList) -> None:
    """A table for the list's rows, attached to ListRow once they are checked. Row ids are
    the list's id × ROW_SPAN + the spreadsheet row number, which a sequence of its own
    (cached: it is this load's alone) gives COPY, starting at row 2."""
    table = partition_name(lst)
    base = int(lst.pk) * ListRow.ROW_SPAN
    cursor.execute(
        sql.SQL(
            "DROP TABLE IF EXISTS {table}; "
            "CREATE TABLE {table} "
            "(LIKE crosscheck_listrow INCLUDING DEFAULTS INCLUDING GENERATED); "
            "CREATE SEQUENCE {seq} START 2 CACHE 10000 OWNED BY {table}.id; "
            "ALTER TABLE {table} "
            "ALTER COLUMN id SET DEFAULT {base} + nextval({seq_name}), "
            "ALTER COLUMN list_id SET DEFAULT {list}, "
            "ADD CONSTRAINT {check} CHECK (id > {base} AND id < {end})"
        )
        .format(
            table=sql.Identifier(table),
            seq=sql.Identifier(f"{table}_seq"),
            seq_name=sql.Literal(f"{table}_seq"),
            check=sql.Identifier(f"{table}_range"),
            base=sql.Literal(base),
            end=sql.Literal(base + ListRow.ROW_SPAN),
            list=sql.Literal(int(lst.pk)),
        )
        .as_string(cursor.connection)
    )


def _copy_fast(
    cursor: Any,
    lst: ExternalList,
    path: Path,
    layout: list[str | None],
    encoding: str,
    size: int,
    progress: _Progress,
    quick: QuickCheck,
) -> tuple[int, int]:
    """The file's bytes straight into the list's table, its rows checked on the way
    (`quick`). Returns the number of rows and the number of the last (the heading is row 1).
    FREEZE: the table is this transaction's own, so its rows are written as already visible
    to all, and no later scan or vacuum has to visit every page again to say so."""
    statement = sql.SQL(
        "COPY {table} ({columns}) FROM STDIN "
        "WITH (FORMAT csv, HEADER true, DELIMITER {delimiter}, ENCODING {encoding}, FREEZE)"
    ).format(
        table=sql.Identifier(partition_name(lst)),
        columns=sql.SQL(", ").join(sql.Identifier(c) for c in layout if c),
        delimiter=sql.Literal(lst.delimiter),
        encoding=sql.Literal("UTF8" if encoding == "utf-8" else "GB18030"),
    )
    sent = 0
    with path.open("rb") as handle, cursor.copy(statement) as copy:
        while block := handle.read(BLOCK):
            copy.write(block)
            quick.feed(block)  # while PostgreSQL writes the block
            sent += len(block)
            progress(COPY_SHARE * sent // size)
    rows = int(cursor.rowcount)
    if rows >= ListRow.ROW_SPAN - 2:
        raise ValidationError(
            _("A list can have at most %(n)d rows.") % {"n": ListRow.ROW_SPAN - 2}
        )
    return rows, rows + 1


def _copy_checked(
    cursor: Any,
    lst: ExternalList,
    path: Path,
    layout: list[str | None],
    encoding: str,
    size: int,
    progress: _Progress,
) -> tuple[int, int]:
    """The slow path: parse here; rows with the wrong number of columns are rejected, the
    columns with no place (more than ListRow.EXTRA_COLUMNS unmapped) are left out."""
    keep = [i for i, column in enumerate(layout) if column]
    columns = sql.SQL(", ").join(
        [sql.Identifier("id"), *(sql.Identifier(str(layout[i])) for i in keep)]
    )
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN WITH (FREEZE)").format(
        table=sql.Identifier(partition_name(lst)), columns=columns
    )
    base = int(lst.pk) * ListRow.ROW_SPAN
    bad: list[RejectedRow] = []
    rows, last = 0, 1
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=lst.delimiter)
        next(reader, None)  # the heading
        with cursor.copy(statement) as copy:
            for number, record in enumerate(reader, start=2):
                if not any(cell.strip() for cell in record):
                    continue  # a blank line: nothing to load, nothing to report
                rows, last = rows + 1, number
                if len(record) != len(layout):
                    bad.append(
                        RejectedRow(
                            list=lst,
                            row_number=number,
                            problem=RejectedRow.Problem.COLUMNS,
                            value=f"{len(record)}/{len(layout)}",
                        )
                    )
                    continue
                copy.write_row([base + number, *(record[i].replace("\x00", "") for i in keep)])
                if number % 10000 == 0:
                    progress(COPY_SHARE * min(raw.tell(), size) // size)
    RejectedRow.objects.bulk_create(bad, batch_size=5000)
    return rows, last


def _attach(cursor: Any, lst: ExternalList) -> None:
    """Index the rows (BRIN: they lie in id order), attach the table to ListRow (its CHECK
    constraint spares the scan) and give the planner its statistics."""
    table = sql.Identifier(partition_name(lst))
    base = int(lst.pk) * ListRow.ROW_SPAN
    cursor.execute(
        sql.SQL(
            "CREATE INDEX {index} ON {table} USING brin (id); "
            "ALTER TABLE crosscheck_listrow ATTACH PARTITION {table} "
            "FOR VALUES FROM ({base}) TO ({end}); "
            "SET LOCAL default_statistics_target = 10; "
            "ANALYZE {table}"
        )
        .format(
            index=sql.Identifier(f"{partition_name(lst)}_id"),
            table=table,
            base=sql.Literal(base),
            end=sql.Literal(base + ListRow.ROW_SPAN),
        )
        .as_string(cursor.connection)
    )


# ---- validation --------------------------------------------------------------------------


def _validate(
    cursor: Any,
    lst: ExternalList,
    fields: list[Field],
    index: dict[str, int],
    today: datetime.date,
    to_judge: list[int] | None,
) -> None:
    """Set aside the rows that are not valid *as written* (a bad ID number, an empty required
    cell, a date or amount not written the usual way, a too long text) and judge them.

    1. Mostly the quick check did it as the file went to COPY (`to_judge`: the rows it
       doubts, often none). When it could not read the file (None), one scan here does the
       same in SQL (`_fast_ok`; PostgreSQL may share it between processes).
    2. The rows set aside are looked at again: the ones that are valid once tidied (spaces,
       a small x, full-width digits, 2026/3/10) are rewritten the usual way; the others are
       removed from the list and reported with their row number and problem.
    """
    if to_judge == []:
        return
    table = partition_name(lst)  # crosscheck_listrow_<int>: safe to write into the SQL
    base = int(lst.pk) * ListRow.ROW_SPAN
    if to_judge is None:
        aside, params = f"NOT ({_fast_ok(fields, index)})", fast_ok_params(today)
    else:
        aside, params = (
            "id = ANY (%(to_judge)s::bigint[])",
            {"to_judge": [base + n for n in to_judge]},
        )
    cursor.execute("SET LOCAL parallel_setup_cost = 100")
    # simple expressions over a million rows: compiling them (in every worker) costs more
    # than it saves
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("DROP TABLE IF EXISTS crosscheck_judged")
    cursor.execute(_ASIDE_SQL.replace("@TABLE@", table).replace("@ASIDE@", aside), params)
    cursor.execute(
        _JUDGE_SQL.replace("@TABLE@", table).replace("@PROBLEMS@", _problems(fields, index)),
        {"list": int(lst.pk), "base": base, "today": today},
    )


# Rows not valid as written, into a temporary table.
_ASIDE_SQL = """
CREATE TEMP TABLE crosscheck_judged ON COMMIT DROP AS
SELECT ctid AS t, id, id_number, name, event_date, value, detail FROM @TABLE@
WHERE @ASIDE@
"""

# Every day from 1900 as YYYYMMDD (birth dates: up to today) and as YYYY-MM-DD (other
# dates, up to 2099), sent as arrays: PostgreSQL looks a value up in a constant array by a
# hash (cheaper per row than a hashed subquery). A date outside is left to the full check,
# which may well pass it.
_BIRTH_DAYS = "ANY (%(birth_days)s::text[])"
_ISO_DAYS = "ANY (%(iso_days)s::text[])"
_FIRST_DAY = datetime.date(1900, 1, 1)


@functools.cache
def _days(last: datetime.date, dashes: bool) -> str:
    """The days as an array literal: one string to send, not a list to quote item by item."""
    ordinal = _FIRST_DAY.toordinal()
    days = ",".join(
        datetime.date.fromordinal(n).isoformat() for n in range(ordinal, last.toordinal() + 1)
    )
    return "{" + (days if dashes else days.replace("-", "")) + "}"


def fast_ok_params(today: datetime.date) -> dict[str, Any]:
    """The parameters of the quick check (_fast_ok)."""
    return {
        "today": today,
        "birth_days": _days(today, dashes=False),
        "iso_days": _days(datetime.date(2099, 12, 31), dashes=True),
    }


def _fast_ok(fields: list[Field], index: dict[str, int]) -> str:
    """Valid as written: what most rows are (quickcheck.QuickCheck is the same on the file's
    bytes). Each column is named once, so that PostgreSQL computes nothing twice. The check
    character comes from the row's bytes (`textsend`: a column computed as COPY writes the
    row would make COPY form every row twice)."""
    checks = [
        # octet_length, not length: the same once every character is a digit or X (one
        # byte each), and it counts no characters
        "octet_length(id_number) = 18 AND ltrim(id_number, '0123456789') IN ('', 'X')",
        f"substr(id_number, 7, 8) = {_BIRTH_DAYS}",
        "crosscheck_checksum_ok(textsend(id_number))",
    ]
    by_name = {f.name: f for f in fields}
    if "event_date" in index:
        date = f"event_date = {_ISO_DAYS}"
        optional = not by_name["event_date"].required
        checks.append(f"(event_date IS NULL OR event_date = '' OR {date})" if optional else date)
    if "value" in index:
        amount = "value ~ '^-?[0-9]{1,12}(\\.[0-9]{1,2})?$'"
        optional = not by_name["value"].required
        checks.append(f"(value IS NULL OR value = '' OR {amount})" if optional else amount)
    for name in ("name", "detail"):
        if name not in index:
            continue
        limit = f"length({name}) <= {int(LIMITS[name])}"
        if by_name[name].required:
            checks.append(f"(btrim({name}) <> '' AND {limit})")
        else:
            checks.append(f"({name} IS NULL OR {limit})")
    return " AND ".join(f"coalesce({c}, false)" for c in checks)


def _problems(fields: list[Field], index: dict[str, int]) -> str:
    """CASE branches: the first problem of a row set aside."""
    problems: list[str] = []
    for field in fields:
        if field.required and field.name in index:
            problems.append(f"WHEN raw_{field.name} IS NULL THEN '{field.name}:missing'")
    problems.append("WHEN id_problem IS NOT NULL THEN 'id_number:' || id_problem")
    problems.append("WHEN raw_event_date IS NOT NULL AND day IS NULL THEN 'event_date:bad_date'")
    problems.append("WHEN raw_value IS NOT NULL AND amount IS NULL THEN 'value:bad_amount'")
    for name, limit in LIMITS.items():
        problems.append(f"WHEN length(raw_{name}) > {int(limit)} THEN '{name}:too_long'")
    return " ".join(problems)


_TRIM = "E'" + " \\t\\r\\n\u3000\u00a0" + "'"

# The rows set aside, tidied and judged: the bad ones reported and removed, the others
# rewritten the usual way. Few rows: the functions need not be fast here.
_JUDGE_SQL = (
    """
WITH tidied AS MATERIALIZED (
    SELECT t, id,
           nullif(upper(btrim(translate(id_number, '@FW0@', '@FW1@'), @TRIM@)), '')
               AS raw_id_number,
           nullif(btrim(name, @TRIM@), '') AS raw_name,
           nullif(btrim(event_date, @TRIM@), '') AS raw_event_date,
           nullif(btrim(value, @TRIM@), '') AS raw_value,
           nullif(btrim(detail, @TRIM@), '') AS raw_detail
    FROM crosscheck_judged
), judged AS MATERIALIZED (
    SELECT j.*, CASE @PROBLEMS@ END AS problem FROM (
        SELECT tidied.*, crosscheck_id_problem(raw_id_number, %(today)s) AS id_problem,
               crosscheck_ymd_date(crosscheck_date_parts(raw_event_date)) AS day,
               crosscheck_amount_text(raw_value) AS amount
        FROM tidied
    ) AS j
), rejected AS (
    INSERT INTO crosscheck_rejectedrow (list_id, row_number, field, problem, value)
    SELECT %(list)s, id - %(base)s, split_part(problem, ':', 1), split_part(problem, ':', 2),
           left(coalesce(CASE split_part(problem, ':', 1)
               WHEN 'id_number' THEN raw_id_number WHEN 'name' THEN raw_name
               WHEN 'event_date' THEN raw_event_date WHEN 'value' THEN raw_value
               WHEN 'detail' THEN raw_detail END, ''), 200)
    FROM judged WHERE problem IS NOT NULL
    RETURNING 1
), removed AS (
    DELETE FROM @TABLE@
    WHERE ctid = ANY (ARRAY(SELECT t FROM judged WHERE problem IS NOT NULL))
    RETURNING 1
), tidy AS (
    UPDATE @TABLE@ p
    SET id_number = j.raw_id_number, name = j.raw_name, event_date = j.day::text,
        value = j.amount::numeric(14, 2)::text, detail = j.raw_detail
    FROM judged j
    WHERE p.ctid = ANY (ARRAY(SELECT t FROM judged WHERE problem IS NULL)) AND p.ctid = j.t
    RETURNING 1
)
SELECT (SELECT count(*) FROM rejected), (SELECT count(*) FROM removed), (SELECT count(*) FROM tidy)
""".replace("@TRIM@", _TRIM)
    .replace("@FW0@", FULLWIDTH[0])
    .replace("@FW1@", FULLWIDTH[1])
)
