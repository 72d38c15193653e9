"""The Django admin of governance: read-only, scoped lists with export. Every write goes
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
from .resources import CommitteeResource, MemberResource


class ReadOnlyExportAdmin(ExportMixin, ScopedAdmin):
    view_action = "committee.view"
    change_action = "committee.manage"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_export_queryset(self, request: HttpRequest) -> Any:
        return self.get_queryset(request)


def _resource(model: type[models.Model]) -> type[SafeResource]:
    names = {f.name for f in model._meta.get_fields()}
    private = [f for f in ("person", "candidate_person") if f in names]
    meta = type("Meta", (), {"model": model, "exclude": private})
    return type(f"{model.__name__}Resource", (SafeResource,), {"Meta": meta})


@admin.register(m.Committee)
class CommitteeAdmin(ReadOnlyExportAdmin):
    resource_classes = [CommitteeResource]
    list_display = ["area", "kind", "elected_on", "term_ends_on", "dissolved_on"]
    list_filter = ["kind"]
    list_select_related = ["area"]


@admin.register(m.Member)
class MemberAdmin(ReadOnlyExportAdmin):
    resource_classes = [MemberResource]
    list_display = ["name", "sex", "post", "committee", "elected_on", "left_on"]
    list_filter = ["post", "sex", "by_election"]
    list_select_related = ["committee__area"]
    exclude = ["person"]


for _model, _columns in [
    (m.Vacancy, ["committee", "post", "arose_on", "status"]),
    (m.ListItem, ["title", "kind", "area", "listed_on"]),
    (m.CancelledCertificate, ["item", "legal_basis", "cancelled_on", "status", "area"]),
    (m.CertificateRequest, ["item", "area", "requested_on", "outcome"]),
    (m.VillageRules, ["title", "version", "area", "passed_on", "status"]),
    (m.Deliberation, ["subject", "area", "implemented_on"]),
    (m.DeliberationStep, ["deliberation", "step", "on"]),
    (m.Disclosure, ["area", "topic", "due_on", "disclosed_on"]),
]:
    admin.site.register(
        _model,
        type(
            f"{_model.__name__}Admin",
            (ReadOnlyExportAdmin,),
            {"resource_classes": [_resource(_model)], "list_display": _columns},
        ),
    )
