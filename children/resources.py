"""Admin exports (django-import-export): ID numbers masked, every text cell safe in a
spreadsheet (SafeResource), every export logged. The registry is imported through the staged
import (children/imports.py), which calls the same service as the form."""

from __future__ import annotations

from typing import Any

from import_export import fields

from civil_affairs.core.resources import SafeResource
from civil_affairs.people.services import export_logged

from .models import Allowance, Appointment, CareActivity, Child, MandatoryReport


class LoggedResource(SafeResource):
    what = ""

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def export(self, queryset: Any = None, **kwargs: Any) -> Any:
        data = super().export(queryset, **kwargs)
        if self.user is not None:
            export_logged(actor=self.user, what=f"{self.what} (admin)", rows=len(data))
        return data


class ChildResource(LoggedResource):
    what = "children"
    id_number = fields.Field(attribute="person__masked_id_number", column_name="id_number")
    name = fields.Field(attribute="person__name", column_name="name")
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Child
        fields = [
            "id_number",
            "name",
            "area_code",
            "category",
            "registered_on",
            "school",
            "in_full_time_education",
            "left_school_on",
            "risk_level",
            "status",
        ]
        export_order = fields


class AllowanceResource(LoggedResource):
    what = "child allowances"
    id_number = fields.Field(attribute="person__masked_id_number", column_name="id_number")
    name = fields.Field(attribute="person__name", column_name="name")
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Allowance
        fields = [
            "id_number",
            "name",
            "area_code",
            "program",
            "variant",
            "start_month",
            "end_month",
            "suspended_from",
            "status",
            "status_reason",
        ]
        export_order = fields


class AppointmentResource(LoggedResource):
    what = "child directors and supervisors"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Appointment
        fields = ["post", "area_code", "name", "phone", "appointed_on", "ended_on"]
        export_order = fields


class MandatoryReportResource(LoggedResource):
    what = "mandatory reports"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = MandatoryReport
        fields = [
            "received_at",
            "area_code",
            "reporter",
            "reporter_unit",
            "child_name",
            "description",
            "referred_to",
            "referred_on",
            "police_case_number",
            "outcome",
            "status",
        ]
        export_order = fields


class CareActivityResource(LoggedResource):
    what = "care activities"
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = CareActivity
        fields = [
            "held_on",
            "area_code",
            "theme",
            "organiser",
            "children_reached",
            "funds_raised",
            "goods_value",
        ]
        export_order = fields
