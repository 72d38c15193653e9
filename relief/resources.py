"""django-import-export resource: households with their members from one xlsx/CSV file.

One row per member; rows sharing a `household_key` are one household. The whole file is
checked first (relief/imports.py); the dry run lists every bad row with its reasons.
Confirming writes nothing while any row is bad, unless the user ticked "import valid rows
only": then every household whose rows are all good is written, through the same service
as the intake form (services.household_create), and the rest go to an error file.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult

from . import services
from .imports import COLUMNS, ImportPlan, error_file, normalise_header, plan_import

ERROR_DIR = "relief/import_errors"


class FormulaVisibleXLSX(XLSX):
    """xlsx read with the formulas themselves, not their cached values: a formula cell must be
    reported as one, not silently read as empty."""

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=False)
        rows = book.active.rows
        dataset = tablib.Dataset()
        dataset.headers = [cell.value for cell in next(rows)]
        for row in rows:
            values = [cell.value for cell in row]
            if any(value not in (None, "") for value in values):
                dataset.append(values)
        return dataset


IMPORT_FORMATS = [CSV, FormulaVisibleXLSX]


def error_path(user_id: int, token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / ERROR_DIR / f"{user_id}-{token}.csv"


class HouseholdImportResource(resources.Resource):
    """Columns: household_key, area_code, address, registered_type, category, then the member's
    id_number, name, relationship, work_capacity, health, disability_certificate, the six
    monthly incomes, vehicles, real_estate, deposits (Chinese headers are accepted too)."""

    class Meta:
        use_transactions = True
        skip_diff = True
        report_skipped = True
        import_id_fields: tuple[str, ...] = ()
        instance_loader_class = BaseInstanceLoader  # rows are not model instances
        name = "households with members"

    def __init__(self, user: Any = None, valid_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.valid_only = valid_only
        self.plan: ImportPlan | None = None
        self.skipped: dict[int, str] = {}
        self.error_token = ""
        self.written = 0
        for column in COLUMNS:
            self.fields[column] = fields.Field(attribute=column, column_name=column)

    @classmethod
    def get_display_name(cls) -> str:
        from django.utils.translation import gettext

        return gettext("Households with members")

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.user = self.user or kwargs.get("user")
        dataset.headers = [normalise_header(h) for h in dataset.headers or []]
        rows = [dict(zip(dataset.headers, values, strict=False)) for values in dataset]
        self.plan = plan_import(actor=self.user, rows=rows)
        self.skipped = self.plan.skipped_rows()
        if self.plan.errors or self.skipped:
            self.error_token = secrets.token_hex(8)
            path = error_path(self.user.pk, self.error_token)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(error_file(self.plan, list(dataset.headers)), encoding="utf-8")

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> RowResult:
        assert self.plan is not None
        number = kwargs["row_number"]
        result = self.get_row_result_class()()
        if number in self.plan.errors:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(self.plan.errors[number])
        elif number in self.skipped:
            result.import_type = RowResult.IMPORT_TYPE_SKIP
        else:
            result.import_type = RowResult.IMPORT_TYPE_NEW
            result.object_repr = f"{row.get('name')} ({row.get('household_key')})"
        return result

    def after_import(self, dataset: Any, result: Result, **kwargs: Any) -> None:
        assert self.plan is not None
        result.error_token = self.error_token  # type: ignore[attr-defined]
        if kwargs.get("dry_run") or (self.plan.errors and not self.valid_only):
            return
        for key in self.plan.good_households():
            values = self.plan.household_values[key]
            services.household_create(
                actor=self.user,
                area=values["area"],
                registered_type=values["registered_type"],
                category=values["category"],
                address=values["address"],
                members=self.plan.members_of(key),
            )
            self.written += 1
        result.households_written = self.written  # type: ignore[attr-defined]
