from typing import Any

from django.http import HttpRequest

from . import policy


def staff(request: HttpRequest) -> dict[str, Any]:
    """The user's roles, for the navigation bar."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"user_roles": policy.roles(user), "user_is_admin": user.is_superuser}
