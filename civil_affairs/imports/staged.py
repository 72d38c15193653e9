"""The staged import every registry import uses: read a file, check every row, show the dry
run, then save all rows (refused while any row is bad) or only the valid rows.

A domain app describes one import as a Spec and registers it (from its AppConfig.ready):

    @staged.register
    class InstitutionImport(staged.Spec):
        key = "eldercare.institutions"          # its page: /imports/eldercare.institutions/
        label = _("Institutions with residents")
        action = "institution.import"           # the policy action to upload and save
        group_by = "credit_code"                # optional: one group's rows pass or fail together
        columns = (staged.Column("credit_code", _("Unified social credit code"),
                                 aliases=("统一社会信用代码",), required=True), ...)

        def check_row(self, row, ctx): ...      # row.error(column, message), or raise
        def check_rows(self, rows, ctx): ...    # optional: across rows (duplicates…)
        def save(self, rows, ctx): ...          # the SAME services the forms call

The machinery reads the file (reading.py), maps its headers (column name, label in either
language, aliases; a title row above the headers is skipped), names missing required columns
once, keeps the spreadsheet's own row numbers, enforces the size and row limits, and runs
`save` in one transaction: a ValidationError raised there undoes everything.

`check(key, data, filename, user=…)` gives the dry run's Result; `run(…, valid_only=…)` checks
again and saves, returning the number of rows saved. The pages (views.py) and the job for big
files (tasks.py) call these two; so do the tests.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civil_affairs.areas import policy

from . import reading
from .reading import FileError

HEADER_SEARCH_ROWS = 10  # a title or a note above the headers is common in clerks' files
PROGRESS_EVERY = 200


def max_bytes() -> int:
    return int(getattr(settings, "IMPORTS_MAX_BYTES", 20 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "IMPORTS_MAX_ROWS", 50_000))


def job_rows() -> int:
    """Files with more rows than this are checked and saved by a Celery job."""
    return int(getattr(settings, "IMPORTS_JOB_ROWS", 2_000))


# ---- what a domain app declares ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the key in row.values
    label: Any  # lazy translatable label: the header in the user's language
    aliases: tuple[str, ...] = ()  # other headers clerks' files use (Chinese mostly)
    required: bool = False  # the file must have the column (a cell may still be empty)
    help: Any = ""  # shown on the upload page: what goes in the cell

    def headers(self) -> set[str]:
        """Every header that names this column, normalised."""
        names = {self.name, *self.aliases}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(self.label))
        return {normalise_header(n) for n in names}


class Row:
    """One row of the file: its spreadsheet row number, its values by column (stripped text,
    '' when empty) and the errors found, by column. `cleaned` is the spec's own: values it
    parsed in check_row for save to use."""

    __slots__ = ("cleaned", "errors", "number", "values")

    def __init__(self, number: int, values: dict[str, str]) -> None:
        self.number = number
        self.values = values
        self.errors: dict[str, list[str]] = {}
        self.cleaned: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Row({self.number}, {self.values!r}, errors={self.errors!r})"

    def error(self, column: str, message: str) -> None:
        messages = self.errors.setdefault(column, [])
        if str(message) not in messages:
            messages.append(str(message))

    def add(self, exc: ValidationError, column: str = "") -> None:
        """A service's ValidationError: on the column it names (a dict's keys), else `column`."""
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.error(column if key == "__all__" else key, message)
        else:
            for message in exc.messages:
                self.error(column, message)

    @property
    def ok(self) -> bool:
        return not self.errors

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)


@dataclass
class Context:
    """What check_row, check_rows and save share: the user, a cache for lookups shared across
    rows, and (while a job runs) a progress report."""

    user: Any
    spec: Spec
    valid_only: bool = False
    cache: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[str, int, int], None] | None = None

    def report(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def each(self, rows: list[Row]) -> Iterator[Row]:
        """The rows to save, one by one, moving the progress bar."""
        for done, row in enumerate(rows):
            if done % PROGRESS_EVERY == 0:
                self.report("saving", done, len(rows))
            yield row

    def groups(self, rows: list[Row]) -> Iterator[tuple[str, list[Row]]]:
        """The rows to save by the spec's group_by column, in file order, moving the progress
        bar (a spec without group_by gets one group per row)."""
        groups = group_rows(self.spec, rows)
        done = 0
        last = -PROGRESS_EVERY
        for key, members in groups.items():
            if done - last >= PROGRESS_EVERY:
                self.report("saving", done, len(rows))
                last = done
            yield key, members
            done += len(members)


class Spec:
    key: ClassVar[str]
    label: ClassVar[Any]
    action: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    group_by: ClassVar[str | None] = None
    # shown on the upload page above the columns (lazy text): what one row is
    description: ClassVar[Any] = ""
    # where the upload page links back to (a URL name without arguments), if anywhere
    back_url: ClassVar[str] = ""

    def check_row(self, row: Row, ctx: Context) -> None:
        """Check one row with the same cleaning functions the form's service uses."""

    def check_rows(self, rows: list[Row], ctx: Context) -> None:
        """Checks across rows (duplicates in the file…); optional."""

    def save(self, rows: list[Row], ctx: Context) -> None:
        """Write the checked, error-free rows through the services the forms call."""
        raise NotImplementedError

    # ---- helpers for the pages

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def header(self, name: str) -> str:
        """The column's header in the current language (a name the spec did not declare, e.g.
        a cross-row error on the file, is shown as is)."""
        column = self.column(name)
        return str(column.label) if column is not None else name

    def may_use(self, user: Any) -> bool:
        return policy.may(user, self.action)


