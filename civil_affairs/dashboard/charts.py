"""Charts drawn on the server (matplotlib, no browser library, no CDN), with a CJK font
shipped by a Python package (mplfonts' Noto Sans CJK SC) so Chinese labels show anywhere."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only

from matplotlib import font_manager
from matplotlib.figure import Figure as Canvas

_FONT: str | None = None


def _font() -> str:
    """The CJK font's family name, registered with matplotlib once."""
    global _FONT
    if _FONT is None:
        import mplfonts

        path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        font_manager.fontManager.addfont(str(path))
        _FONT = font_manager.FontProperties(fname=str(path)).get_name()
    return _FONT


def monthly_png(
    title: str, points: list[tuple[datetime.date, int | Decimal | None]], unit_label: str
) -> bytes:
    """A bar per month; a month without data has no bar (and says so in the title)."""
    family = _font()
    canvas = Canvas(figsize=(8, 3.6), dpi=100)
    axes = canvas.subplots()
    labels = [f"{m.month}" for m, _v in points]
    values = [float(v) if v is not None else 0.0 for _m, v in points]
    axes.bar(labels, values, color="#0d6efd")
    axes.set_title(title, fontfamily=family, fontsize=11)
    axes.set_ylabel(unit_label, fontfamily=family)
    axes.set_xlabel(f"{points[0][0].year}" if points else "", fontfamily=family)
    axes.grid(axis="y", alpha=0.3)
    canvas.tight_layout()
    out = io.BytesIO()
    canvas.savefig(out, format="png")
    return out.getvalue()
