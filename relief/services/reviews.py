"""Dynamic management: periodic reviews of households in payment.

A review falls due a number of months (the standard "review interval" of the household's
category) after approval or after the last review. Its outcome re-computes and writes the
entitlement changes from an effective month; a daily beat job marks overdue reviews.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.core import notes
from civil_affairs.core.models import StatusChange
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.core.status import transition
from civil_affairs.core.validators import clean_text

from .. import calc
from ..models import Entitlement, Household, Program, Review
from ..standards import Kind
from . import entitlements as ent

Outcome = Review.Outcome

# what the system writes on a review's timeline, read in the reader's language (core.notes)
NOTE_DONE = notes.register(
    "relief.review_done",
    gettext_lazy("%(outcome)s from %(month)s (%(n)d entitlements changed). %(note)s"),
    choices={"outcome": Outcome},
)
NOTE_OVERDUE = notes.register("relief.review_overdue", gettext_lazy("Not done by its due date."))


def _add_months_to_day(day: datetime.date, months: int) -> datetime.date:
    month = add_months(first_of_month(day), months)
    last_day = (add_months(month, 1) - datetime.timedelta(days=1)).day
    return month.replace(day=min(day.day, last_day))


@transaction.atomic
def review_schedule(*, household: Household, after: datetime.date) -> Review:
    """The household's next review, due one review interval after `after`. If one is open
    already, that one stands."""
    existing = household.reviews.exclude(status=Review.Status.DONE).first()
    if existing is not None:
        return existing
    interval = calc.get_standard(
        Kind.REVIEW_MONTHS,
        area=household.area,
        month=first_of_month(after),
        variant=household.category,
    )
    return Review.objects.create(
        household=household, due_date=_add_months_to_day(after, int(interval.value))
    )


def household_entitlements(household: Household) -> list[Entitlement]:
    """The household's open entitlements: its dibao and those of its members."""
    members = list(household.members.values_list("person_id", flat=True))
    rows = Entitlement.objects.filter(person_id__in=members).exclude(
        status=Entitlement.Status.STOPPED
    ) | Entitlement.objects.filter(household=household).exclude(status=Entitlement.Status.STOPPED)
    return list(rows.distinct().select_related("area", "household", "person").order_by("id"))


@transaction.atomic
def review_complete(
    *,
    actor: Any,
    review: Review,
    outcome: str,
    effective_month: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Review:
    """Record the outcome of a review and write what it changes, from `effective_month`
    (default: next month), then schedule the next review unless everything stopped."""
    policy.require(actor, "entitlement.review", review)
    Review.objects.select_for_update().filter(pk=review.pk).first()
    review.refresh_from_db()
    today = today or timezone.localdate()
    if review.status == Review.Status.DONE:
        raise ValidationError(_("This review is done already."), code="done")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    month = effective_month or add_months(first_of_month(today), 1)
    ent.check_month(month)
    note = clean_text(note, "note")
    if outcome != Outcome.CONTINUE and not note:
        raise ValidationError({"note": _("Say why (it is the reason written on the change).")})
    household = review.household
    entitlements = household_entitlements(household)
    if not entitlements and outcome != Outcome.CONTINUE:
        raise ValidationError(_("The household has no entitlement in payment to change."))
    # the note has no limit; the reason written on an entitlement has 300 characters
    reason = (_("Review %(date)s: %(note)s") % {"date": today, "note": note})[:300]
    changed = 0
    if outcome == Outcome.ADJUST:
        changed = _adjust(actor, entitlements, month, reason)
    elif outcome == Outcome.SUSPEND:
        for e in entitlements:
            if e.status == Entitlement.Status.ACTIVE:
                ent.entitlement_suspend(
                    actor=actor, entitlement=e, effective_month=month, reason=reason
                )
                changed += 1
    elif outcome == Outcome.STOP:
        for e in entitlements:
            ent.entitlement_stop(actor=actor, entitlement=e, effective_month=month, reason=reason)
            changed += 1
    elif outcome == Outcome.GRADUAL_EXIT:
        dibao = [e for e in entitlements if e.program == Program.DIBAO]
        if not dibao:
            raise ValidationError(
                {"outcome": _("Gradual exit is for dibao, which this household does not receive.")}
            )
        for e in dibao:
            ent.entitlement_gradual_exit(
                actor=actor, entitlement=e, effective_month=month, reason=reason
            )
            changed += 1
    review.outcome = outcome
    review.effective_month = month
    review.note = note
    review.done_by = actor
    review.done_on = today
    review._history_user = actor  # type: ignore[attr-defined]
    transition(
        review,
        Review.Status.DONE,
        actor=actor,
        note_code=NOTE_DONE,
        note_params={
            "outcome": str(outcome),
            "month": f"{month:%Y-%m}",
            "n": changed,
            "note": note,
        },
    )
    if outcome != Outcome.STOP:
        review_schedule(household=household, after=today)
    return review


def _adjust(actor: Any, entitlements: list[Entitlement], month: datetime.date, reason: str) -> int:
    """Re-compute each entitlement from the household as it is now; refuse when one no
    longer qualifies (the review must then choose gradual exit or stop)."""
    changed = 0
    for e in entitlements:
        if e.status == Entitlement.Status.GRADUAL_EXIT:
            continue
        try:
            computed = calc.compute_for_entitlement(e, month)
        except ValidationError as exc:
            raise ValidationError(
                _("%(program)s of %(name)s: %(reason)s")
                % {
                    "program": e.get_program_display(),
                    "name": e.person.name,
                    "reason": " ".join(exc.messages),
                }
            ) from None
        failures = computed.basis.pop("asset_failures", [])
        if computed.amount <= 0 or failures:
            why = " ".join(failures) or _(
                "the income per member of %(income)s is not below the standard of %(standard)s"
            ) % {
                "income": to_yuan(Decimal(computed.basis["income_per_member"])),
                "standard": computed.basis["standard"],
            }
            raise ValidationError(
                _(
                    "%(program)s of %(name)s no longer qualifies (%(why)s): "
                    "choose gradual exit or stop."
                )
                % {"program": e.get_program_display(), "name": e.person.name, "why": why},
                code="no_longer_qualifies",
            )
        inputs = calc.INPUTS.get(e.program, ())
        now_basis = ent.basis_in(e, max(month, e.start_month))
        if computed.amount != ent.amount_in(e, max(month, e.start_month)) or any(
            str(now_basis.get(k)) != str(computed.basis.get(k)) for k in inputs
        ):
            ent.entitlement_change_amount(
                actor=actor,
                entitlement=e,
                effective_month=max(month, e.start_month),
                monthly_amount=computed.amount,
                reason=reason,
                basis={**e.basis, **computed.basis},
                standard=computed.standard,
            )
            changed += 1
    return changed


def review_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Mark every due review whose date has passed as overdue (the daily beat job). Set-based:
    one UPDATE and one insert of StatusChange rows."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ids = list(
            Review.objects.select_for_update()
            .filter(status=Review.Status.DUE, due_date__lt=today)
            .values_list("id", flat=True)
        )
        if not ids:
            return 0
        Review.objects.filter(id__in=ids).update(
            status=Review.Status.OVERDUE, updated_at=timezone.now()
        )
        content_type = ContentType.objects.get_for_model(Review)
        overdue_note = notes.in_default_language(NOTE_OVERDUE, None)
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    content_type=content_type,
                    object_id=pk,
                    old_status=Review.Status.DUE,
                    new_status=Review.Status.OVERDUE,
                    note=overdue_note,
                    note_code=NOTE_OVERDUE,
                )
                for pk in ids
            ],
            batch_size=2000,
        )
    return len(ids)
