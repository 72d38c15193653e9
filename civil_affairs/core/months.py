"""Benefit months are stored as the first day of the month."""

import datetime


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> datetime.date:
    """'2026-04' -> date(2026, 4, 1); raises ValueError with the text on bad input."""
    try:
        year, month = text.strip().split("-")[:2]
        return datetime.date(int(year), int(month), 1)
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not a month (YYYY-MM): {text!r}") from exc