_REGISTRY: dict[str, Spec] = {}


def register(cls: type[Spec]) -> type[Spec]:
    """Class decorator: make the spec's import page and functions available."""
    key = cls.key
    existing = _REGISTRY.get(key)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"two staged imports are registered as {key!r}")
    _REGISTRY[key] = cls()
    return cls


def get(key: str) -> Spec:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(key) from None


def specs() -> list[Spec]:
    return sorted(_REGISTRY.values(), key=lambda s: s.key)


def unregister(key: str) -> None:
    """For tests that register a spec of their own."""
    _REGISTRY.pop(key, None)


# ---- the result of a check (what the dry run shows) ----------------------------------------


@dataclass
class Result:
    """What the check found. Row numbers are the spreadsheet's (header row = 1 when it is the
    first row). JSON-safe through as_json/from_json (stored with the upload)."""

    problems: list[str] = field(default_factory=list)  # the file as a whole
    total: int = 0  # data rows read (blank rows not counted)
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    skipped: dict[int, int] = field(default_factory=dict)  # good row -> bad row of its group
    values: dict[int, dict[str, str]] = field(default_factory=dict)  # of the rows not saved
    columns: list[str] = field(default_factory=list)  # the spec's columns found in the file
    ignored: list[str] = field(default_factory=list)  # headers that name no column
    header_row: int = 1

    @property
    def ok(self) -> bool:
        return not self.problems and not self.errors and self.total > 0

    @property
    def valid(self) -> int:
        """Rows that would be saved with "valid rows only"."""
        if self.problems:
            return 0
        return self.total - len(self.errors) - len(self.skipped)

    @property
    def may_save_all(self) -> bool:
        return self.ok

    @property
    def may_save_valid(self) -> bool:
        return not self.problems and self.valid > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "problems": self.problems,
            "total": self.total,
            "errors": {str(k): v for k, v in self.errors.items()},
            "skipped": {str(k): v for k, v in self.skipped.items()},
            "values": {str(k): v for k, v in self.values.items()},
            "columns": self.columns,
            "ignored": self.ignored,
            "header_row": self.header_row,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        return cls(
            problems=list(data.get("problems", [])),
            total=int(data.get("total", 0)),
            errors={int(k): v for k, v in data.get("errors", {}).items()},
            skipped={int(k): int(v) for k, v in data.get("skipped", {}).items()},
            values={int(k): v for k, v in data.get("values", {}).items()},
            columns=list(data.get("columns", [])),
            ignored=list(data.get("ignored", [])),
            header_row=int(data.get("header_row", 1)),
        )


# ---- reading and checking -------------------------------------------------------------------


def normalise_header(text: Any) -> str:
    """A header as compared: full-width folded (NFKC), case, spaces, a required-mark "*" and a
    trailing colon ignored."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "*:\ufeff\u200b")


def _header_map(spec: Spec) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in spec.columns:
        for header in column.headers():
            mapping.setdefault(header, column.name)
    return mapping


def _join(items: Iterable[str]) -> str:
    return _(", ").join(items)


def read(spec: Spec, data: bytes, filename: str, result: Result) -> list[Row]:
    """The file's rows as Rows, or [] with result.problems saying why."""
    if len(data) > max_bytes():
        result.problems.append(_size_message(len(data)))
        return []
    try:
        return _read(spec, data, filename, result)
    except FileError as problem:
        result.problems.append(problem.message)
        return []


