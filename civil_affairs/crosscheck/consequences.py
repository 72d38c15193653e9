"""What a confirmed warning does to the case, through the services of relief and payments.

The benefit itself is relief's: its entitlement services stop, suspend or change an
entitlement from a month. The money already paid is payments': its overpayment service turns
the paid months from that month into overpayments to recover (the fund ledger's recoveries).
This module only calls them; it holds no rule of either.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import Action, Warning


def affected_entitlements(warning: Warning) -> list[Any]:
    """The beneficiary's open entitlements of the programs the rule affects."""
    from relief.models import Entitlement

    entitlements = Entitlement.objects.filter(person_id=warning.person_id).exclude(
        status=Entitlement.Status.STOPPED
    )
    if warning.rule.programs:
        entitlements = entitlements.filter(program__in=warning.rule.programs)
    return list(entitlements.select_related("person", "area").order_by("program", "pk"))


def evidence_text(warning: Warning) -> str:
    """A short description of the evidence, for reasons and notes."""
    row = warning.list_row
    if row is not None:
        lst = row.list
        return _("%(kind)s from %(source)s of %(date)s, row %(row)d") % {
            "kind": lst.get_kind_display(),
            "source": lst.source,
            "date": lst.valid_on,
            "row": row.row_number,
        }
    return warning.evidence_key


def apply(
    *,
    actor: Any,
    warning: Warning,
    entitlements: list[Any],
    action: str,
    effective_month: datetime.date,
    new_amount: Decimal | None,
    reason: str,
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Change each entitlement and register what was paid for those months but not due: the
    whole payment after a stop or suspension, the part above the new amount after a cut."""
    changed: list[dict[str, Any]] = []
    overpayments: list[Any] = []
    if not entitlements:
        return changed, overpayments
    from civil_affairs.payments.services import overpayment_register
    from relief import services as relief

    for entitlement in entitlements:
        if action == Action.STOP:
            relief.entitlement_stop(
                actor=actor, entitlement=entitlement, effective_month=effective_month, reason=reason
            )
        elif action == Action.SUSPEND:
            relief.entitlement_suspend(
                actor=actor, entitlement=entitlement, effective_month=effective_month, reason=reason
            )
        elif action == Action.CHANGE_AMOUNT:
            assert new_amount is not None  # warnings_confirm requires it for this action
            relief.entitlement_change_amount(
                actor=actor,
                entitlement=entitlement,
                effective_month=effective_month,
                monthly_amount=new_amount,
                reason=reason,
                basis={"crosscheck_warning": warning.pk},
            )
        changed.append(
            {
                "entitlement": entitlement.pk,
                "program": entitlement.program,
                "action": action,
                "from": effective_month.isoformat(),
                "amount": str(new_amount) if new_amount is not None else None,
            }
        )
        if action in {Action.STOP, Action.SUSPEND, Action.CHANGE_AMOUNT}:
            overpayments.extend(
                overpayment_register(
                    actor=actor,
                    person=entitlement.person,
                    program=entitlement.program,
                    from_month=effective_month,
                    reason=reason,
                    source=f"crosscheck.warning:{warning.pk}",
                    # a lower amount: only what was paid above it is to recover
                    due_amount=new_amount if action == Action.CHANGE_AMOUNT else None,
                )
            )
    return changed, overpayments


def record_death(*, actor: Any, warning: Warning) -> None:
    """A confirmed death of the beneficiary is written on the person (people's service), where
    the actor may edit people and no date is on file yet."""
    from civil_affairs.areas import policy
    from civil_affairs.people.services import person_update

    row = warning.list_row
    person = warning.person
    if warning.kind != "death" or row is None or warning.subject_id != person.pk:
        return
    if person.death_date is not None or row.event_day is None:
        return
    if policy.may(actor, "person.update", person):
        person_update(actor=actor, person=person, death_date=row.event_day)


def overpayment_dict(overpayment: Any) -> dict[str, Any]:
    """What the warning keeps of an overpayment: enough to list it, and its id."""
    return {
        "id": overpayment.pk,
        "program": overpayment.program,
        "month": overpayment.month.isoformat(),
        "amount": str(overpayment.amount),
    }
