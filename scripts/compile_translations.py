"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib: no GNU gettext needed at set-up."""

from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent

# the project's catalogue and each app's own (relief/locale, civil_affairs/payments/locale)
CATALOGUES = ["locale", "*/locale", "*/*/locale"]

for po_path in (p for c in CATALOGUES for p in BASE_DIR.glob(f"{c}/*/LC_MESSAGES/*.po")):
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
