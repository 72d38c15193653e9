"""Money is Decimal yuan with two places, rounded here and nowhere else."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_yuan(value: Decimal | int | str) -> Decimal:
    """Round to the fen, half up (the county's rule for benefits)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
