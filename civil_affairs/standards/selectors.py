"""Reading standards: the row of a kind in force for an area in a month."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from civil_affairs.areas.models import Area

from . import registry
from .models import Standard


def area_chain(area: Area) -> list[Area]:
    """The area and its ancestors, nearest first."""
    chain = [area]
    while chain[-1].parent_id is not None:
        parent = chain[-1].parent
        assert parent is not None
        chain.append(parent)
    return chain


# Inside `held()`: every row in force for an (area, month), read once.
_held: contextvars.ContextVar[dict[tuple[int, datetime.date], list[Standard]] | None] = (
    contextvars.ContextVar("standards_held", default=None)
)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Within the block, the standards of an area and month are read from the database once:
    a household's means ask for twenty of them, and a page that asked twenty times spent
    most of its time there. Hold them only for one computation or one request, never
    longer, so that a standard changed since is seen by the next one."""
    if _held.get() is not None:
        yield
        return
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def _in_force(
    area: Area, month: datetime.date, depth: dict[int, int], kind: str, variant: str
) -> list[Standard]:
    def rows() -> QuerySet[Standard]:
        return (
            Standard.objects.filter(area_id__in=depth, valid_from__lte=month)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
            .select_related("area")
        )

    memo = _held.get()
    if memo is None:
        return list(rows().filter(kind=kind, variant=variant))
    if (area.pk, month) not in memo:
        memo[(area.pk, month)] = list(rows())
    return [row for row in memo[(area.pk, month)] if row.kind == kind and row.variant == variant]


def find(kind: str, *, area: Area, month: datetime.date, variant: str = "") -> Standard | None:
    """The row of `kind` in force for `area` in `month`: the nearest area's row wins."""
    depth = {a.pk: i for i, a in enumerate(area_chain(area))}
    rows = _in_force(area, month, depth, kind, variant)
    if not rows:
        return None
    return min(rows, key=lambda row: (depth[row.area_id], -row.valid_from.toordinal()))


def get(kind: str, *, area: Area, month: datetime.date, variant: str = "") -> Standard:
    """As `find`, but a missing row is a ValidationError that names what is missing."""
    row = find(kind, area=area, month=month, variant=variant)
    if row is None:
        label = registry.label(kind)
        if variant:
            label = f"{label} ({variant})"
        raise ValidationError(
            _(
                "No standard “%(kind)s” is set for %(area)s in %(month)s: "
                "an administrator must add it before this can be computed."
            )
            % {"kind": label, "area": area.name, "month": f"{month:%Y-%m}"},
            code="no_standard",
        )
    return row


def changes_between(
    kinds: list[str], *, area: Area, first: datetime.date, last: datetime.date | None
) -> list[datetime.date]:
    """The months after `first` (up to `last`, or ever) in which a row of one of `kinds` that
    could apply to `area` starts or stops: where an amount computed from them may change."""
    chain = [a.pk for a in area_chain(area)]
    rows = Standard.objects.filter(kind__in=kinds, area_id__in=chain).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )
    if last is not None:
        rows = rows.filter(valid_from__lte=last)
    months: set[datetime.date] = set()
    for valid_from, valid_to in rows.values_list("valid_from", "valid_to"):
        months.add(valid_from)
        if valid_to is not None:
            months.add(_next_month(valid_to))
    return sorted(m for m in months if m > first and (last is None or m <= last))


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def rows_for(user: Any, kind: str | None = None) -> Any:
    """The standards rows a user may see (their areas and the areas above, whose rows apply
    to them), newest first."""
    from civil_affairs.areas import policy

    qs = Standard.objects.select_related("area")
    if not policy.is_unrestricted(user):
        ids: set[int] = set()
        for area in Area.objects.filter(pk__in=policy.area_ids(user)):
            ids.update(a.pk for a in area_chain(area))
        qs = qs.filter(area_id__in=ids)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "variant", "area__code", "-valid_from")
