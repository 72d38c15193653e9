"""The Django admin of relief: standards (edited here), a link to the household import, and
read-only views of cases. Every write goes through the services; every list obeys the access
policy."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.admin import ScopedAdmin

from . import services
from .models import (
    Application,
    ApprovalDelegation,
    Entitlement,
    EntitlementPeriod,
    Holiday,
    HomelessCase,
    HomelessService,
    Household,
    HouseholdMember,
    MedicalAid,
    PatrolZone,
    ReserveFund,
    Review,
)


class ReadOnlyMixin:
    """Cases change through their pages' services, never by editing rows here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ---- households and the import


class MemberInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = HouseholdMember
    fields = readonly_fields = (
        "person",
        "relationship",
        "work_capacity",
        "health",
        "disability_type",
        "disability_grade",
        "monthly_income",
        "deposits",
        "vehicles",
        "real_estate",
    )
    extra = 0

    @admin.display(description=_("monthly income"))
    def monthly_income(self, obj: HouseholdMember) -> Any:
        return obj.monthly_income


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    """Households are read and edited here; they are added on the intake page or by the staged
    import (/imports/relief.households/), to which this admin's "import" leads."""

    view_action = "household.view"
    change_action = "household.update"
    change_list_template = "admin/relief/household/change_list.html"
    list_display = ["id", "head_name", "area", "registered_type", "category", "caseworker"]
    list_filter = ["registered_type", "category"]
    search_fields = ["=members__person__id_number", "members__person__name"]
    list_select_related = ["area", "caseworker"]
    fields = ["area", "address", "registered_type", "category", "caseworker"]
    readonly_fields = ["area"]
    raw_id_fields = ["caseworker"]
    inlines = [MemberInline]

    @admin.display(description=_("head of household"))
    def head_name(self, obj: Household) -> str:
        head = obj.head
        return head.name if head else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the intake page or the import

    def has_import_permission(self, request: HttpRequest) -> bool:
        return policy.may(request.user, "household.import")

    def save_model(self, request: HttpRequest, obj: Household, form: Any, change: bool) -> None:
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f != "area"}
        services.household_update(actor=request.user, household=obj, **changes)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {
            **(extra_context or {}),
            "import_url": staged_import_url() if self.has_import_permission(request) else "",
        }
        return super().changelist_view(request, extra_context=extra)

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_redirect),
                name="relief_household_import",
            )
        ]
        return extra + super().get_urls()

    def import_redirect(self, request: HttpRequest) -> HttpResponse:
        """The admin's import is the staged import's page."""
        return HttpResponseRedirect(staged_import_url())


def staged_import_url() -> str:
    from .imports import KEY

    return reverse("imports:upload", args=[KEY])


# ---- cases, read-only


class PeriodInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = EntitlementPeriod
    fields = readonly_fields = ("valid_from", "valid_to", "monthly_amount")
    extra = 0


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyMixin, ScopedAdmin):
    view_action = "household.view"
    change_action = "entitlement.manage"
    list_display = [
        "program",
        "person",
        "area",
        "monthly_amount",
        "start_month",
        "end_month",
        "status",
    ]
    list_filter = ["program", "status"]
    search_fields = ["=person__id_number", "person__name"]
    list_select_related = ["person", "area"]
    inlines = [PeriodInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, ScopedAdmin):
    view_action = "household.view"
    change_action = "application.casework"
    list_display = ["id", "program", "person", "status", "applied_on", "approved_amount"]
    list_filter = ["program", "status"]
    search_fields = ["=person__id_number", "person__name"]
    list_select_related = ["person"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyMixin, ScopedAdmin):
    view_action = "household.view"
    change_action = "entitlement.review"
    list_display = ["household", "due_date", "status", "outcome", "effective_month"]
    list_filter = ["status", "outcome"]


@admin.register(PatrolZone)
class PatrolZoneAdmin(ScopedAdmin):
    view_action = "household.view"
    change_action = "homeless.manage"
    list_display = ["name", "area", "active"]
    raw_id_fields = ["area"]

    def save_model(self, request: HttpRequest, obj: PatrolZone, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.patrol_zone_update(
                actor=request.user,
                zone=obj,
                **{f: data[f] for f in ("name", "description", "active") if f in form.changed_data},
            )
        else:
            obj.pk = services.patrol_zone_create(
                actor=request.user,
                area=data["area"],
                name=data["name"],
                description=data.get("description", ""),
            ).pk


class ServiceInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = HomelessService
    fields = readonly_fields = ("given_on", "kind", "cost", "note")
    extra = 0


@admin.register(HomelessCase)
class HomelessCaseAdmin(ReadOnlyMixin, ScopedAdmin):
    view_action = "household.view"
    change_action = "homeless.manage"
    list_display = ["name", "found_on", "zone", "status", "closed_on"]
    list_filter = ["status"]
    inlines = [ServiceInline]


@admin.register(MedicalAid)
class MedicalAidAdmin(ReadOnlyMixin, ScopedAdmin):
    view_action = "household.view"
    change_action = "medical_aid.record"
    list_display = ["person", "treated_on", "hospital", "total_cost", "aid_amount"]
    date_hierarchy = "treated_on"
    list_select_related = ["person"]


# ---- the case order's settings: delegation per program and dated, holidays, reserve funds


@admin.register(ApprovalDelegation)
class ApprovalDelegationAdmin(ScopedAdmin):
    view_action = "household.view"
    change_action = "delegation.manage"
    list_display = ["township", "program", "valid_from", "valid_to", "note"]
    list_filter = ["program"]
    raw_id_fields = ["township"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    view_action = "household.view"
    change_action = "delegation.manage"
    list_display = ["day", "name", "working", "county"]
    raw_id_fields = ["county"]


@admin.register(ReserveFund)
class ReserveFundAdmin(ScopedAdmin):
    view_action = "household.view"
    change_action = "reserve.manage"
    list_display = ["township", "year", "amount", "reference"]
    raw_id_fields = ["township"]
