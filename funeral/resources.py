"""Exports of the funeral app's registers (django-import-export): every text cell goes
through SafeResource; a deceased's ID number is masked (marriage records, the registrar's
alone, keep theirs whole). Each export is logged."""

from __future__ import annotations

from typing import Any

from import_export import fields

from civil_affairs.core.resources import SafeResource
from civil_affairs.people import services as people_services

from .models import (
    Boundary,
    BoundaryInspection,
    Cemetery,
    CorrectionTask,
    Death,
    EntryChange,
    Marriage,
    MarriageAgency,
    PlaceName,
)


class LoggedResource(SafeResource):
    what = ""

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def export(self, queryset: Any = None, **kwargs: Any) -> Any:
        data = super().export(queryset, **kwargs)
        if self.user is not None:
            people_services.export_logged(actor=self.user, what=self.what, rows=len(data))
        return data


class DeathResource(LoggedResource):
    what = "funeral deaths (admin)"
    id_number = fields.Field(attribute="masked_id_number", column_name="id_number")
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Death
        fields = [
            "id",
            "area_code",
            "id_number",
            "name",
            "died_on",
            "disposal",
            "handled_on",
            "facility",
            "cremation_certificate",
        ]
        export_order = fields


class CemeteryResource(LoggedResource):
    what = "funeral cemeteries (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Cemetery
        fields = ["id", "area_code", "name", "planned_plots", "investment", "status", "progress"]
        export_order = fields


class MarriageResource(LoggedResource):
    what = "marriages (admin)"

    class Meta:
        model = Marriage
        fields = [
            "id",
            "registered_on",
            "certificate_no",
            "party_a_id_number",
            "party_a_name",
            "party_b_id_number",
            "party_b_name",
            "status",
            "ended_on",
        ]
        export_order = fields


class AgencyResource(LoggedResource):
    what = "marriage agencies (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = MarriageAgency
        fields = ["id", "area_code", "name", "credit_code", "manager", "phone", "address", "status"]
        export_order = fields


class PlaceNameResource(LoggedResource):
    what = "place names (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = PlaceName
        fields = ["id", "area_code", "name", "pinyin", "kind", "longitude", "latitude", "status"]
        export_order = fields


class CorrectionResource(LoggedResource):
    what = "place-name corrections (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = CorrectionTask
        fields = ["id", "area_code", "found_on", "problem", "status", "corrected_on", "correction"]
        export_order = fields


class EntryChangeResource(LoggedResource):
    what = "village entries added or changed (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = EntryChange
        fields = ["id", "area_code", "change", "entry_name", "entry_code", "effective_on"]
        export_order = fields


class BoundaryResource(LoggedResource):
    what = "boundaries (admin)"

    class Meta:
        model = Boundary
        fields = ["id", "name", "parties", "length_km"]
        export_order = fields


class BoundaryInspectionResource(LoggedResource):
    what = "joint inspections (admin)"
    boundary_name = fields.Field(attribute="boundary__name", column_name="boundary")

    class Meta:
        model = BoundaryInspection
        fields = ["id", "boundary_name", "inspected_on", "parties", "markers_checked", "disputes"]
        export_order = fields
