"""`{% crosscheck_home_panel %}`: open warnings for everyone who sees warnings, and for
supervisors the unresolved ones past their rule's deadline, per area."""

from typing import Any

from django import template

from civil_affairs.areas import policy

from .. import selectors
from ..models import Warning

register = template.Library()


@register.inclusion_tag("crosscheck/_home_panel.html", takes_context=True)
def crosscheck_home_panel(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not policy.may(user, "warning.view"):
        return {"show": False}
    supervisor = policy.may(user, "warning.supervise")
    open_count = (
        policy.scope(user, Warning.objects.all()).filter(status=Warning.Status.OPEN).count()
    )
    return {
        "show": True,
        "request": request,
        "open_count": open_count,
        "supervisor": supervisor,
        "overdue": selectors.overdue_summary(user=user) if supervisor else [],
    }
