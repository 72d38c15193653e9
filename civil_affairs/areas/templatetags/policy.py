"""Templates ask the access policy, never a role list: {% if user|may:"payroll.view" %}."""

from typing import Any

from django import template

from civil_affairs.areas import policy

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    return policy.may(user, action)
