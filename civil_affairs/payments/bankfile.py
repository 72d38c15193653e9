"""The fixed-width bank files: the payment file we send and the result file the bank returns.

This module is the one place the layout lives. Both files are GB18030 text (GBK-compatible:
a Chinese character takes two bytes), one record per line, lines ending in CRLF. Every
record of a file has the same length in bytes; fields are cut and padded in bytes, never in
the middle of a character. Text is left-aligned and padded with spaces, numbers are
right-aligned and padded with zeros. Amounts are in fen (分), so 1,234.50 yuan is
000000000123450.

Payment file (发放文件), records of 120 bytes:

    record   bytes     field
    H        1         record type "H"
             2-13      batch number: the payroll id, 12 digits
             14-19     payroll month, YYYYMM
             20-27     file date, YYYYMMDD
             28-120    spaces
    D        1         record type "D", one per payment
             2-17      reference: the payment id, 16 digits (unique over all payrolls)
             18-49     beneficiary's account number, 32
             50-89     beneficiary's name, 40 bytes
             90-104    amount in fen, 15 digits
             105-120   spaces
    T        1         record type "T", the control record, last
             2-11      number of D records, 10 digits
             12-29     total of the D amounts in fen, 18 digits
             30-120    spaces

Result file (回盘文件), records of 180 bytes: the payment file's records with, on each D
record, the bank's result appended:

    D        105       result: "S" paid, "F" failed
             106-165   the bank's reason for a failure (60 bytes; spaces when paid)
             166-180   spaces
    H, T     121-180   spaces

The bank returns one D record per payment it received, in any order, and a T record whose
count and total cover the D records of the result file.

A result file is read in one encoding, strictly: GB18030 as above, or UTF-8 when the
uploader says so or the whole file is UTF-8 (a BOM, or every line valid UTF-8); its field
widths are then bytes of UTF-8. A line that does not decode, a UTF-8 line inside a GB18030
file (it would decode as nonsense), or a field that cuts a character in two is refused with
its line number, and the file with it.
"""

from __future__ import annotations

import codecs
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from civil_affairs.core.money import to_yuan

ENCODING = "gb18030"
UTF8 = "utf-8"
ENCODINGS = (ENCODING, UTF8)  # a result file's, declared or detected
NEWLINE = b"\r\n"
PAYMENT_RECORD = 120
RESULT_RECORD = 180

# (start, length) in bytes, 0-based
TYPE = (0, 1)
H_BATCH = (1, 12)
H_MONTH = (13, 6)
H_DATE = (19, 8)
D_REFERENCE = (1, 16)
D_ACCOUNT = (17, 32)
D_NAME = (49, 40)
D_AMOUNT = (89, 15)
D_RESULT = (104, 1)
D_REASON = (105, 60)
T_COUNT = (1, 10)
T_TOTAL = (11, 18)

PAID = "S"
FAILED = "F"


def reference(payment_id: int) -> str:
    """The payment's reference in bank files: its id, 16 digits."""
    return f"{payment_id:0{D_REFERENCE[1]}d}"


def payment_id(ref: str) -> int | None:
    ref = ref.strip()
    return int(ref) if ref.isdigit() else None


