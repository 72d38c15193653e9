"""`{% payments_home_panel %}`: for those who reconcile (finance, approvers, administrators),
the differences the last reconciliation found in their areas."""

from typing import Any

from django import template

from civil_affairs.areas import policy

from .. import reconciliation, selectors

register = template.Library()


@register.inclusion_tag("payments/_home_panel.html", takes_context=True)
def payments_home_panel(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not policy.may(user, "reconciliation.run"):
        return {"show": False}
    run = reconciliation.latest_run()
    summary = selectors.reconciliation_summary(user=user, run=run) if run else None
    return {"show": True, "run": run, "summary": summary}
