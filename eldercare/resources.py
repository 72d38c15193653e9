"""Exports of elder care's records (django-import-export in the admin): every text cell safe
in a spreadsheet (SafeResource), ID numbers masked, every export logged. Imports go through
the staged import (imports.py), which calls the same services as the forms."""

from __future__ import annotations

from typing import Any

from import_export import fields

from civil_affairs.core.resources import SafeResource
from civil_affairs.people import services as people_services

from .models import (
    CareWorker,
    Finding,
    FundraisingScreening,
    HomeCareCentre,
    Institution,
    Modification,
    OldAgeAllowance,
    Resident,
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


class PersonColumns(LoggedResource):
    """The person's name and masked ID number (a whole number is a logged reveal only)."""

    person_name = fields.Field(attribute="person__name", column_name="name")
    id_number = fields.Field(attribute="person__masked_id_number", column_name="id_number")


class InstitutionResource(LoggedResource):
    what = "eldercare institutions (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Institution
        fields = [
            "credit_code",
            "name",
            "nature",
            "filing_date",
            "filing_number",
            "beds",
            "nursing_beds",
            "operator",
            "area_code",
        ]
        export_order = fields


class ResidentResource(PersonColumns):
    what = "eldercare residents (admin)"
    institution_code = fields.Field(
        attribute="institution__credit_code", column_name="institution_credit_code"
    )

    class Meta:
        model = Resident
        fields = [
            "institution_code",
            "id_number",
            "person_name",
            "admitted_on",
            "discharged_on",
            "ability_level",
            "assessed_on",
            "vaccinated",
            "vaccinated_on",
        ]
        export_order = fields


class FindingResource(LoggedResource):
    what = "eldercare findings (admin)"
    institution = fields.Field(attribute="inspection__institution__name", column_name="institution")
    kind = fields.Field(attribute="inspection__kind", column_name="kind")
    inspected_on = fields.Field(attribute="inspection__inspected_on", column_name="inspected_on")
    verified_by = fields.Field(attribute="verified_by__username", column_name="verified_by")

    class Meta:
        model = Finding
        fields = [
            "institution",
            "kind",
            "inspected_on",
            "description",
            "severity",
            "deadline",
            "status",
            "fixed_on",
            "evidence",
            "verified_by",
            "verified_on",
        ]
        export_order = fields


class ScreeningResource(LoggedResource):
    what = "eldercare fund-raising screening (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = FundraisingScreening
        fields = ["unit_kind", "unit_name", "area_code", "screened_on", "result", "notes"]
        export_order = fields


class CentreResource(LoggedResource):
    what = "eldercare home-care centres (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = HomeCareCentre
        fields = [
            "name",
            "area_code",
            "status",
            "operator",
            "services",
            "meal_service",
            "planned_on",
            "construction_started_on",
            "built_on",
            "opened_on",
        ]
        export_order = fields


class ModificationResource(PersonColumns):
    what = "eldercare home modifications (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Modification
        fields = [
            "id_number",
            "person_name",
            "area_code",
            "address",
            "applied_on",
            "status",
            "assessed_on",
            "total_cost",
            "works_started_on",
            "contractor",
            "accepted_on",
        ]
        export_order = fields


class CareWorkerResource(PersonColumns):
    what = "eldercare care workers (admin)"
    employer = fields.Field(column_name="employer")

    class Meta:
        model = CareWorker
        fields = [
            "id_number",
            "person_name",
            "employer",
            "skill_level",
            "certificate_number",
            "certified_on",
            "employed_from",
            "employed_until",
        ]
        export_order = fields

    def dehydrate_employer(self, worker: CareWorker) -> str:
        employer = worker.institution or worker.centre
        return str(employer) if employer is not None else ""


class AllowanceResource(PersonColumns):
    what = "eldercare old-age allowances (admin)"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = OldAgeAllowance
        fields = [
            "id_number",
            "person_name",
            "area_code",
            "applied_on",
            "first_month",
            "end_month",
            "status",
            "status_reason",
        ]
        export_order = fields
