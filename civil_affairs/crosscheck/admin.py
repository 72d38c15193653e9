"""Admin: the rule table and thresholds (edited by administrators through the services), and
read-only views of lists, runs and warnings. The monthly schedule is django-celery-beat's
periodic task "信息比对：每月比对（发放前）"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civil_affairs import benefits
from civil_affairs.areas import policy
from civil_affairs.areas.admin import CountyWideMixin, ScopedAdmin
from civil_affairs.core.admin import HistoryAdmin

from . import services
from .models import ColumnMapping, ExternalList, MatchRule, MatchRun, Threshold, Warning


class MatchRuleForm(forms.ModelForm):
    class Meta:
        model = MatchRule
        fields = [
            "kind",
            "name",
            "programs",
            "severity",
            "suggested_action",
            "reach",
            "threshold_name",
            "age_years",
            "unless_fact",
            "effective_basis",
            "escalate_after_days",
            "active",
            "description",
        ]
        help_texts = {"programs": ""}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known = ", ".join(sorted(benefits.programs()))
        if "programs" not in self.fields:  # read-only for this user (county-wide rule)
            return
        self.fields["programs"].help_text = _(
            "Program codes separated by commas; empty means every program. Paid by the apps "
            "now: %(codes)s. A rule for programs no app pays yet matches no one until one does."
        ) % {"codes": known}
        self.fields["threshold_name"] = forms.ChoiceField(
            label=self.fields["threshold_name"].label,
            help_text=self.fields["threshold_name"].help_text,
            choices=[("", "---------"), *services.threshold_choices()],
            required=False,
        )

    def _post_clean(self) -> None:  # type: ignore[misc] # Django's hook after the instance is built
        super()._post_clean()  # type: ignore[misc]
        try:  # the service's rules, shown on the form before anything is saved
            services.rule_check(rule=self.instance)
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]


@admin.register(MatchRule)
class MatchRuleAdmin(CountyWideMixin, HistoryAdmin):
    form = MatchRuleForm
    county_action = "crosscheck.rules"
    list_display = [
        "name",
        "kind",
        "severity",
        "suggested_action",
        "reach",
        "threshold_name",
        "escalate_after_days",
        "active",
        "in_effect",
    ]
    list_filter = ["kind", "active", "severity"]
    search_fields = ["name", "description"]
    readonly_fields = ["effect"]

    @admin.display(boolean=True, description=_("in effect"))
    def in_effect(self, obj: MatchRule) -> bool:
        return obj.in_effect

    @admin.display(description=_("in effect"))
    def effect(self, obj: MatchRule | None) -> str:
        if obj is None or obj.pk is None:
            return ""
        missing = obj.unregistered_programs
        if not obj.active:
            return str(_("No: the rule is not active."))
        if not obj.in_effect:
            return str(
                _(
                    "No: no app pays benefits of %(codes)s yet, so the rule matches no one. It "
                    "takes effect by itself once an app that pays one of them is installed."
                )
                % {"codes": ", ".join(missing)}
            )
        if missing:
            return str(
                _("Yes, for the programs paid now; no app pays %(codes)s yet.")
                % {"codes": ", ".join(missing)}
            )
        return str(_("Yes."))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # rules that raised warnings are their evidence; deactivate instead

    def save_model(self, request: HttpRequest, obj: MatchRule, form: Any, change: bool) -> None:
        services.rule_save(actor=request.user, rule=obj)


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Threshold
        fields = ["name", "area", "valid_from", "valid_to", "amount", "note"]

    def _post_clean(self) -> None:  # type: ignore[misc] # Django's hook after the instance is built
        super()._post_clean()  # type: ignore[misc]
        if self.instance.area_id and self.instance.valid_from:
            try:
                services.threshold_check(threshold=self.instance)
            except ValidationError as exc:
                self._update_errors(exc)  # type: ignore[attr-defined]


@admin.register(Threshold)
class ThresholdAdmin(ScopedAdmin):
    form = ThresholdForm
    view_action = "crosscheck.rules"
    change_action = "crosscheck.rules"
    list_display = ["name", "area", "valid_from", "valid_to", "amount", "note"]
    list_filter = ["name"]
    raw_id_fields = ["area"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and policy.may(request.user, "crosscheck.rules")

    def save_model(self, request: HttpRequest, obj: Threshold, form: Any, change: bool) -> None:
        services.threshold_save(actor=request.user, threshold=obj)


@admin.register(ColumnMapping)
class ColumnMappingAdmin(CountyWideMixin, HistoryAdmin):
    county_action = "crosscheck.upload"
    list_display = ["kind", "columns", "updated_by", "updated_at"]
    readonly_fields = ["kind", "columns", "delimiter", "updated_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # saved from the upload page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnly(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExternalList)
class ExternalListAdmin(_ReadOnly):
    view_action = "crosscheck.view"
    list_display = ["kind", "source", "valid_on", "area", "status", "rows_loaded", "rows_rejected"]
    list_filter = ["kind", "status"]
    search_fields = ["source", "original_name"]


@admin.register(MatchRun)
class MatchRunAdmin(_ReadOnly):
    view_action = "crosscheck.view"
    list_display = ["created_at", "area", "as_of", "status", "chunks_done", "warnings_created"]
    list_filter = ["status"]


@admin.register(Warning)
class WarningAdmin(_ReadOnly):
    view_action = "warning.view"
    list_display = ["created_at", "kind", "severity", "person", "area", "status"]
    list_filter = ["status", "kind", "severity"]
    list_select_related = ["person", "area"]
    raw_id_fields = ["person", "subject", "list_row", "run", "rule"]
