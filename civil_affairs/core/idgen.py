"""Valid made-up ID numbers for demo data, factories and benchmarks."""

import datetime

from stdnum.cn import ric


def make_id_number(address_code: str, birth_date: datetime.date, sequence: int) -> str:
    """`sequence` 0-999: odd for men. The check character is computed, so the number is valid."""
    body = f"{address_code[:6]}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character
