"""Text that goes into files staff open in a spreadsheet (CSV exports, error files)."""

# A cell starting with one of these is run as a formula by Excel and WPS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(text: str) -> str:
    """Quote a would-be formula with a leading apostrophe so it is shown, not run."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


class Echo:
    """A file-like object whose write returns the line: csv.writer into a streamed response."""

    def write(self, value: str) -> str:
        return value
