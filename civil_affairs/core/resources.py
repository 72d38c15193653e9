"""The base of every django-import-export resource that exports: each text cell is shown in
a spreadsheet, never run (core/spreadsheet.py)."""

from typing import Any

from import_export import resources

from .spreadsheet import cell_safe_value


class SafeResource(resources.ModelResource):
    """A model resource whose exported text cells go through `cell_safe`, whatever path the
    value took into the database (CSV and xlsx alike: openpyxl would run a leading `=`)."""

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        return cell_safe_value(super().export_field(field, instance, **kwargs))
