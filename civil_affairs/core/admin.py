"""The admin's base class for every model of our apps: past versions are shown, never restored.

django-simple-history's history-detail page saves whatever is posted to it, with no more
than view permission: a revert would write a record around its services, the four-eyes
rule and the roles table. Here that page is read-only (`SIMPLE_HISTORY_REVERT_DISABLED`
hides its button; a POST is refused whatever the role), and the history pages of an object
outside the user's areas answer 404 like every other page. A record is changed through its
own form, which calls its service.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .forms import GuardTextMixin
from .validators import MASKS

READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


def keeps_history(model: type[Any]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


class MaskedChanges(HistoricalRecordContextHelper):
    """The history page's "changes" column shows ID numbers, accounts and certificates masked
    (their whole values are a logged reveal, never a page)."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        mask = MASKS.get(change.field)
        if mask is not None and isinstance(value, str):
            return mask(value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        """Every text field of an admin form refuses a spreadsheet formula (core.forms), also
        in a form an admin subclasses from this one."""
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (GuardTextMixin, form), {})

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return MaskedChanges(self.model, historical_record)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A row outside the user's areas is answered as a missing one (Django's redirect to
        the admin's index with "does not exist"), before any permission is asked: a 403 would
        tell that the id exists."""
        if object_id is not None and self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[no-any-return]
        return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[no-any-return]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """404 for a row outside the user's areas (or none), as every page answers; 403 stays
        for a role that may see the row but not delete it."""
        self._visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)  # type: ignore[no-any-return]

    def _visible_or_404(self, request: HttpRequest, object_id: str) -> Any:
        """The object, if it is in the rows the user may see (the subclass's queryset)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        if not keeps_history(self.model):  # exempt models: Django's own log of admin changes
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)  # type: ignore[no-any-return]

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        if not keeps_history(self.model):
            raise Http404
        if request.method not in READ_ONLY_METHODS:
            raise PermissionDenied(
                _("Past versions are read-only: change the record through its own form.")
            )
        return super().history_form_view(  # type: ignore[no-any-return]
            request, object_id, version_id, extra_context
        )
