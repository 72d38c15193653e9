"""The areas a figure counts: those within the area asked about that the user may see."""

from __future__ import annotations

from typing import Any

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area


def area_ids(user: Any, area: Area) -> list[int]:
    """Ids of `area` and the areas below it, limited to the user's areas (a township user
    asking about the county gets their township's share)."""
    cache: dict[int, list[int]] | None = getattr(user, "_dashboard_area_ids", None)
    if cache is None:
        cache = {}
        user._dashboard_area_ids = cache
    if area.pk not in cache:
        rows = policy.scope(user, Area.objects.within(area.code))
        cache[area.pk] = list(rows.values_list("id", flat=True))
    return cache[area.pk]


def default_area(user: Any) -> Area | None:
    """Where a user's dashboard opens: the county for the unrestricted, else their highest
    assigned area."""
    if policy.is_unrestricted(user):
        return Area.objects.filter(level=Area.Level.COUNTY).order_by("code").first()
    assigned = sorted((a.area for a in policy.assignments(user)), key=lambda a: len(a.code))
    return assigned[0] if assigned else None


def visible(user: Any, area: Area) -> bool:
    """Whether the user may look at `area` at all (it or part of it is theirs)."""
    if policy.is_unrestricted(user):
        return True
    mine = policy.area_ids(user)
    if area.pk in mine:
        return True
    # an area above the user's: they see their share of it
    return any(a.area.code.startswith(area.code) for a in policy.assignments(user))
