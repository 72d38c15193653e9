from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civil_affairs.areas.admin import ScopedAdmin

from . import services
from .models import AnnualReport, Target


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    view_action = "dashboard.view"
    change_action = "target.manage"
    list_display = ["figure_key", "area", "year", "value", "note"]
    list_filter = ["year", "figure_key"]
    fields = ["figure_key", "area", "year", "value", "note"]
    raw_id_fields = ["area"]

    def save_model(self, request: HttpRequest, obj: Target, form: Any, change: bool) -> None:
        data = form.cleaned_data
        obj.pk = services.target_set(
            actor=request.user,
            figure_key=data["figure_key"],
            area=data["area"],
            year=data["year"],
            value=data["value"],
            note=data.get("note", ""),
        ).pk


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdmin):
    """Generated on the report page; read here."""

    view_action = "report.view"
    change_action = "report.generate"
    list_display = ["year", "area", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "year"]
    fields = ["year", "area", "status", "requested_by", "created_at", "finished_at", "error"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
