"""What a confirmed warning does to the case, through the benefits registry and payments.

The benefits are the paying apps': each registered its source in civil_affairs/benefits.py,
whose services stop, suspend or change its benefits from a month (relief's entitlements, an
old-age allowance, a child's allowance…). The money already paid is payments': its
overpayment service turns the paid months from that month into overpayments to recover (the
fund ledger's recoveries), per program. This module only calls them; it holds no rule of any.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civil_affairs import benefits
from civil_affairs.payments import providers

from .models import Action, Warning


def affected_benefits(
    warning: Warning, among: list[benefits.Benefit] | None = None
) -> list[benefits.Benefit]:
    """The beneficiary's open benefits (in the sources' `open_sql`), in any app, of the
    programs the rule affects (among those given, when the caller has read them already)."""
    found = benefits.open_benefits([warning.person_id]) if among is None else among
    refs = benefits.open_refs([warning.person_id])
    found = [b for b in found if b.ref in refs]
    if warning.rule.programs:
        found = [b for b in found if b.program in warning.rule.programs]
    return found


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


def _change(
    source: benefits.BenefitSource,
    *,
    actor: Any,
    ids: Sequence[int],
    action: str,
    effective_month: datetime.date,
    new_amount: Decimal | None,
    reason: str,
    labels: str,
) -> None:
    common = {"actor": actor, "ids": ids, "effective_month": effective_month, "reason": reason}
    if action == Action.STOP:
        source.stop(**common)
    elif action == Action.SUSPEND:
        source.suspend(**common)
    elif action == Action.CHANGE_AMOUNT:
        if source.change_amount is None:
            raise ValidationError(
                {
                    "action": _(
                        "The amount of %(programs)s is set by the standards alone: stop or "
                        "suspend it instead."
                    )
                    % {"programs": labels}
                }
            )
        source.change_amount(**common, monthly_amount=new_amount)


def apply(
    *,
    actor: Any,
    warning: Warning,
    affected: list[benefits.Benefit],
    action: str,
    effective_month: datetime.date,
    new_amount: Decimal | None,
    reason: str,
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Change each benefit through its source and register, per program, what was paid for
    those months but not due: the whole payment after a stop or suspension, the part above
    the new amount after a cut."""
    changed: list[dict[str, Any]] = []
    overpayments: list[Any] = []
    if not affected:
        return changed, overpayments
    from civil_affairs.payments.services import overpayment_register

    by_source: dict[str, list[benefits.Benefit]] = {}
    for benefit in affected:
        by_source.setdefault(benefit.source_key, []).append(benefit)
    for key, items in by_source.items():
        _change(
            benefits.source(key),
            actor=actor,
            ids=[b.source_id for b in items],
            action=action,
            effective_month=effective_month,
            new_amount=new_amount,
            reason=reason,
            labels=", ".join(dict.fromkeys(b.program_label for b in items)),
        )
    for benefit in affected:
        changed.append(
            {
                "ref": benefit.ref,
                "program": benefit.program,
                "action": action,
                "from": effective_month.isoformat(),
                "amount": str(new_amount) if new_amount is not None else None,
            }
        )
    programs = list(dict.fromkeys(b.program for b in affected))
    if action != Action.CHANGE_AMOUNT:  # a stopped benefit's parts (paid to others) stop too
        programs = providers.with_parts(programs)
    for program in programs:
        overpayments.extend(
            overpayment_register(
                actor=actor,
                person=warning.person,
                program=program,
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
