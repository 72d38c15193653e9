"""Money is Decimal yuan with two places, rounded here and nowhere else."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_yuan(value: Decimal | int | str) -> Decimal:
    """Round to the fen, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_benefit(value: Decimal, unit: Decimal = CENT) -> Decimal:
    """A benefit, rounded once at the end, half up to the county's unit (the fen, 0.01, or the
    yuan, 1: a standard), kept with two places."""
    unit = Decimal(unit)
    if unit <= 0:
        unit = CENT
    steps = (Decimal(value) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return to_yuan(steps * unit)
