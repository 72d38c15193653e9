from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from civil_affairs.areas.admin import ScopedAdmin

from . import services
from .models import AccessLog, Person
from .resources import PersonResource


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

    @admin.display(description=_("ID number"))
    def masked_id(self, obj: Person) -> str:
        return obj.masked_id_number

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        editable = ["name", "area", "phone", "address", "bank_name", "bank_account", "death_date"]
        return ["masked_id", "sex", "birth_date", *editable] if obj else ["id_number", *editable]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["masked_id", "sex", "birth_date"] if obj else []

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        # the admin goes through the same services as the pages and the API
        data = {f: form.cleaned_data[f] for f in form.cleaned_data if f != "id_number"}
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
class AccessLogAdmin(admin.ModelAdmin):
    """Readable, never editable: the log is evidence."""

    list_display = ["at", "user", "action", "person", "detail"]
    list_filter = ["action"]
    search_fields = ["user__username", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
