"""Writing standards: a new row closes the one in force; a changed value is applied.

`standard_create` and `standard_update` check the row against its kind (registry.py), refuse
overlaps, and queue the kind's `apply` hook after the commit (tasks.standard_apply_task), which
recomputes what the row governs in the app that registered the kind.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import queue
from civil_affairs.core.months import add_months
from civil_affairs.core.validators import clean_text

from . import registry
from .models import Standard

Unit = registry.Unit
EDITABLE = ("valid_to", "value", "note")


def _check(standard: Standard) -> None:
    errors: dict[str, str] = {}
    if not registry.known(standard.kind):
        raise ValidationError({"kind": _("Choose a kind.")})
    kind = registry.get(standard.kind)
    if kind.variants is None:
        problem = kind.check_variant(standard.variant) if kind.check_variant else None
        if problem:
            errors["variant"] = problem
    elif kind.variants:
        if standard.variant not in kind.variants:
            errors["variant"] = _("One of: %(v)s.") % {"v": ", ".join(kind.variants)}
    elif standard.variant:
        errors["variant"] = _("This kind has no variants: leave it empty.")
    if standard.valid_from is None or standard.valid_from.day != 1:
        errors["valid_from"] = _("A month is given as its first day (YYYY-MM-01).")
    if standard.valid_to is not None:
        if standard.valid_to.day != 1:
            errors["valid_to"] = _("A month is given as its first day (YYYY-MM-01).")
        elif standard.valid_from and standard.valid_to < standard.valid_from:
            errors["valid_to"] = _("The last month cannot be before the first.")
    value = standard.value
    if value is None or value < 0:
        errors["value"] = _("The value cannot be negative.")
    elif kind.unit in registry.WHOLE_UNITS and value != value.to_integral_value():
        errors["value"] = _("This kind is a whole number.")
    elif kind.unit in registry.POSITIVE_UNITS and value <= 0:
        errors["value"] = _("This kind must be above zero.")
    try:
        standard.note = clean_text(standard.note, "note", max_length=200)
    except ValidationError as exc:
        errors["note"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)


def _overlaps(standard: Standard) -> Any:
    end = standard.valid_to
    rows = Standard.objects.filter(
        kind=standard.kind, variant=standard.variant, area=standard.area
    ).exclude(pk=standard.pk)
    rows = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=standard.valid_from))
    if end is not None:
        rows = rows.filter(valid_from__lte=end)
    return rows.select_for_update()


@transaction.atomic
def standard_create(
    *,
    actor: Any,
    kind: str,
    area: Area,
    valid_from: datetime.date,
    value: Decimal,
    variant: str = "",
    valid_to: datetime.date | None = None,
    note: str = "",
    apply: bool = True,
) -> Standard:
    """A new standard row. The row in force until then (same kind, variant and area, open
    ended, starting earlier) is closed the month before; any other overlap is refused.
    With `apply`, what it governs is recomputed (in the background, after the commit)."""
    policy.require(actor, "standard.manage", area=area)
    standard = Standard(
        kind=kind,
        variant=(variant or "").strip(),
        area=area,
        valid_from=valid_from,
        valid_to=valid_to,
        value=value,
        note=(note or "").strip(),
    )
    _check(standard)
    closed = []
    for row in _overlaps(standard):
        if row.valid_to is None and row.valid_from < standard.valid_from:
            row.valid_to = add_months(standard.valid_from, -1)
            row._history_user = actor  # type: ignore[attr-defined]
            row.save()
            closed.append(row)
        else:
            raise ValidationError(
                {
                    "valid_from": _(
                        "It overlaps the row from %(from)s (%(value)s) of the same kind and area."
                    )
                    % {"from": f"{row.valid_from:%Y-%m}", "value": row.value}
                }
            )
    standard._history_user = actor  # type: ignore[attr-defined]
    standard.save()
    if apply:
        _apply_later(actor, standard)
    return standard


@transaction.atomic
def standard_update(
    *, actor: Any, standard: Standard, apply: bool = True, **changes: Any
) -> Standard:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed: add a new row.") for f in unknown}
        )
    policy.require(actor, "standard.manage", standard)
    for field, value in changes.items():
        setattr(standard, field, value)
    _check(standard)
    if _overlaps(standard).exists():
        raise ValidationError(
            {"valid_to": _("It would overlap another row of the same kind and area.")}
        )
    standard._history_user = actor  # type: ignore[attr-defined]
    standard.save()
    if apply and {"value", "valid_to"} & set(changes):
        _apply_later(actor, standard)
    return standard


def _apply_later(actor: Any, standard: Standard) -> None:
    if registry.get(standard.kind).apply is None:
        return
    queue.send_after_commit("standards.apply", standard.pk, actor.pk)


@transaction.atomic
def standard_apply(*, actor: Any, standard: Standard) -> int:
    """Run the kind's hook: recompute what the row governs. Safe to run again."""
    policy.require(actor, "standard.manage", standard)
    hook = registry.get(standard.kind).apply
    changed = hook(actor=actor, standard=standard) if hook is not None else 0
    standard.applied_at = timezone.now()
    standard.applied_count = changed
    standard._history_user = actor  # type: ignore[attr-defined]
    standard.save(update_fields=["applied_at", "applied_count", "updated_at"])
    return changed