def fen(amount: Decimal) -> int:
    """Yuan to fen; the amount is already rounded to the fen (core.money.to_yuan)."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fen")
    return int(cents)


def yuan(fen_amount: int) -> Decimal:
    return to_yuan(Decimal(fen_amount) / 100)


def text_field(value: str, length: int) -> bytes:
    """`value` in GB18030, cut to `length` bytes at a character boundary, space-padded."""
    out = bytearray()
    for char in value:
        encoded = char.encode(ENCODING, errors="replace")
        if len(out) + len(encoded) > length:
            break
        out += encoded
    return bytes(out).ljust(length, b" ")


def number_field(value: int, length: int) -> bytes:
    text = str(value)
    if value < 0 or len(text) > length:
        raise ValueError(f"{value} does not fit in {length} digits")
    return text.rjust(length, "0").encode("ascii")


def _record(parts: list[tuple[tuple[int, int], bytes]], size: int) -> bytes:
    record = bytearray(b" " * size)
    for (start, length), value in parts:
        assert len(value) == length, (start, value)
        record[start : start + length] = value
    return bytes(record)


def header(
    batch: int, month: datetime.date, day: datetime.date, size: int = PAYMENT_RECORD
) -> bytes:
    return _record(
        [
            (TYPE, b"H"),
            (H_BATCH, number_field(batch, H_BATCH[1])),
            (H_MONTH, f"{month:%Y%m}".encode("ascii")),
            (H_DATE, f"{day:%Y%m%d}".encode("ascii")),
        ],
        size,
    )


def detail(
    payment_id: int,
    account: str,
    name: str,
    amount_fen: int,
    *,
    result: str = "",
    reason: str = "",
    size: int = PAYMENT_RECORD,
) -> bytes:
    parts = [
        (TYPE, b"D"),
        (D_REFERENCE, reference(payment_id).encode("ascii")),
        (D_ACCOUNT, text_field(account, D_ACCOUNT[1])),
        (D_NAME, text_field(name, D_NAME[1])),
        (D_AMOUNT, number_field(amount_fen, D_AMOUNT[1])),
    ]
    if result:
        parts.append((D_RESULT, result.encode("ascii")))
        parts.append((D_REASON, text_field(reason, D_REASON[1])))
    return _record(parts, size)


def control(count: int, total_fen: int, size: int = PAYMENT_RECORD) -> bytes:
    return _record(
        [
            (TYPE, b"T"),
            (T_COUNT, number_field(count, T_COUNT[1])),
            (T_TOTAL, number_field(total_fen, T_TOTAL[1])),
        ],
        size,
    )


def payment_file(
    batch: int,
    month: datetime.date,
    day: datetime.date,
    rows: Iterable[tuple[int, str, str, Decimal]],
) -> Iterator[bytes]:
    """The payment file, line by line: rows are (payment id, account, name, amount)."""
    yield header(batch, month, day) + NEWLINE
    count = total = 0
    for pk, account, name, amount in rows:
        cents = fen(amount)
        count += 1
        total += cents
        yield detail(pk, account, name, cents) + NEWLINE
    yield control(count, total) + NEWLINE


# ---- reading a result file


@dataclass(frozen=True)
class ResultLine:
    line_no: int
    payment_id: int
    account: str
    name: str
    amount_fen: int
    paid: bool
    reason: str


@dataclass
class ResultFile:
    batch: int | None = None
    month: datetime.date | None = None
    lines: int = 0
    count: int = 0  # D records
    total_fen: int = 0


def detect_encoding(content: bytes) -> str:
    """UTF-8 for a file with a UTF-8 BOM or wholly valid UTF-8 with some non-ASCII text;
    otherwise GB18030 (whose lines are then each checked, see read_result_file)."""
    if content.startswith(codecs.BOM_UTF8):
        return UTF8
    if content.isascii():
        return ENCODING
    try:
        content.decode(UTF8)
    except UnicodeDecodeError:
        return ENCODING
    return UTF8


def _is_utf8_text(record: bytes) -> bool:
    """Non-ASCII bytes that form valid UTF-8: Chinese in UTF-8, not GB18030 (whose
    two-byte characters are almost never valid UTF-8 sequences)."""
    if record.isascii():
        return False
    try:
        record.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True


def _encoding_problem(record: bytes, encoding: str) -> str:
    """Why the line cannot be read in the file's encoding, or ''."""
    from django.utils.translation import gettext as _

    if encoding == ENCODING and _is_utf8_text(record):
        return _(
            "This line is UTF-8 text inside a GB18030 file: its names and reasons would be "
            "read as nonsense. Ask the bank for the file in one encoding."
        )
    try:
        record.decode(encoding)
    except UnicodeDecodeError as exc:
        return _(
            "Byte %(position)d of this line is not %(encoding)s text: the file mixes "
            "encodings or is damaged."
        ) % {"position": exc.start + 1, "encoding": encoding.upper()}
    return ""


def _cut_character(record: bytes, encoding: str) -> int | None:
    """The 1-based byte where a field of the record's layout cuts a character, or None."""
    fields = {
        b"H": (H_BATCH, H_MONTH),
        b"D": (D_REFERENCE, D_ACCOUNT, D_NAME, D_AMOUNT, D_RESULT, D_REASON),
        b"T": (T_COUNT, T_TOTAL),
    }.get(record[:1], ())
    for start, length in fields:
        try:
            record[start : start + length].decode(encoding)
        except UnicodeDecodeError as exc:
            return start + exc.start + 1
    return None


def _text(record: bytes, field: tuple[int, int], encoding: str = ENCODING) -> str:
    """A field's text, decoded strictly (UnicodeDecodeError when it cuts a character)."""
    start, length = field
    return record[start : start + length].decode(encoding).strip()


def _digits(record: bytes, field: tuple[int, int]) -> int | None:
    start, length = field
    raw = record[start : start + length]
    return int(raw) if raw.isdigit() else None


@dataclass(frozen=True)
class LineError:
    line_no: int
    message: str


