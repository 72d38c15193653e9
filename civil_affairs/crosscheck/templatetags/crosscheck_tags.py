"""`{% crosscheck_home_panel %}`: open warnings for everyone who sees warnings, and for
supervisors the unresolved ones past their rule's deadline, per area."""

from typing import Any

from django import template

from civil_affairs.areas import policy

from .. import selectors

register = template.Library()


@register.inclusion_tag("crosscheck/_home_panel.html", takes_context=True)
def crosscheck_home_panel(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not policy.may(user, "warning.view"):
        return {"show": False}
    supervisor = policy.may(user, "warning.supervise")
    open_count = selectors.open_warning_count(user=user)
    return {
        "show": True,
        "request": request,
        "open_count": open_count,
        "supervisor": supervisor,
        "overdue": selectors.overdue_summary(user=user) if supervisor else [],
    }


@register.inclusion_tag("crosscheck/_household_hits.html", takes_context=True)
def crosscheck_household_hits(context: dict[str, Any], household: Any) -> dict[str, Any]:
    """`{% crosscheck_household_hits household %}`: the loaded lists' rows naming the
    household's members (relief's application page, at its cross-check step)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.may(user, "household.view", household):
        return {"show": False}
    return {"show": True, "hits": selectors.household_hits(user=user, household=household)}
