"""Standards: the effective-dated amounts and limits, and applying a new one to entitlements."""

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
from civil_affairs.core.months import add_months
from civil_affairs.core.validators import clean_text

from .. import calc
from ..models import Entitlement, Standard
from . import entitlements as ent

Kind = Standard.Kind
Unit = Standard.Unit
EDITABLE = ("valid_to", "value", "note")


def _check(standard: Standard) -> None:
    errors: dict[str, str] = {}
    kind = standard.kind
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    variants = Standard.VARIANTS.get(kind, ())
    if variants is None:  # care subsidy: "<grade>" or "<grade>:<type>"
        grade = standard.variant.partition(":")[0]
        if grade not in ("1", "2", "3", "4"):
            errors["variant"] = _("Give the disability grade (1-4), or grade:type.")
    elif variants:
        if standard.variant not in variants:
            errors["variant"] = _("One of: %(v)s.") % {"v": ", ".join(variants)}
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
    unit = Standard.UNITS[Kind(kind)]
    if value is None or value < 0:
        errors["value"] = _("The value cannot be negative.")
    elif unit in (Unit.COUNT, Unit.DAYS, Unit.MONTHS) and value != value.to_integral_value():
        errors["value"] = _("This kind is a whole number.")
    elif unit in (Unit.DAYS, Unit.MONTHS, Unit.MULTIPLE) and value <= 0:
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
    With `apply`, the entitlements it changes are re-computed from its first month (in the
    background, after the commit)."""
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
    for row in _overlaps(standard):
        if row.valid_to is None and row.valid_from < standard.valid_from:
            row.valid_to = add_months(standard.valid_from, -1)
            row._history_user = actor  # type: ignore[attr-defined]
            row.save()
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
    if apply and "value" in changes:
        _apply_later(actor, standard)
    return standard


def _apply_later(actor: Any, standard: Standard) -> None:
    if standard.kind not in Standard.PROGRAMS:
        return
    from ..tasks import standard_apply_task

    pk, actor_id = standard.pk, actor.pk
    transaction.on_commit(lambda: standard_apply_task.delay(pk, actor_id))


def affected_entitlements(standard: Standard) -> Any:
    """Open entitlements of the programs a standard kind is used for, in its area's subtree,
    paying in or after its first month."""
    programs = Standard.PROGRAMS.get(Kind(standard.kind), ())
    rows = (
        Entitlement.objects.filter(
            program__in=programs,
            area__in=Area.objects.within(standard.area.code),
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.SUSPENDED],
        )
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=standard.valid_from))
        .select_related("area")
    )
    if standard.kind == Kind.DIBAO:
        rows = rows.filter(basis__registered_type=standard.variant)
    elif standard.kind == Kind.EP_CARE:
        rows = rows.filter(basis__self_care=standard.variant)
    return rows.order_by("id")


@transaction.atomic
def standard_apply(*, actor: Any, standard: Standard) -> int:
    """Re-compute the entitlements a standard row changes, from its first month, with the
    inputs frozen on each (the household is not re-read): months before stay as they were.
    Returns how many changed. Safe to run again: an amount already right is left alone."""
    policy.require(actor, "standard.manage", standard)
    changed = 0
    for entitlement in affected_entitlements(standard):
        month = max(standard.valid_from, entitlement.start_month)
        if entitlement.end_month is not None and month > entitlement.end_month:
            continue
        computed = calc.recompute(entitlement, month)
        if computed.amount <= 0 or computed.amount == ent.amount_in(entitlement, month):
            continue
        ent.apply_amount_change(
            actor=actor,
            entitlement=entitlement,
            effective_month=month,
            monthly_amount=computed.amount,
            reason=_("New standard from %(month)s") % {"month": f"{standard.valid_from:%Y-%m}"},
            basis={**entitlement.basis, **computed.basis},
            standard=computed.standard,
        )
        changed += 1
    standard.applied_at = timezone.now()
    standard.applied_count = changed
    standard._history_user = actor  # type: ignore[attr-defined]
    standard.save(update_fields=["applied_at", "applied_count", "updated_at"])
    return changed
