from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django_celery_beat import admin as beat_admin
from django_celery_beat import models as beat

from civil_affairs.core.admin import HistoryAdmin

from . import policy, services
from .models import Area, StaffAssignment


class ScopedAdmin(HistoryAdmin):
    """Admin pages that obey the access policy: rows outside the user's areas do not exist.

    `view_action`/`change_action` name the policy actions; subclasses call services from
    `save_model` so that the admin holds no business rule.
    """

    view_action = ""
    change_action = ""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return policy.scope(request.user, super().get_queryset(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or policy.may(request.user, self.view_action, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or policy.may(request.user, self.change_action, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class CountyWideMixin:
    """The admin of a county-wide setting (a row of no area: match rules, column mappings,
    periodic tasks and their schedules). Anyone whose role's group may view it reads it;
    adding, changing, deleting and the list's actions need a role held at a county-level area
    that may do `county_action` (`policy.holds_county_wide`: the one rule)."""

    county_action = ""

    def _county(self, request: HttpRequest) -> bool:
        return policy.holds_county_wide(request.user, self.county_action)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request, *args) and self._county(request)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._county(request)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._county(request)  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # beat's enable / disable / run-now actions declare no permission of their own
        return super().get_actions(request) if self._county(request) else {}  # type: ignore[misc]


# django-celery-beat's admin, re-registered through the rule: the schedules of the monthly
# cross-check run and the daily review task are the county's.
for _model, _base in [
    (beat.PeriodicTask, beat_admin.PeriodicTaskAdmin),
    (beat.CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (beat.IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (beat.SolarSchedule, beat_admin.SolarScheduleAdmin),
    (beat.ClockedSchedule, beat_admin.ClockedScheduleAdmin),
]:
    admin.site.unregister(_model)
    admin.site.register(
        _model,
        type(_base.__name__, (CountyWideMixin, _base), {"county_action": "schedule.manage"}),
    )


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    view_action = "person.view"
    change_action = "area.manage"
    list_display = ["code", "name", "level", "parent", "approval_delegated"]
    list_filter = ["level", "approval_delegated"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # a child's code starts with its parent's: changing a code or a parent would cut
        # the areas below out of it
        return ["code", "level", "parent"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.full_clean()
            obj.save()
        else:
            created = services.area_create(
                actor=request.user,
                code=obj.code,
                name=obj.name,
                level=obj.level,
                parent=obj.parent,
            )
            obj.pk = created.pk


class StaffAssignmentForm(forms.ModelForm):
    actor: Any = None  # set by the admin: whose areas the chosen area must be in

    class Meta:
        model = StaffAssignment
        fields = ["user", "area", "role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("area") is not None:
            policy.require_area_choice(self.actor, "area.manage", data["area"])
        return data


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(HistoryAdmin):
    form = StaffAssignmentForm
    list_display = ["user", "role", "area"]
    list_filter = ["role"]
    search_fields = ["user__username", "area__name", "area__code"]
    raw_id_fields = ["area"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[StaffAssignment]:
        return policy.scope(request.user, super().get_queryset(request), "area.manage")

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.assignment_save(actor=request.user, assignment=obj)
