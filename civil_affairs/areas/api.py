"""The access policy in the API's viewsets: which answer when a role may not read a kind of
row at all, and which when the row is outside the user's areas."""

from typing import Any

from django.db import models

from . import policy


class ScopedReadMixin:
    """For a viewset whose rows need `view_action` (payrolls, lists and runs…).

    A list needs the role somewhere (403 with the reason otherwise). An object is looked up
    in the user's areas first — 404 outside them, whatever the role, so that its id tells
    nothing — and only then is the role checked on it (403). `get_queryset` calls
    `require_view()` instead of `policy.require`."""

    view_action = ""
    request: Any
    kwargs: dict[str, Any]
    lookup_field: str
    lookup_url_kwarg: str | None

    def require_view(self) -> None:
        if (self.lookup_url_kwarg or self.lookup_field) not in self.kwargs:
            policy.require(self.request.user, self.view_action)

    def get_object(self) -> Any:
        obj: models.Model = super().get_object()  # type: ignore[misc]
        policy.require(self.request.user, self.view_action, obj)
        return obj
