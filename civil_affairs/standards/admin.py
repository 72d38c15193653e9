"""The standards table in the admin: every domain's kinds, edited through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.admin import ScopedAdmin
from civil_affairs.core.forms import add_service_errors

from . import registry, services
from .models import Standard


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return registry.choices()

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Standard)
class StandardAdmin(ScopedAdmin):
    view_action = "standard.manage"
    change_action = "standard.manage"
    list_display = [
        "kind_label",
        "variant",
        "area",
        "valid_from",
        "valid_to",
        "value",
        "unit_label",
        "applied_at",
        "applied_count",
    ]
    list_filter = [KindFilter, "area__level"]
    search_fields = ["kind", "area__name", "area__code", "note"]
    raw_id_fields = ["area"]
    readonly_fields = ["applied_at", "applied_count"]
    actions = ["apply_now"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj: Standard) -> str:
        return obj.kind_label

    @admin.display(description=_("unit"))
    def unit_label(self, obj: Standard) -> str:
        return obj.unit_label

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["kind", "variant", "area", "valid_from"] if obj else []
        return [*fixed, "applied_at", "applied_count"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and policy.may(request.user, "standard.manage")

    def save_model(self, request: HttpRequest, obj: Standard, form: Any, change: bool) -> None:
        """Nothing left to write: the form's validation saved the row through the service."""

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, **kwargs)

        class StandardForm(form_class):  # type: ignore[misc, valid-type]
            """Saves through the service while validating (inside the admin's transaction),
            so that whatever the service refuses (an overlap, a field it does not allow to
            change) shows on the form instead of failing the request."""

            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                if "kind" in self.fields:  # the kinds the apps registered, in their labels
                    self.fields["kind"] = forms.ChoiceField(
                        label=_("kind"), choices=[("", "---------"), *registry.choices()]
                    )

            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                data = self.cleaned_data
                try:
                    if obj is not None:
                        changes = {f: data[f] for f in services.EDITABLE if f in self.changed_data}
                        services.standard_update(
                            actor=request.user,
                            standard=self.instance,  # type: ignore[has-type]
                            **changes,
                        )
                    else:
                        self.instance = services.standard_create(
                            actor=request.user,
                            kind=data["kind"],
                            variant=data.get("variant", ""),
                            area=data["area"],
                            valid_from=data["valid_from"],
                            valid_to=data.get("valid_to"),
                            value=data["value"],
                            note=data.get("note", ""),
                        )
                except ValidationError as exc:
                    add_service_errors(self, exc)

        return StandardForm

    @admin.action(description=_("Apply to what it governs now"))
    def apply_now(self, request: HttpRequest, queryset: Any) -> None:
        changed = 0
        for standard in queryset:
            changed += services.standard_apply(actor=request.user, standard=standard)
        messages.success(request, gettext("%(n)d records re-computed.") % {"n": changed})
