"""Checking and applying a bank's result file, set-based.

`load` parses the file line by line (bankfile.read_result_file) into a temporary table with
COPY, then checks it against the payroll's rows in SQL: every reference must be a row of
this payroll, once, with the same amount, sent to the bank and not settled yet. `apply`
writes the results. Both run inside the caller's transaction (services.bank_return_apply),
which drops the table at its end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from civil_affairs.core.money import ZERO

from . import bankfile, providers
from .models import BankReturn, Payroll

MAX_ERRORS = 200  # shown to the uploader; the count says how many there are


@dataclass
class Checked:
    count: int = 0  # D records
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    def add(self, line_no: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line_no, message))

    def messages(self) -> list[str]:
        out = [
            _("Line %(line)d: %(message)s") % {"line": line, "message": message}
            if line
            else message
            for line, message in sorted(self.errors, key=lambda e: e[0])
        ]
        if self.error_count > len(self.errors):
            out.append(
                _("… and %(count)d more problems.") % {"count": self.error_count - len(self.errors)}
            )
        return [_("The file was not applied: nothing has changed."), *out]


@dataclass
class Outcome:
    paid_rows: int = 0
    paid_amount: Decimal = ZERO
    failed_rows: int = 0
    failed_amount: Decimal = ZERO
    failed_by_program: dict[str, tuple[int, Decimal]] = field(default_factory=dict)


def load(payroll: Payroll, lines: Iterable[bytes], encoding: str = bankfile.ENCODING) -> Checked:
    checked = Checked()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS payments_result_rows")
        cursor.execute(
            "CREATE TEMP TABLE payments_result_rows (line_no integer, payment_id bigint, "
            "amount_fen bigint, paid boolean, reason text) ON COMMIT DROP"
        )
        summary = bankfile.ResultFile()
        with cursor.copy("COPY payments_result_rows FROM STDIN") as copy:
            for item in bankfile.read_result_file(lines, encoding):
                if isinstance(item, bankfile.ResultLine):
                    copy.write_row(
                        (item.line_no, item.payment_id, item.amount_fen, item.paid, item.reason)
                    )
                elif isinstance(item, bankfile.LineError):
                    checked.add(item.line_no, item.message)
                else:
                    summary = item
        checked.count = summary.count
        if summary.batch is not None and summary.batch != payroll.pk:
            checked.add(
                1,
                _("This file is for payroll #%(batch)d, not #%(id)d.")
                % {"batch": summary.batch, "id": payroll.pk},
            )
        if summary.month is not None and summary.month != payroll.month:
            checked.add(
                1,
                _("This file is for the month %(month)s, the payroll's is %(payroll)s.")
                % {"month": f"{summary.month:%Y-%m}", "payroll": f"{payroll.month:%Y-%m}"},
            )
        _check_rows(cursor, payroll, checked)
    return checked


def _check_rows(cursor: object, payroll: Payroll, checked: Checked) -> None:
    run = cursor.execute  # type: ignore[attr-defined]
    fetch = cursor.fetchall  # type: ignore[attr-defined]
    # duplicates: every repeat of a reference, naming its first line
    run(
        """
        SELECT line_no, payment_id, first_value(line_no) OVER w
        FROM payments_result_rows
        WINDOW w AS (PARTITION BY payment_id ORDER BY line_no)
        ORDER BY line_no
        """
    )
    duplicated: set[int] = set()
    for line_no, payment_id, first in fetch():
        if line_no != first:
            duplicated.add(line_no)
            checked.add(
                line_no,
                _("reference %(ref)s appears again (first on line %(first)d).")
                % {"ref": bankfile.reference(payment_id), "first": first},
            )
    run(
        """
        SELECT t.line_no, t.payment_id, p.payroll_id, p.status,
               (p.amount * 100)::bigint AS payment_fen, t.amount_fen
        FROM payments_result_rows t
        LEFT JOIN payments_payment p ON p.id = t.payment_id
        WHERE p.id IS NULL OR p.payroll_id <> %s OR p.status <> 'pending'
           OR (p.amount * 100)::bigint <> t.amount_fen
        ORDER BY t.line_no
        """,
        [payroll.pk],
    )
    for line_no, payment_id, payroll_id, status, payment_fen, amount_fen in fetch():
        if line_no in duplicated:
            continue
        ref = bankfile.reference(payment_id)
        if payroll_id is None:
            message = _("reference %(ref)s is not a payment of this payroll.") % {"ref": ref}
        elif payroll_id != payroll.pk:
            message = _(
                "reference %(ref)s is a payment of payroll #%(other)d, not of this one."
            ) % {"ref": ref, "other": payroll_id}
        elif status == "held":
            message = _("reference %(ref)s was held and not sent to the bank.") % {"ref": ref}
        elif status in ("paid", "failed"):
            message = _(
                "reference %(ref)s already has the bank's result (%(status)s) from an earlier file."
            ) % {"ref": ref, "status": _("paid") if status == "paid" else _("failed")}
        else:
            message = _(
                "the amount %(amount)s yuan of reference %(ref)s differs from the payment's "
                "%(expected)s yuan."
            ) % {
                "amount": bankfile.yuan(amount_fen),
                "ref": ref,
                "expected": bankfile.yuan(payment_fen),
            }
        checked.add(line_no, message)


def apply(bank_return: BankReturn) -> Outcome:
    """Write the checked results of the temporary table onto the payroll's rows."""
    outcome = Outcome()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE payments_payment p
               SET status = CASE WHEN t.paid THEN 'paid' ELSE 'failed' END,
                   bank_reason = left(t.reason, 200), settled_at = now(),
                   bank_return_id = %s, updated_at = now()
              FROM payments_result_rows t
             WHERE p.id = t.payment_id AND p.payroll_id = %s
            """,
            [bank_return.pk, bank_return.payroll_id],
        )
        cursor.execute(
            """
            INSERT INTO payments_bankreturnline (bank_return_id, line_no, payment_id, paid,
                                                 amount, reason)
            SELECT %s, line_no, payment_id, paid, (amount_fen::numeric / 100)::numeric(14, 2),
                   left(reason, 200)
            FROM payments_result_rows
            """,
            [bank_return.pk],
        )
        cursor.execute(
            """
            SELECT t.paid, p.program, count(*), sum(p.amount)
            FROM payments_result_rows t JOIN payments_payment p ON p.id = t.payment_id
            GROUP BY t.paid, p.program
            """
        )
        for paid, program, rows, amount in cursor.fetchall():
            if paid:
                outcome.paid_rows += rows
                outcome.paid_amount += amount
            else:
                outcome.failed_rows += rows
                outcome.failed_amount += amount
                fund = providers.fund_of(program)  # a part is returned to its program's fund
                before_rows, before_amount = outcome.failed_by_program.get(fund, (0, ZERO))
                outcome.failed_by_program[fund] = (before_rows + rows, before_amount + amount)
    return outcome
