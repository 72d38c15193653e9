"""The Django admin of relief: standards (edited here), the household import, and read-only
views of cases. Every write goes through the services; every list obeys the access policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from civil_affairs.areas import policy
from civil_affairs.areas.admin import ScopedAdmin
from civil_affairs.people import services as people_services

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
from .resources import IMPORT_FORMATS, HouseholdImportResource, error_path


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
    fields = [
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
    ]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("monthly income"))
    def monthly_income(self, obj: HouseholdMember) -> Any:
        return obj.monthly_income


class HouseholdImportForm(ImportForm):
    valid_only = forms.BooleanField(
        label=_("Import valid rows only"),
        required=False,
        help_text=_(
            "Households whose rows are all correct are imported; the others are left out and "
            "listed in an error file to fix and import again."
        ),
    )


class HouseholdConfirmForm(ConfirmImportForm):
    valid_only = forms.BooleanField(required=False, widget=forms.HiddenInput())


@admin.register(Household)
class HouseholdAdmin(ImportMixin, ScopedAdmin):
    view_action = "household.view"
    change_action = "household.update"
    resource_classes = [HouseholdImportResource]
    import_form_class = HouseholdImportForm
    confirm_form_class = HouseholdConfirmForm
    import_template_name = "admin/relief/household/import.html"
    import_formats = IMPORT_FORMATS
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

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        valid_only = False
        if form is not None and hasattr(form, "cleaned_data"):
            valid_only = bool(form.cleaned_data.get("valid_only"))
        return {"user": request.user, "valid_only": valid_only}

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["valid_only"] = bool(import_form.cleaned_data.get("valid_only"))
        return initial

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        data = super().get_import_data_kwargs(**kwargs)
        valid_only = bool(form is not None and form.cleaned_data.get("valid_only"))
        # all or nothing unless the user asked for the valid rows only
        data["rollback_on_validation_errors"] = not valid_only
        return data

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        result = context.get("result") if context else None
        if context is not None and result is not None:
            form = context["form"]
            valid_only = bool(form.is_valid() and form.cleaned_data.get("valid_only"))
            good = result.totals.get("new", 0)
            if "confirm_form" not in context and valid_only and not result.has_errors() and good:
                context["confirm_form"] = self.create_confirm_form(request, import_form=form)
            context["valid_only"] = valid_only
            context["good_rows"] = good
            context["bad_rows"] = len(result.invalid_rows)
            context["skipped_rows"] = result.totals.get("skip", 0)
            context["error_url"] = self._error_url(result)
        return response

    def _error_url(self, result: Any) -> str:
        token = getattr(result, "error_token", "")
        return reverse("admin:relief_household_import_errors", args=[token]) if token else ""

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        if result.has_errors():
            messages.error(
                request,
                gettext("Nothing was imported: %(errors)s")
                % {"errors": "; ".join(str(e.error) for e in result.base_errors)},
            )
            return HttpResponseRedirect(reverse("admin:relief_household_import"))
        written = getattr(result, "households_written", 0)
        if result.has_validation_errors() and not written:
            messages.error(request, gettext("Nothing was imported: some rows are wrong."))
            return HttpResponseRedirect(reverse("admin:relief_household_import"))
        messages.success(
            request,
            gettext("%(n)d households imported.") % {"n": written},
        )
        url = self._error_url(result)
        if url:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}" id="error-file">{}</a>',
                    gettext("Some rows were not imported."),
                    url,
                    gettext("Download them with the reasons (CSV)."),
                ),
            )
        return HttpResponseRedirect(reverse("admin:relief_household_changelist"))

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "import-errors/<str:token>/",
                self.admin_site.admin_view(self.import_errors),
                name="relief_household_import_errors",
            )
        ]
        return extra + super().get_urls()

    def import_errors(self, request: HttpRequest, token: str) -> FileResponse:
        """The error file of the user's own import (rows with a reason column)."""
        if not token.isalnum():
            raise Http404
        path_ = error_path(request.user.pk, token)
        if not path_.exists():
            raise Http404
        people_services.export_logged(
            actor=request.user, what="relief import errors", rows=path_.read_text().count("\n") - 1
        )
        return FileResponse(
            path_.open("rb"),
            as_attachment=True,
            filename="import-errors.csv",
            content_type="text/csv; charset=utf-8",
        )


# ---- cases, read-only


class PeriodInline(ReadOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = EntitlementPeriod
    fields = ["valid_from", "valid_to", "monthly_amount"]
    readonly_fields = fields
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
    fields = ["given_on", "kind", "cost", "note"]
    readonly_fields = fields
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