def read_result_file(
    lines: Iterable[bytes], encoding: str = ENCODING
) -> Iterator[ResultLine | LineError | ResultFile]:
    """Parse a result file line by line, holding one line at a time, in `encoding`
    (GB18030 or UTF-8, see detect_encoding).

    Yields a ResultLine per valid D record and a LineError per problem, in line order; the
    file-level checks (header, control record and its totals) come after, and the last item
    is the ResultFile summary (batch, month, counts). Nothing here touches the database.
    """
    from django.utils.translation import gettext as _

    summary = ResultFile()
    seen_header = seen_control = False
    control_line = 0
    control_count: int | None = None
    control_total: int | None = None
    line_no = 0
    for line_no, raw in enumerate(lines, start=1):
        record = raw.rstrip(b"\r\n")
        summary.lines = line_no
        if line_no == 1 and encoding == UTF8:
            record = record.removeprefix(codecs.BOM_UTF8)
        if not record.strip():
            continue  # blank lines (a trailing newline) carry nothing
        problem = _encoding_problem(record, encoding)
        if problem:
            yield LineError(line_no, problem)
            continue
        cut = _cut_character(record, encoding)
        if cut is not None:
            yield LineError(
                line_no,
                _(
                    "Byte %(position)d cuts a character in two: a field's text does not fit "
                    "its width in %(encoding)s."
                )
                % {"position": cut, "encoding": encoding.upper()},
            )
            continue
        if seen_control:
            yield LineError(line_no, _("A record after the control record (T)."))
            continue
        if len(record) != RESULT_RECORD:
            yield LineError(
                line_no,
                _("The record is %(length)d bytes long; a result file's records are %(size)d.")
                % {"length": len(record), "size": RESULT_RECORD},
            )
            continue
        kind = record[:1]
        if kind == b"H":
            if seen_header or summary.count:
                yield LineError(line_no, _("The header record (H) must come first, once."))
                continue
            seen_header = True
            summary.batch = _digits(record, H_BATCH)
            month_text = _text(record, H_MONTH, encoding)
            try:
                summary.month = datetime.date(int(month_text[:4]), int(month_text[4:6]), 1)
            except ValueError:
                yield LineError(
                    line_no,
                    _("The header's payroll month “%(text)s” is not YYYYMM.")
                    % {"text": month_text},
                )
            if summary.batch is None:
                yield LineError(line_no, _("The header's batch number is not a number."))
        elif kind == b"D":
            ref = _text(record, D_REFERENCE, encoding)
            pk = payment_id(ref)
            amount = _digits(record, D_AMOUNT)
            result = _text(record, D_RESULT, encoding)
            reason = _text(record, D_REASON, encoding)
            problems = []
            if pk is None:
                problems.append(_("the reference “%(ref)s” is not 16 digits") % {"ref": ref})
            if amount is None:
                problems.append(
                    _("the amount “%(text)s” is not a number of fen")
                    % {"text": _text(record, D_AMOUNT, encoding)}
                )
            if result not in (PAID, FAILED):
                problems.append(
                    _("the result “%(text)s” is neither S (paid) nor F (failed)") % {"text": result}
                )
            elif result == FAILED and not reason:
                problems.append(_("a failed payment has no reason"))
            if problems:
                yield LineError(line_no, "; ".join(problems))
                continue
            assert pk is not None
            assert amount is not None
            summary.count += 1
            summary.total_fen += amount
            yield ResultLine(
                line_no=line_no,
                payment_id=pk,
                account=_text(record, D_ACCOUNT, encoding),
                name=_text(record, D_NAME, encoding),
                amount_fen=amount,
                paid=result == PAID,
                reason=reason if result == FAILED else "",
            )
        elif kind == b"T":
            seen_control = True
            control_line = line_no
            control_count = _digits(record, T_COUNT)
            control_total = _digits(record, T_TOTAL)
            if control_count is None or control_total is None:
                yield LineError(line_no, _("The control record's count or total is not a number."))
        else:
            yield LineError(
                line_no,
                _("Unknown record type “%(kind)s”: records are H, D or T.")
                % {"kind": kind.decode(ENCODING, errors="replace")},
            )
    if not seen_header:
        yield LineError(1, _("The file has no header record (H) on its first line."))
    if not seen_control:
        yield LineError(line_no, _("The file has no control record (T) at its end."))
    elif (
        control_count is not None
        and control_total is not None
        and (control_count, control_total) != (summary.count, summary.total_fen)
    ):
        yield LineError(
            control_line,
            _(
                "Wrong control total: the control record says %(count)d payments totalling "
                "%(total)s yuan, the file has %(real_count)d totalling %(real_total)s yuan."
            )
            % {
                "count": control_count,
                "total": yuan(control_total),
                "real_count": summary.count,
                "real_total": yuan(summary.total_fen),
            },
        )
    yield summary


def result_file(
    batch: int,
    month: datetime.date,
    day: datetime.date,
    rows: Iterable[tuple[int, str, str, int, bool, str]],
) -> bytes:
    """A result file as a bank writes it (for tests and the demo): rows are
    (payment id, account, name, amount in fen, paid, reason)."""
    out = [header(batch, month, day, RESULT_RECORD)]
    count = total = 0
    for pk, account, name, cents, paid, reason in rows:
        count += 1
        total += cents
        out.append(
            detail(
                pk,
                account,
                name,
                cents,
                result=PAID if paid else FAILED,
                reason="" if paid else reason,
                size=RESULT_RECORD,
            )
        )
    out.append(control(count, total, RESULT_RECORD))
    return NEWLINE.join(out) + NEWLINE
