"""Validators for the national identifiers the bureau handles. Messages name the problem."""

import datetime
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from .spreadsheet import FORMULA_STARTS


def clean_id_number(value: str) -> str:
    """Validate a resident ID number (GB 11643) and return it in its compact form.

    Checked in the order a clerk would: length, characters, birth date, check character
    (ISO 7064 MOD 11-2, via python-stdnum). The address code is not looked up: stdnum's
    table lacks some current codes (430922 among them), and an old number keeps the code of
    a county that may since have been renamed.
    """
    # full-width digits and Ｘ (typed with a Chinese input method) are the same characters
    number = ric.compact(unicodedata.normalize("NFKC", value or "")).upper()
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="id_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="id_format"
        )
    try:
        born = ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(
            _("The birth date in this ID number is impossible."), code="id_birth_date"
        ) from None
    if born > timezone.localdate():
        raise ValidationError(
            _("The birth date in this ID number is in the future."), code="id_birth_date"
        )
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(
            _("The check character of this ID number is wrong."), code="id_checksum"
        )
    return number


def validate_id_number(value: str) -> None:
    clean_id_number(value)


@dataclass(frozen=True)
class IdFacts:
    birth_date: datetime.date
    sex: str  # "M" or "F": the 17th character is odd for men


def id_facts(number: str) -> IdFacts:
    return IdFacts(
        birth_date=ric.get_birth_date(number),
        sex="M" if int(number[16]) % 2 else "F",
    )


def mask_id_number(number: str) -> str:
    """430922********0015: the address code and the last four characters stay visible."""
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_account(account: str) -> str:
    """****1234: a bank account shows its last four digits."""
    return f"****{account[-4:]}" if account else ""


def mask_certificate(number: str) -> str:
    """430922********001542: a disability certificate is the ID number (masked like one)
    followed by its type and grade digits."""
    if not number:
        return ""
    return mask_id_number(number[:18]) + number[18:]


# Fields whose whole value is shown only through a logged reveal: how each is masked
# wherever it is output (admin history included).
MASKS = {
    "id_number": mask_id_number,
    "bank_account": mask_account,
    "disability_certificate": mask_certificate,
}


def clean_credit_code(value: str) -> str:
    """Validate a unified social credit code (GB 32100)."""
    code = uscc.compact(value or "")
    try:
        uscc.validate(code)
    except InvalidLength:
        raise ValidationError(_("A credit code has 18 characters."), code="uscc_length") from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character of this credit code is wrong."), code="uscc_checksum"
        ) from None
    except StdnumError:
        raise ValidationError(_("This is not a valid credit code."), code="uscc_invalid") from None
    return code


DISABILITY_TYPES = {
    "1": "sight",
    "2": "hearing",
    "3": "speech",
    "4": "physical",
    "5": "intellectual",
    "6": "mental",
    "7": "multiple",
}


@dataclass(frozen=True)
class DisabilityCertificate:
    id_number: str
    disability_type: str  # one of DISABILITY_TYPES' values
    grade: int  # 1 most severe … 4


def parse_disability_certificate(value: str) -> DisabilityCertificate:
    """A disability certificate number is the ID number, a type digit and a grade digit."""
    number = (value or "").strip().upper()
    if len(number) != 20:
        raise ValidationError(
            _("A disability certificate number has 20 characters; this one has %(count)d.")
            % {"count": len(number)},
            code="disability_length",
        )
    id_number = clean_id_number(number[:18])
    type_digit, grade_digit = number[18], number[19]
    if type_digit not in DISABILITY_TYPES:
        raise ValidationError(
            _("Character 19 of a disability certificate is the type, 1 to 7."),
            code="disability_type",
        )
    if grade_digit not in "1234":
        raise ValidationError(
            _("Character 20 of a disability certificate is the grade, 1 to 4."),
            code="disability_grade",
        )
    return DisabilityCertificate(id_number, DISABILITY_TYPES[type_digit], int(grade_digit))


def compact_account(value: str) -> str:
    """A bank account number as typed (6227 0000 1111 2222) without its spaces."""
    return "".join(str(value or "").split())


def validate_bank_account(value: str) -> None:
    """A bank account number as the banks' payment files carry it: 8 to 32 digits."""
    if not value.isdigit() or not 8 <= len(value) <= 32:
        raise ValidationError(_("An account number is 8 to 32 digits."), code="bank_account")


def not_future(day: Any, field: str, *, required: bool = True) -> None:
    """A date given to a service: a date (unless not `required` and None), not after today."""
    if day is None and not required:
        return
    if not isinstance(day, datetime.date):
        raise ValidationError({field: _("Enter a date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("This date cannot be in the future.")})


def clean_text(value: Any, field: str, *, required: bool = False, max_length: int = 0) -> str:
    """A text field of a service's input, stripped: required, at most `max_length` characters
    (0: no limit), not a spreadsheet formula. Errors name the field."""
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    try:
        validate_no_formula(text)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if max_length and len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return text


def validate_no_formula(value: str) -> None:
    """Refuse text that a spreadsheet would run as a formula when exported again."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        raise ValidationError(
            _("Text may not start with = + - @ (a spreadsheet would run it as a formula)."),
            code="formula",
        )
