"""Demo data of the staged import: one checked upload per township caseworker, waiting with a
wrong row (nothing saved), so that the dry-run page has something to show and the security
walk tries the upload's pages with ids inside and outside each user's areas. It uses whichever
registered import the user may do (the domain apps are known only through the registry).
Idempotent: a user who has an upload gets none."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import translation

from . import services, staged
from .models import StagedImport

UPLOADERS = ("caseworker_a", "caseworker_b")
PREFERRED = "relief.households"  # the first import there was; any other one will do


def _file(spec: staged.Spec) -> bytes:
    """The spec's headers in Chinese, and one row with only its first column filled."""
    out = io.StringIO()
    writer = csv.writer(out)
    with translation.override("zh-hans"):
        writer.writerow([str(column.label) for column in spec.columns])
    writer.writerow(["示例", *["" for _column in spec.columns[1:]]])
    return out.getvalue().encode("utf-8-sig")


def load(areas: Any) -> None:
    users = get_user_model().objects.filter(username__in=UPLOADERS)
    for user in users:
        if StagedImport.objects.filter(uploader=user).exists():
            continue
        usable = sorted(
            (s for s in staged.specs() if s.may_use(user)), key=lambda s: s.key != PREFERRED
        )
        spec = usable[0] if usable else None
        if spec is None:
            continue
        services.staged_import_create(
            actor=user, spec_key=spec.key, file_name="示例名册.csv", data=_file(spec)
        )
