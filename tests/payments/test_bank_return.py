"""The bank's result file: applied whole, or rejected with line numbers and nothing changed
(decoded strictly in one encoding);
failed rows corrected and reissued in a supplementary payroll."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civil_affairs.payments import bankfile, services
from civil_affairs.payments.models import BankReturn, LedgerEntry, Payment, Payroll
from tests.conftest import login

from .factories import DEC, NOV, approved, beneficiary, fund, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(staff, areas):
    """An approved payroll of four rows whose bank file went to the bank."""
    beneficiary(areas.village_a, "dibao", "500.00")
    beneficiary(areas.village_a, "extreme_poverty", "1100.00")
    beneficiary(areas.village_b, "dibao", "300.00")
    beneficiary(areas.village_b, "disability_care", "120.00")
    payroll = approved(generate(staff.finance), staff)
    stream, _name = services.payroll_bank_file(actor=staff.finance, payroll=payroll)
    b"".join(stream)
    payroll.refresh_from_db()
    return payroll


def rows_of(payroll, failed=()):
    """The bank's lines for the payroll's rows: (id, account, name, fen, paid, reason)."""
    return [
        (
            p.pk,
            p.bank_account,
            p.person.name,
            int(p.amount * 100),
            p.pk not in failed,
            "" if p.pk not in failed else "账户已销户",
        )
        for p in Payment.objects.filter(payroll=payroll).select_related("person").order_by("pk")
    ]


def result(payroll, rows, **kwargs):
    return bankfile.result_file(payroll.pk, payroll.month, NOV, rows, **kwargs)


def state(payroll):
    return (
        list(
            Payment.objects.filter(payroll=payroll)
            .order_by("pk")
            .values_list("status", "bank_reason")
        ),
        LedgerEntry.objects.count(),
        BankReturn.objects.count(),
        Payroll.objects.get(pk=payroll.pk).status,
    )


def test_all_paid(staff, sent):
    applied = services.bank_return_apply(
        actor=staff.finance, payroll=sent, content=result(sent, rows_of(sent)), file_name="r.txt"
    )
    assert (applied.paid_rows, applied.paid_amount, applied.failed_rows) == (
        4,
        Decimal("2020.00"),
        0,
    )
    sent.refresh_from_db()
    assert sent.status == Payroll.Status.PAID
    assert set(Payment.objects.filter(payroll=sent).values_list("status", flat=True)) == {"paid"}
    assert applied.rows.count() == 4
    services.payroll_close(actor=staff.finance, payroll=sent)
    assert Payroll.objects.get(pk=sent.pk).status == Payroll.Status.CLOSED


def test_failed_rows_return_to_the_fund_and_are_reissued(staff, sent):
    fund_area = services.county_of(sent.area)
    before = services.fund_balances(fund_area)
    bad = Payment.objects.get(payroll=sent, program="extreme_poverty")
    services.bank_return_apply(
        actor=staff.finance,
        payroll=sent,
        content=result(sent, rows_of(sent, failed={bad.pk})),
        file_name="r.txt",
    )
    sent.refresh_from_db()
    bad.refresh_from_db()
    assert sent.status == Payroll.Status.PARTLY_FAILED
    assert (bad.status, bad.bank_reason) == ("failed", "账户已销户")
    back = LedgerEntry.objects.get(kind=LedgerEntry.Kind.RETURN)
    assert (back.program, back.amount) == ("extreme_poverty", Decimal("1100.00"))
    after = services.fund_balances(fund_area)
    assert after["extreme_poverty"] - before["extreme_poverty"] == Decimal("1100.00")

    # the same account again is refused unless confirmed; a caseworker corrects it
    with pytest.raises(ValidationError):
        services.payroll_reissue(actor=staff.finance, payments=[bad])
    with pytest.raises(PermissionDenied):
        services.payment_correct_account(
            actor=staff.finance, payment=bad, bank_name="建设银行", bank_account="6227000011112222"
        )
    with pytest.raises(ValidationError) as wrong:
        services.payment_correct_account(
            actor=staff.caseworker_a, payment=bad, bank_name="建设银行", bank_account="62-27"
        )
    assert "bank_account" in wrong.value.message_dict
    with pytest.raises(ValidationError) as formula:
        services.payment_correct_account(
            actor=staff.caseworker_a,
            payment=bad,
            bank_name='=HYPERLINK("http://x","建设银行")',
            bank_account="6227000011112222",
        )
    assert "bank_name" in formula.value.message_dict
    bad.person.refresh_from_db()
    assert bad.person.bank_name == "农商银行"
    services.payment_correct_account(
        actor=staff.caseworker_a,
        payment=bad,
        bank_name="建设银行",
        bank_account="6227 0000 1111 2222",
    )
    bad.person.refresh_from_db()
    assert bad.person.bank_account == "6227000011112222"

    supplementary = services.payroll_reissue(actor=staff.finance, payments=[bad])
    assert supplementary.kind == Payroll.Kind.SUPPLEMENTARY
    assert supplementary.status == Payroll.Status.DRAFT
    new = Payment.objects.get(payroll=supplementary)
    assert (new.person, new.program, new.month, new.amount, new.reissue_of) == (
        bad.person,
        "extreme_poverty",
        bad.month,
        Decimal("1100.00"),
        bad,
    )
    bad.refresh_from_db()
    assert bad.reissued
    with pytest.raises(ValidationError):  # never twice
        services.payroll_reissue(actor=staff.finance, payments=[bad])
    with pytest.raises(ValidationError):  # a supplementary payroll is never generated
        services.payroll_regenerate(actor=staff.finance, payroll=supplementary)
    assert (
        not Payroll.objects.filter(month=sent.month, kind=Payroll.Kind.REGULAR)
        .exclude(pk=sent.pk)
        .exists()
    )

    services.payroll_submit(actor=staff.finance, payroll=supplementary)
    services.payroll_approve(actor=staff.approver, payroll=supplementary)
    new.refresh_from_db()
    assert new.bank_account == "6227000011112222"
    stream, _ = services.payroll_bank_file(actor=staff.finance, payroll=supplementary)
    assert b"6227000011112222" in b"".join(stream)
    supplementary.refresh_from_db()
    services.bank_return_apply(
        actor=staff.finance,
        payroll=supplementary,
        content=result(supplementary, rows_of(supplementary)),
        file_name="r2.txt",
    )
    assert Payroll.objects.get(pk=supplementary.pk).status == Payroll.Status.PAID
    # in the end the person was paid once for the month, and the fund shows it
    assert Payment.objects.filter(person=bad.person, month=bad.month, status="paid").count() == 1
    final = services.fund_balances(fund_area)
    assert before["extreme_poverty"] - final["extreme_poverty"] == Decimal("0.00")


def _rejected(staff, payroll, content):
    before = state(payroll)
    with pytest.raises(ValidationError) as refused:
        services.bank_return_apply(
            actor=staff.finance, payroll=payroll, content=content, file_name="x"
        )
    assert state(payroll) == before
    return refused.value.messages


def test_wrong_control_total_is_rejected(staff, sent):
    content = result(sent, rows_of(sent))
    lines = content.split(b"\r\n")
    control = bytearray(lines[-2])
    control[11:29] = b"%018d" % 1
    lines[-2] = bytes(control)
    messages = _rejected(staff, sent, b"\r\n".join(lines))
    assert any(m.startswith("第 6 行") and "控制" in m for m in messages), messages


def test_unknown_reference_is_rejected(staff, sent):
    rows = rows_of(sent)
    rows[2] = (999999, *rows[2][1:])
    messages = _rejected(staff, sent, result(sent, rows))
    assert any(m.startswith("第 4 行") and "0000000000999999" in m for m in messages), messages


def test_duplicated_row_is_rejected(staff, sent):
    rows = rows_of(sent)
    messages = _rejected(staff, sent, result(sent, [*rows, rows[1]]))
    assert any(m.startswith("第 6 行") and "第 3 行" in m for m in messages), messages


def test_wrong_amount_is_rejected(staff, sent):
    rows = rows_of(sent)
    rows[0] = (*rows[0][:3], rows[0][3] + 1, *rows[0][4:])
    messages = _rejected(staff, sent, result(sent, rows))
    assert any(m.startswith("第 2 行") and "500.01" in m and "500.00" in m for m in messages), (
        messages
    )


def test_malformed_lines_are_rejected(staff, sent):
    lines = result(sent, rows_of(sent)).split(b"\r\n")
    lines[1] = lines[1][:100]  # cut short
    broken = bytearray(lines[2])
    broken[104:105] = b"X"  # neither paid nor failed
    lines[2] = bytes(broken)
    messages = _rejected(staff, sent, b"\r\n".join(lines))
    assert any(m.startswith("第 2 行") for m in messages), messages
    assert any(m.startswith("第 3 行") for m in messages), messages


def test_same_file_twice_and_file_of_another_payroll(staff, sent):
    rows = rows_of(sent)
    first = result(sent, rows[:2])  # part of the rows: the payroll stays sent to the bank
    services.bank_return_apply(actor=staff.finance, payroll=sent, content=first, file_name="r")
    assert Payroll.objects.get(pk=sent.pk).status == Payroll.Status.EXPORTED
    before = state(sent)
    with pytest.raises(ValidationError) as again:
        services.bank_return_apply(actor=staff.finance, payroll=sent, content=first, file_name="r")
    assert again.value.messages[0].startswith("此文件已于 "), again.value.messages
    assert getattr(again.value, "code", None) == "duplicate_file"
    assert state(sent) == before

    other = generate(staff.finance, month=DEC)
    messages = _rejected(staff, sent, bankfile.result_file(other.pk, sent.month, NOV, rows[2:]))
    assert f"第 1 行：此文件属于发放名册 #{other.pk}，而不是 #{sent.pk}。" in messages, messages
    services.bank_return_apply(
        actor=staff.finance, payroll=sent, content=result(sent, rows[2:]), file_name="r2"
    )
    assert Payroll.objects.get(pk=sent.pk).status == Payroll.Status.PAID
    assert BankReturn.objects.count() == 2


def test_partial_files_settle_in_turn(staff, sent):
    rows = rows_of(sent)
    services.bank_return_apply(
        actor=staff.finance, payroll=sent, content=result(sent, rows[:2]), file_name="part 1"
    )
    assert Payroll.objects.get(pk=sent.pk).status == Payroll.Status.EXPORTED
    messages = _rejected(staff, sent, result(sent, rows[1:3]))  # row 2 was settled by part 1
    assert any(m.startswith("第 2 行") for m in messages), messages
    services.bank_return_apply(
        actor=staff.finance, payroll=sent, content=result(sent, rows[2:]), file_name="part 2"
    )
    assert Payroll.objects.get(pk=sent.pk).status == Payroll.Status.PAID


def test_only_finance_uploads(staff, sent):
    with pytest.raises(PermissionDenied):
        services.bank_return_apply(
            actor=staff.approver, payroll=sent, content=result(sent, rows_of(sent)), file_name="r"
        )


def test_results_only_for_a_payroll_sent_to_the_bank(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    payroll = generate(staff.finance, programs=["dibao"])
    fund(staff.finance)
    with pytest.raises(ValidationError):
        services.bank_return_apply(
            actor=staff.finance,
            payroll=payroll,
            content=result(payroll, rows_of(payroll)),
            file_name="r",
        )


# ---- encodings: decoded strictly, in one encoding; a mixed file refused with its line numbers

FIELDS = (
    bankfile.D_REFERENCE,
    bankfile.D_ACCOUNT,
    bankfile.D_NAME,
    bankfile.D_AMOUNT,
    bankfile.D_RESULT,
    bankfile.D_REASON,
)


def utf8_record(record: bytes) -> bytes:
    """A D record as a bank writing UTF-8 would: each field's text in UTF-8, padded with
    spaces to the same width in bytes (so the record keeps its 180 bytes)."""
    out = bytearray(record)
    for start, length in FIELDS:
        text = record[start : start + length].decode("gb18030").rstrip(" ")
        raw = text.encode("utf-8")
        assert len(raw) <= length
        out[start : start + length] = raw + b" " * (length - len(raw))
    return bytes(out)


def lines_of(content: bytes) -> list[bytes]:
    return content.split(bankfile.NEWLINE)


def join(lines: list[bytes]) -> bytes:
    return bankfile.NEWLINE.join(lines)


def test_a_utf8_line_inside_a_gb18030_file_is_refused_with_its_line(staff, sent):
    failed = Payment.objects.filter(payroll=sent).order_by("pk")[1]
    lines = lines_of(result(sent, rows_of(sent, failed={failed.pk})))
    assert lines[2][bankfile.D_RESULT[0] : bankfile.D_RESULT[0] + 1] == b"F"  # line 3
    lines[2] = utf8_record(lines[2])  # 账户已销户 and the name in UTF-8, still 180 bytes
    assert len(lines[2]) == bankfile.RESULT_RECORD
    before = state(sent)
    with pytest.raises(ValidationError) as caught:
        services.bank_return_apply(
            actor=staff.finance, payroll=sent, content=join(lines), file_name="回盘.txt"
        )
    messages = caught.value.messages
    assert messages[0] == "文件未被应用，数据没有任何改动。"
    assert any(m.startswith("第 3 行：") and "UTF-8" in m for m in messages), messages
    # no other D line is blamed (the control total then misses that line's amount)
    assert not [m for m in messages if m.startswith(("第 2 行", "第 4 行", "第 5 行"))]
    assert state(sent) == before


def test_a_whole_utf8_file_is_read_as_utf8_and_its_reasons_stored_right(staff, sent):
    failed = Payment.objects.filter(payroll=sent).order_by("pk")[0]
    lines = lines_of(result(sent, rows_of(sent, failed={failed.pk})))
    lines = [utf8_record(line) if line[:1] == b"D" else line for line in lines]
    content = join(lines)
    assert bankfile.detect_encoding(content) == "utf-8"
    applied = services.bank_return_apply(
        actor=staff.finance, payroll=sent, content=content, file_name="回盘-utf8.txt"
    )
    assert (applied.paid_rows, applied.failed_rows) == (3, 1)
    failed.refresh_from_db()
    assert (failed.status, failed.bank_reason) == ("failed", "账户已销户")


def test_declared_gb18030_refuses_a_utf8_file_line_by_line(staff, sent):
    lines = lines_of(result(sent, rows_of(sent)))
    lines = [utf8_record(line) if line[:1] == b"D" else line for line in lines]
    with pytest.raises(ValidationError) as caught:
        services.bank_return_apply(
            actor=staff.finance,
            payroll=sent,
            content=join(lines),
            file_name="r.txt",
            encoding="gb18030",
        )
    bad = [m for m in caught.value.messages if "UTF-8" in m]
    assert [m.split("：")[0] for m in bad] == ["第 2 行", "第 3 行", "第 4 行", "第 5 行"]


def test_bytes_of_no_encoding_are_refused_with_their_line(staff, sent):
    lines = lines_of(result(sent, rows_of(sent)))
    record = bytearray(lines[3])
    record[bankfile.D_REASON[0] : bankfile.D_REASON[0] + 2] = b"\xff\xff"
    lines[3] = bytes(record)
    before = state(sent)
    with pytest.raises(ValidationError) as caught:
        services.bank_return_apply(
            actor=staff.finance, payroll=sent, content=join(lines), file_name="r.txt"
        )
    assert any(m.startswith("第 4 行：") and "GB18030" in m for m in caught.value.messages)
    assert state(sent) == before


def test_a_name_cut_in_the_middle_of_a_character_is_refused(staff, sent):
    lines = lines_of(result(sent, rows_of(sent)))
    record = bytearray(lines[1])
    start, length = bankfile.D_NAME
    # 19 characters of two bytes, then the first byte of a twentieth: the name is cut
    record[start : start + length] = ("张" * 19).encode("gb18030") + b" \xd5"
    lines[1] = bytes(record)
    assert len(lines[1]) == bankfile.RESULT_RECORD
    before = state(sent)
    with pytest.raises(ValidationError) as caught:
        services.bank_return_apply(
            actor=staff.finance, payroll=sent, content=join(lines), file_name="r.txt"
        )
    assert any(m.startswith("第 2 行：") for m in caught.value.messages), caught.value.messages
    assert state(sent) == before


def test_the_upload_page_lets_the_clerk_declare_the_encoding(staff, sent):
    lines = lines_of(result(sent, rows_of(sent)))
    lines = [utf8_record(line) if line[:1] == b"D" else line for line in lines]
    client = login(staff.finance)
    url = reverse("payments:bank_return_upload", args=[sent.pk])
    page = client.get(url).content.decode()
    assert 'name="encoding"' in page
    response = client.post(
        url,
        {"file": SimpleUploadedFile("r.txt", join(lines)), "encoding": "gb18030"},
    )
    text = response.content.decode()
    assert "第 2 行：" in text
    assert "UTF-8" in text
    assert not Payment.objects.filter(payroll=sent, status="paid").exists()
