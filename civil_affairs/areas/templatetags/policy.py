"""Templates ask the access policy, never a role list: {% if user|may:"payroll.view" %}."""

from typing import Any

from django import template

from civil_affairs.areas import policy

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    return policy.may(user, action)


@register.filter
def policy_key(user: Any) -> str:
    """All that the `may` filter's answers (without an object) depend on: the nav, whose
    links it decides, is kept under it (base.html)."""
    flags = f"{int(user.is_staff)}{int(policy.is_unrestricted(user))}"
    return f"{user.pk}:{flags}:{','.join(sorted(policy.roles(user)))}"
