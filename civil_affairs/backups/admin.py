from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.core import queue
from civil_affairs.core.admin import HistoryAdmin

from .models import Backup


@admin.register(Backup)
class BackupAdmin(HistoryAdmin):
    """The backup runs, read-only, for county-level administrators; "Back up now" queues one."""

    list_display = ["started_at", "finished_at", "status", "size", "database_file", "media_file"]
    list_filter = ["status"]
    change_list_template = "admin/backups/backup/change_list.html"

    @admin.display(description=gettext_lazy("size"), ordering="size_bytes")
    def size(self, obj: Backup) -> str:
        return filesizeformat(obj.size_bytes)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and policy.holds_county_wide(
            request.user, "backup.view"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        run = self.admin_site.admin_view(self.run_now)
        return [path("run/", run, name="backups_backup_run"), *super().get_urls()]

    def run_now(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not policy.holds_county_wide(request.user, "backup.run"):
            return HttpResponse(status=405 if request.method != "POST" else 403)
        queue.send_after_commit("backups.make", request.user.pk)
        messages.success(request, _("A backup has been queued; it appears here when it ends."))
        return HttpResponseRedirect(reverse("admin:backups_backup_changelist"))

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {"may_run": policy.holds_county_wide(request.user, "backup.run")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})
