"""The Django admin of social_orgs: read-only, scoped lists with export. Every write goes
through the pages, the API or the staged import (the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from import_export.admin import ExportMixin

from civil_affairs.areas.admin import ScopedAdmin
from civil_affairs.core.resources import SafeResource

from . import models as m
from .resources import InspectionResource, OrganisationResource


class ReadOnlyExportAdmin(ExportMixin, ScopedAdmin):
    view_action = "organisation.view"
    change_action = "organisation.change"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_export_queryset(self, request: HttpRequest) -> Any:
        return self.get_queryset(request)


def _resource(model: type[models.Model]) -> type[SafeResource]:
    meta = type("Meta", (), {"model": model})
    return type(f"{model.__name__}Resource", (SafeResource,), {"Meta": meta})


@admin.register(m.Organisation)
class OrganisationAdmin(ReadOnlyExportAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "credit_code", "org_type", "registration", "status", "area"]
    list_filter = ["status", "org_type", "registration"]
    search_fields = ["name", "=credit_code"]
    list_select_related = ["area"]


@admin.register(m.Inspection)
class InspectionAdmin(ReadOnlyExportAdmin):
    resource_classes = [InspectionResource]
    list_display = ["organisation", "year", "reported_on", "result"]
    list_filter = ["year", "result"]
    list_select_related = ["organisation"]


for _model, _columns in [
    (m.OrganisationChange, ["organisation", "changed_on", "field", "old_value", "new_value"]),
    (m.Evaluation, ["organisation", "grade", "awarded_on", "valid_until"]),
    (m.ListEntry, ["organisation", "kind", "entered_on", "removed_on"]),
    (m.EnforcementCase, ["subject", "area", "opened_on", "status", "outcome"]),
    (m.Charity, ["organisation", "recognised_on", "public_fundraising"]),
    (m.Donation, ["charity", "received_on", "donor", "amount"]),
    (m.Station, ["name", "area", "opened_on", "stars"]),
    (m.StationStaff, ["name", "station", "qualification", "joined_on"]),
    (m.Volunteer, ["name", "area", "team", "registered_on"]),
    (m.VolunteerService, ["volunteer", "served_on", "hours", "activity"]),
    (m.LotterySales, ["month", "channel", "area", "amount"]),
    (m.FundUse, ["project", "year", "area", "amount"]),
]:
    admin.site.register(
        _model,
        type(
            f"{_model.__name__}Admin",
            (ReadOnlyExportAdmin,),
            {"resource_classes": [_resource(_model)], "list_display": _columns},
        ),
    )