def _size_message(size: int) -> str:
    return _(
        "The file is %(size)s; at most %(limit)s may be uploaded: split it into smaller files."
    ) % {
        "size": _megabytes(size),
        "limit": _megabytes(max_bytes()),
    }


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _read(spec: Spec, data: bytes, filename: str, result: Result) -> list[Row]:
    mapping = _header_map(spec)
    stream = reading.rows(data, filename)
    # the header row: of the first rows, the one naming the most columns (a title row above
    # it is skipped); none names any: the first row, so that the missing columns are named
    head: list[reading.SheetRow] = []
    for sheet_row in stream:
        head.append(sheet_row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise FileError(
            _("The file has no rows: the first row must hold the column headers.")
            if reading.kind_of(data, filename) == "csv"
            else _("The workbook is empty: the first row must hold the column headers.")
        )
    scores = [sum(normalise_header(c) in mapping for c in r.cells) for r in head]
    best = max(range(len(head)), key=lambda i: (scores[i], -i))
    header = head[best]
    result.header_row = header.number
    positions: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        name = mapping.get(normalise_header(cell))
        if name is None:
            if cell:
                result.ignored.append(cell)
        elif name in positions:
            result.problems.append(
                _("The column “%(column)s” appears twice (columns %(first)s and %(second)s).")
                % {
                    "column": spec.header(name),
                    "first": _letter(positions[name]),
                    "second": _letter(index),
                }
            )
        else:
            positions[name] = index
    result.columns = [c.name for c in spec.columns if c.name in positions]
    missing = [c for c in spec.columns if c.required and c.name not in positions]
    if missing:
        result.problems.insert(
            0,
            ngettext("Missing column: %(columns)s", "Missing columns: %(columns)s", len(missing))
            % {"columns": _join(str(c.label) for c in missing)},
        )
    if result.problems:
        return []
    limit = max_rows()
    rows: list[Row] = []
    remaining = [*head[best + 1 :]]
    for sheet_row in _chain(remaining, stream):
        if len(rows) >= limit:
            raise FileError(
                _(
                    "The file has more than %(limit)d rows: split it into files of at most "
                    "%(limit)d rows."
                )
                % {"limit": limit}
            )
        cells = sheet_row.cells
        values = {
            name: (cells[index] if index < len(cells) else "") for name, index in positions.items()
        }
        rows.append(Row(sheet_row.number, values))
    result.total = len(rows)
    if not rows:
        result.problems.append(_("There are no rows below the column headers."))
    return rows


def _chain(first: list[reading.SheetRow], rest: Iterator[reading.SheetRow]) -> Iterator[Any]:
    yield from first
    yield from rest


def _letter(index: int) -> str:
    """A 0-based column index as Excel names it (A, B, … Z, AA…)."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def group_rows(spec: Spec, rows: list[Row]) -> dict[str, list[Row]]:
    """Rows by the spec's group_by value in file order (each row its own group without one)."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        key = row.values.get(spec.group_by, "") if spec.group_by else f"#{row.number}"
        groups.setdefault(key, []).append(row)
    return groups


def _check_rows(spec: Spec, rows: list[Row], ctx: Context, result: Result) -> None:
    for done, row in enumerate(rows):
        if done % PROGRESS_EVERY == 0:
            ctx.report("checking", done, len(rows))
        try:
            spec.check_row(row, ctx)
        except ValidationError as exc:
            row.add(exc, spec.columns[0].name)
        for column, value in row.values.items():
            if "\x00" in value:
                row.error(column, _("The cell holds a NUL character."))
    ctx.report("checking", len(rows), len(rows))
    try:
        spec.check_rows(rows, ctx)
    except ValidationError as exc:
        result.problems.extend(exc.messages)
    for row in rows:
        if row.errors:
            result.errors[row.number] = row.errors
            result.values[row.number] = row.values
    if spec.group_by:
        for members in group_rows(spec, rows).values():
            bad = next((r.number for r in members if r.errors), None)
            if bad is None:
                continue
            for row in members:
                if not row.errors:
                    result.skipped[row.number] = bad
                    result.values[row.number] = row.values


def _start(
    key: str,
    data: bytes,
    filename: str,
    user: Any,
    valid_only: bool,
    progress: Callable[[str, int, int], None] | None,
    result: Result | None = None,
) -> tuple[Result, list[Row], Context]:
    spec = get(key)
    policy.require(user, spec.action)
    ctx = Context(user=user, spec=spec, valid_only=valid_only, progress=progress)
    result = result if result is not None else Result()
    rows = read(spec, data, filename, result)
    if not result.problems:
        _check_rows(spec, rows, ctx, result)
    return result, rows, ctx


def check(
    key: str,
    data: bytes,
    filename: str,
    *,
    user: Any,
    progress: Callable[[str, int, int], None] | None = None,
) -> Result:
    """The dry run: every row checked, nothing written."""
    result, _rows, _ctx = _start(key, data, filename, user, False, progress)
    return result


def run(
    key: str,
    data: bytes,
    filename: str,
    *,
    user: Any,
    valid_only: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    result: Result | None = None,
) -> int:
    """Check the file again (the records on file may have changed since the dry run) and save:
    every row when all are good, else with `valid_only` the good rows (whole groups).
    Returns the number of rows saved; raises ValidationError (nothing written) otherwise.
    `result`, when given, is filled with this second check (the page shows it)."""
    result, rows, ctx = _start(key, data, filename, user, valid_only, progress, result)
    if result.problems:
        raise ValidationError(result.problems)
    if result.errors and not valid_only:
        raise ValidationError(
            ngettext(
                "Nothing was imported: %(n)d row is wrong.",
                "Nothing was imported: %(n)d rows are wrong.",
                len(result.errors),
            )
            % {"n": len(result.errors)}
        )
    good = [r for r in rows if r.number not in result.errors and r.number not in result.skipped]
    if not good:
        raise ValidationError(_("Nothing was imported: no row is correct."))
    with transaction.atomic():
        ctx.spec.save(good, ctx)
    ctx.report("saving", len(good), len(good))
    return len(good)
