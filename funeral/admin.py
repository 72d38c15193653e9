"""The Django admin of the funeral app: read-only, scoped lists with exports. Records change
through the pages' services (and imports through the staged import), so the admin holds no
business rule; the standards of this app are edited in the shared standards admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from import_export.admin import ExportMixin

from civil_affairs.areas.admin import ScopedAdmin

from . import resources
from .models import (
    AgencyInspection,
    Boundary,
    BoundaryInspection,
    Cemetery,
    CertificateReplacement,
    CorrectionTask,
    Death,
    DivorceApplication,
    EntryChange,
    FeeWaiver,
    Kinship,
    Marriage,
    MarriageAgency,
    MarriageRefusal,
    NamingDecision,
    PlaceName,
    TombSweepingPlan,
)


class ReadOnlyAdmin(ScopedAdmin):
    """Scoped (rows outside the user's areas do not exist) and read-only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExportAdmin(ExportMixin, ReadOnlyAdmin):  # type: ignore[misc]
    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


@admin.register(Death)
class DeathAdmin(ExportAdmin):
    view_action = "funeral.view"
    resource_classes = [resources.DeathResource]
    list_display = ["name", "masked_id_number", "died_on", "disposal", "handled_on", "area"]
    list_filter = ["disposal"]
    search_fields = ["=id_number", "name"]
    list_select_related = ["area"]
    fields = [
        "area",
        "name",
        "masked_id_number",
        "died_on",
        "disposal",
        "handled_on",
        "facility",
        "cremation_certificate",
        "sent_list",
    ]
    readonly_fields = fields


@admin.register(FeeWaiver)
class FeeWaiverAdmin(ReadOnlyAdmin):
    view_action = "funeral.view"
    list_display = ["death", "amount", "basis", "paid_on"]
    fields = ["amount", "basis", "paid_on", "ledger_entry"]
    readonly_fields = fields


@admin.register(Cemetery)
class CemeteryAdmin(ExportAdmin):
    view_action = "funeral.view"
    resource_classes = [resources.CemeteryResource]
    list_display = ["name", "area", "planned_plots", "status", "progress"]
    list_filter = ["status"]


@admin.register(TombSweepingPlan)
class TombSweepingPlanAdmin(ReadOnlyAdmin):
    view_action = "funeral.view"
    list_display = ["year", "title", "area", "starts_on", "ends_on"]


@admin.register(Marriage)
class MarriageAdmin(ExportAdmin):
    view_action = "marriage.view"
    resource_classes = [resources.MarriageResource]
    list_display = ["certificate_no", "registered_on", "party_a_name", "party_b_name", "status"]
    list_filter = ["status"]
    search_fields = ["=party_a_id_number", "=party_b_id_number", "=certificate_no"]


@admin.register(MarriageRefusal)
class MarriageRefusalAdmin(ReadOnlyAdmin):
    view_action = "marriage.view"
    list_display = ["refused_on", "party_a_name", "party_b_name", "reasons"]


@admin.register(Kinship)
class KinshipAdmin(ReadOnlyAdmin):
    view_action = "marriage.view"
    list_display = ["id_number_a", "id_number_b", "degree"]


@admin.register(DivorceApplication)
class DivorceApplicationAdmin(ReadOnlyAdmin):
    view_action = "marriage.view"
    list_display = ["marriage", "applied_on", "cooling_off_ends", "certificate_by", "status"]
    list_filter = ["status"]


@admin.register(CertificateReplacement)
class CertificateReplacementAdmin(ReadOnlyAdmin):
    view_action = "marriage.view"
    list_display = ["certificate_no", "kind", "issued_on", "marriage"]


@admin.register(MarriageAgency)
class MarriageAgencyAdmin(ExportAdmin):
    view_action = "agency.view"
    resource_classes = [resources.AgencyResource]
    list_display = ["name", "credit_code", "area", "status"]
    list_filter = ["status"]


@admin.register(AgencyInspection)
class AgencyInspectionAdmin(ReadOnlyAdmin):
    view_action = "agency.view"
    list_display = ["agency", "inspected_on", "result", "rectify_by"]


@admin.register(PlaceName)
class PlaceNameAdmin(ExportAdmin):
    view_action = "placename.view"
    resource_classes = [resources.PlaceNameResource]
    list_display = ["name", "pinyin", "kind", "area", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "pinyin"]
    list_select_related = ["area"]


@admin.register(NamingDecision)
class NamingDecisionAdmin(ReadOnlyAdmin):
    view_action = "placename.view"
    list_display = ["new_name", "kind", "procedure", "status", "notice_on"]


@admin.register(CorrectionTask)
class CorrectionTaskAdmin(ExportAdmin):
    view_action = "placename.view"
    resource_classes = [resources.CorrectionResource]
    list_display = ["problem", "area", "found_on", "status", "corrected_on"]
    list_filter = ["status"]


@admin.register(EntryChange)
class EntryChangeAdmin(ExportAdmin):
    view_action = "placename.view"
    resource_classes = [resources.EntryChangeResource]
    list_display = ["entry_name", "entry_code", "change", "effective_on", "area"]


@admin.register(Boundary)
class BoundaryAdmin(ExportAdmin):
    view_action = "placename.view"
    resource_classes = [resources.BoundaryResource]
    list_display = ["name", "parties", "length_km", "area"]


@admin.register(BoundaryInspection)
class BoundaryInspectionAdmin(ExportAdmin):
    view_action = "placename.view"
    resource_classes = [resources.BoundaryInspectionResource]
    list_display = ["boundary", "inspected_on", "parties", "markers_checked"]
