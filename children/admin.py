"""The children's admin: read-only views of the records (they change through their pages'
services), exports, and the mandatory reports only for the roles that handle them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from civil_affairs.areas import policy
from civil_affairs.areas.admin import ScopedAdmin

from . import services
from .models import (
    Allowance,
    Appointment,
    CareActivity,
    Child,
    FollowUp,
    Guardian,
    MandatoryReport,
    ParentSituation,
    Training,
    Visit,
)
from .resources import (
    AllowanceResource,
    AppointmentResource,
    CareActivityResource,
    ChildResource,
    MandatoryReportResource,
)


class ReadOnlyMixin:
    """Records change through their services (pages, API, imports), never by editing rows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExportScoped(ExportMixin, ScopedAdmin):
    def get_export_queryset(self, request: HttpRequest) -> Any:
        return self.get_queryset(request)

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


class ParentInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = ParentSituation
    fields = readonly_fields = ("parent", "situation", "evidence", "since", "ended_on")
    extra = 0


class GuardianInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Guardian
    fields = readonly_fields = ("name", "relationship", "phone", "entrusted")
    extra = 0


@admin.register(Child)
class ChildAdmin(ReadOnlyMixin, ExportScoped):
    view_action = "child.view"
    change_action = "child.register"
    resource_classes = [ChildResource]
    list_display = ["name", "masked_id", "category", "area", "risk_level", "status"]
    list_filter = ["category", "risk_level", "status", "in_full_time_education"]
    search_fields = ["=person__id_number", "person__name"]
    list_select_related = ["person", "area"]
    fields = [
        "masked_id",
        "name",
        "area",
        "category",
        "registered_on",
        "school",
        "in_full_time_education",
        "left_school_on",
        "risk_level",
        "status",
    ]
    readonly_fields = fields
    inlines = [ParentInline, GuardianInline]

    @admin.display(description=_("name"))
    def name(self, obj: Child) -> str:
        return obj.person.name

    @admin.display(description=_("ID number"))
    def masked_id(self, obj: Child) -> str:
        return obj.person.masked_id_number

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return policy.scope(request.user, Child.objects.all(), "child.view")


@admin.register(Allowance)
class AllowanceAdmin(ReadOnlyMixin, ExportScoped):
    view_action = "child.view"
    change_action = "child_allowance.manage"
    resource_classes = [AllowanceResource]
    list_display = ["person", "program", "variant", "start_month", "end_month", "status"]
    list_filter = ["program", "status"]
    search_fields = ["=person__id_number", "person__name"]
    list_select_related = ["person"]
    exclude = ["person", "child"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return policy.scope(request.user, Allowance.objects.all(), "child.view")


class TrainingInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Training
    fields = readonly_fields = ("trained_on", "topic", "hours")
    extra = 0


@admin.register(Appointment)
class AppointmentAdmin(ExportScoped):
    view_action = "child.view"
    change_action = "child_staff.manage"
    resource_classes = [AppointmentResource]
    list_display = ["name", "post", "area", "appointed_on", "ended_on"]
    list_filter = ["post"]
    search_fields = ["name", "area__name"]
    fields = ["post", "area", "name", "phone", "appointed_on", "ended_on"]
    raw_id_fields = ["area"]
    inlines = [TrainingInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["post", "area", "name", "phone", "appointed_on", "ended_on"] if obj else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and policy.may(
            request.user, "child_staff.manage"
        )

    def save_model(self, request: HttpRequest, obj: Appointment, form: Any, change: bool) -> None:
        if change:
            return  # an appointment is ended on its page (a service), not edited
        created = services.appointment_create(
            actor=request.user,
            post=obj.post,
            area=obj.area,
            name=obj.name,
            phone=obj.phone,
            appointed_on=obj.appointed_on,
        )
        obj.pk = created.pk


@admin.register(Visit)
class VisitAdmin(ReadOnlyMixin, ScopedAdmin):
    view_action = "child.view"
    change_action = "child_visit.record"
    list_display = ["visited_on", "child", "risk_level", "visitor"]
    list_filter = ["risk_level"]
    list_select_related = ["child__person", "visitor"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyMixin, ScopedAdmin):
    view_action = "child.view"
    change_action = "child_followup.close"
    list_display = ["deadline", "child", "status", "done_on"]
    list_filter = ["status"]
    list_select_related = ["child__person"]


@admin.register(MandatoryReport)
class MandatoryReportAdmin(ReadOnlyMixin, ExportScoped):
    """Only the children's officer and administrators: for everyone else the reports do not
    exist here either (scoped by the view action, 404 on an id)."""

    view_action = "mandatory_report.view"
    change_action = "mandatory_report.manage"
    resource_classes = [MandatoryReportResource]
    list_display = ["received_at", "child_name", "reporter", "area", "status"]
    list_filter = ["status"]
    search_fields = ["child_name", "reporter"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return policy.scope(request.user, MandatoryReport.objects.all(), "mandatory_report.view")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and policy.may(
            request.user, "mandatory_report.view"
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and policy.may(
            request.user, "mandatory_report.view", obj
        )


@admin.register(CareActivity)
class CareActivityAdmin(ReadOnlyMixin, ExportScoped):
    view_action = "care_activity.view"
    change_action = "care_activity.record"
    resource_classes = [CareActivityResource]
    list_display = ["held_on", "theme", "area", "children_reached", "funds_raised", "goods_value"]
    list_select_related = ["area"]
