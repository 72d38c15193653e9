from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from civil_affairs.areas import policy
from civil_affairs.areas.admin import ScopedAdmin
from civil_affairs.core.validators import compact_account, validate_bank_account

from . import services
from .models import AccessLog, Person
from .resources import PersonResource


class PersonAdminForm(forms.ModelForm):
    """The change page never holds a whole account: it shows the masked one and takes a new
    one in a field of its own (empty: the account stays)."""

    new_bank_account = forms.CharField(label=_("new bank account"), max_length=40, required=False)

    class Meta:
        model = Person
        fields: list[str] = []

    def clean_new_bank_account(self) -> str:
        account = compact_account(self.cleaned_data.get("new_bank_account", ""))
        if account:
            validate_bank_account(account)
        return account


@admin.register(Person)
class PersonAdmin(ExportMixin, ScopedAdmin):
    view_action = "person.view"
    change_action = "person.update"
    resource_classes = [PersonResource]
    list_display = ["name", "masked_id", "sex", "birth_date", "area"]
    search_fields = ["=id_number", "name"]
    list_select_related = ["area"]
    raw_id_fields = ["area"]
    readonly_fields = ["masked_id", "sex", "birth_date"]
    form = PersonAdminForm
    EDITABLE = ["name", "area", "phone", "address", "bank_name"]

    @admin.display(description=_("ID number"))
    def masked_id(self, obj: Person) -> str:
        return obj.masked_id_number

    @admin.display(description=_("bank account"))
    def masked_account(self, obj: Person) -> str:
        return obj.masked_bank_account

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["id_number", *self.EDITABLE, "bank_account", "death_date"]
        return [
            "masked_id",
            "sex",
            "birth_date",
            *self.EDITABLE,
            "masked_account",
            "new_bank_account",
            "death_date",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["masked_id", "sex", "birth_date", "masked_account"] if obj else []

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        # the admin goes through the same services as the pages and the API
        data = {
            f: value
            for f, value in form.cleaned_data.items()
            if f not in ("id_number", "new_bank_account")
        }
        if form.cleaned_data.get("new_bank_account"):
            data["bank_account"] = form.cleaned_data["new_bank_account"]
        if change:
            services.person_update(actor=request.user, person=obj, **data)
        else:
            saved = services.person_create(
                actor=request.user, id_number=form.cleaned_data["id_number"], **data
            )
            obj.pk = saved.pk

    def get_export_queryset(self, request: HttpRequest) -> Any:
        return self.get_queryset(request)

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


@admin.register(AccessLog)
class AccessLogAdmin(ScopedAdmin):
    """Readable, never editable: the log is evidence. Scoped by the person's area (a township
    administrator reads the reveals of its own people); the rows of exports, which name no
    person, only from a county-level assignment."""

    view_action = "accesslog.view"
    list_display = ["at", "user", "action", "person", "detail"]
    list_filter = ["action"]
    search_fields = ["user__username", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user", "person"]

    def get_queryset(self, request: HttpRequest) -> Any:
        logs = AccessLog.objects.select_related("user", "person")
        if policy.holds_county_wide(request.user, self.view_action):
            return logs
        return policy.scope(request.user, logs, self.view_action)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.person_id is None:
            return policy.holds_county_wide(request.user, self.view_action)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
