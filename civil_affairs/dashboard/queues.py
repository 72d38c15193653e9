"""The work-queues registry: what waits for someone, shown on the dashboards.

Like the figures (figures.py), each domain app registers its own queues from its AppConfig
(civil_affairs never imports a domain app):

    from civil_affairs.dashboard import queues

    queues.register(queues.Queue(
        key="relief.overdue_reviews",
        label=_("Overdue reviews"),
        app="relief",
        count=selectors.queue_overdue_reviews,   # (*, user, area) -> int | None
        url=lambda area: reverse("relief:due_reviews") + f"?area={area.pk}",
    ))

`count` honours the access policy (policy.scope) and counts within `area` (county, township
or village); None means the user may not see this queue (their role has no part in it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from civil_affairs.areas import policy

Count = Callable[..., int | None]  # (*, user, area) -> int | None


@dataclass(frozen=True)
class Queue:
    key: str  # "<app>.<name>"
    label: str | Promise
    app: str
    count: Count
    url: Callable[[Any], str]  # (area) -> the list behind the count
    overdue: bool = False  # shown in red when not empty


def rows_in_area(action: str, rows: Callable[[Any], Any]) -> Count:
    """The usual count: the rows of a list (`rows(user)`, already scoped by the policy) in
    the area asked, for a user whose role may `action` (None otherwise)."""

    def count(*, user: Any, area: Any) -> int | None:
        if not policy.may(user, action):
            return None
        return int(policy.within(rows(user), area).count())

    return count


_queues: dict[str, Queue] = {}


def register(queue: Queue) -> None:
    _queues[queue.key] = queue


def get(key: str) -> Queue:
    return _queues[key]


def all_queues() -> list[Queue]:
    return list(_queues.values())


def of_app(app: str) -> list[Queue]:
    return [q for q in _queues.values() if q.app == app]
