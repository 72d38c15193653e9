"""Elder care in the Django admin: every list scoped by the access policy and exportable
(ID numbers masked, exports logged); institutions added and changed through their services;
the county's lists of modification items kept here (a county-wide setting). Other records
change through their pages' services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from import_export.admin import ExportMixin

from civil_affairs.areas.admin import CountyWideMixin, ScopedAdmin
from civil_affairs.core.admin import HistoryAdmin

from . import resources, services
from .models import (
    CareWorker,
    Finding,
    FundraisingScreening,
    Grade,
    HomeCareCentre,
    Inspection,
    Institution,
    Modification,
    ModificationItem,
    OldAgeAllowance,
    Resident,
    Training,
)


class ExportScoped(ExportMixin, ScopedAdmin):
    view_action = "eldercare.view"

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


class ReadOnly(ExportScoped):
    """Records that change through their pages' services, never by editing rows here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GradeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Grade
    fields = readonly_fields = ("level", "rated_on", "valid_until", "evidence")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Institution)
class InstitutionAdmin(ExportScoped):
    change_action = "institution.manage"
    resource_classes = [resources.InstitutionResource]
    list_display = ["name", "credit_code", "nature", "area", "beds", "nursing_beds"]
    list_filter = ["nature"]
    search_fields = ["name", "=credit_code"]
    list_select_related = ["area"]
    fields = [
        "area",
        "credit_code",
        "name",
        "nature",
        "filing_date",
        "filing_number",
        "beds",
        "nursing_beds",
        "operator",
    ]
    raw_id_fields = ["area"]
    inlines = [GradeInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["credit_code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Institution, form: Any, change: bool) -> None:
        data = dict(form.cleaned_data)
        if change:
            changes = {f: data[f] for f in form.changed_data if f != "credit_code"}
            services.institution_update(actor=request.user, institution=obj, **changes)
        else:
            created = services.institution_create(actor=request.user, **data)
            obj.pk = created.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        from civil_affairs.areas import policy

        return super().has_add_permission(request) and policy.may(
            request.user, "institution.manage"
        )


@admin.register(Resident)
class ResidentAdmin(ReadOnly):
    resource_classes = [resources.ResidentResource]
    list_display = ["person", "institution", "admitted_on", "discharged_on", "ability_level"]
    list_filter = ["vaccinated", "ability_level"]
    search_fields = ["=person__id_number", "person__name", "institution__name"]
    list_select_related = ["person", "institution"]


class FindingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Finding
    fields = readonly_fields = (
        "severity",
        "description",
        "deadline",
        "status",
        "fixed_on",
        "verified_by",
    )
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnly):
    list_display = ["institution", "kind", "inspected_on", "inspectors"]
    list_filter = ["kind"]
    search_fields = ["institution__name"]
    list_select_related = ["institution"]
    inlines = [FindingInline]
    resource_classes = [resources.FindingResource]

    def get_export_queryset(self, request: HttpRequest) -> Any:
        from civil_affairs.areas import policy

        return policy.scope(request.user, Finding.objects.all()).select_related(
            "inspection__institution", "verified_by"
        )


@admin.register(FundraisingScreening)
class ScreeningAdmin(ReadOnly):
    resource_classes = [resources.ScreeningResource]
    list_display = ["unit_name", "unit_kind", "area", "screened_on", "result"]
    list_filter = ["unit_kind", "result"]
    list_select_related = ["area"]


@admin.register(HomeCareCentre)
class CentreAdmin(ReadOnly):
    resource_classes = [resources.CentreResource]
    list_display = ["name", "area", "status", "operator", "meal_service"]
    list_filter = ["status", "meal_service"]
    list_select_related = ["area"]


@admin.register(Modification)
class ModificationAdmin(ReadOnly):
    resource_classes = [resources.ModificationResource]
    list_display = ["person", "area", "applied_on", "status", "total_cost", "accepted_on"]
    list_filter = ["status"]
    search_fields = ["=person__id_number", "person__name"]
    list_select_related = ["person", "area"]


@admin.register(ModificationItem)
class ModificationItemAdmin(CountyWideMixin, HistoryAdmin):
    """The county's basic and optional lists: a county-wide setting."""

    county_action = "modification_item.manage"
    list_display = ["code", "name", "list", "active"]
    list_filter = ["list", "active"]


class TrainingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Training
    fields = readonly_fields = ("course", "attended_on", "hours")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CareWorker)
class CareWorkerAdmin(ReadOnly):
    resource_classes = [resources.CareWorkerResource]
    list_display = ["person", "institution", "centre", "skill_level", "certificate_number"]
    list_filter = ["skill_level"]
    search_fields = ["=person__id_number", "person__name"]
    list_select_related = ["person", "institution", "centre"]
    inlines = [TrainingInline]


@admin.register(OldAgeAllowance)
class AllowanceAdmin(ReadOnly):
    resource_classes = [resources.AllowanceResource]
    list_display = ["person", "area", "first_month", "end_month", "status"]
    list_filter = ["status"]
    search_fields = ["=person__id_number", "person__name"]
    list_select_related = ["person", "area"]
