"""Writes of the cross-check app: one function per business action.

Each checks the access policy and its rules, writes in one transaction, and queues its
Celery work with `transaction.on_commit`. Pages, the API, the admin and the tasks call these.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import queue, status
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import first_of_month
from civil_affairs.core.validators import clean_text
from civil_affairs.standards import registry as standards_registry

from . import consequences, loading
from .kinds import LIST_KINDS, Kind, fields_of
from .models import (
    Action,
    ColumnMapping,
    ExternalList,
    MatchRule,
    MatchRun,
    Threshold,
    Warning,
)

DELIMITERS = {",", "\t", ";", "|"}


# ---- lists ---------------------------------------------------------------------------------


@transaction.atomic
def mapping_save(
    *, actor: Any, kind: str, columns: dict[str, str], delimiter: str = ","
) -> ColumnMapping:
    """Save the column mapping of a list kind (the upload form offers it next time). The
    mapping is county-wide: only a county-level role changes it."""
    policy.require_county_wide(actor, "crosscheck.upload")
    if kind not in LIST_KINDS:
        raise ValidationError({"kind": _("Choose a kind of list.")})
    cleaned = {f.name: (columns.get(f.name) or "").strip() for f in fields_of(kind)}
    mapping, _created = ColumnMapping.objects.get_or_create(kind=kind)
    mapping.columns = cleaned
    mapping.delimiter = delimiter
    mapping.updated_by = actor
    mapping._history_user = actor  # type: ignore[attr-defined]
    mapping.save()
    return mapping


@transaction.atomic
def list_upload(
    *,
    actor: Any,
    kind: str,
    area: Area,
    valid_on: datetime.date,
    source: str,
    file: UploadedFile | IO[bytes],
    file_name: str,
    columns: dict[str, str],
    delimiter: str = ",",
) -> ExternalList:
    """Accept a department's file: check its heading against the mapping, keep the file, save
    the mapping for next time, and queue the load (COPY, validation) in Celery."""
    policy.require_area_choice(actor, "crosscheck.upload", area)
    errors: dict[str, list[str]] = {}
    if kind not in LIST_KINDS:
        errors["kind"] = [_("Choose a kind of list.")]
    if valid_on > timezone.localdate():
        errors["valid_on"] = [_("A list cannot be valid for a date in the future.")]
    try:
        source = clean_text(source, "source", max_length=200)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not source:
        errors["source"] = [_("Name the department that sent the list.")]
    if delimiter not in DELIMITERS:
        errors["delimiter"] = [_("Use a comma, tab, semicolon or vertical bar.")]
    lower = file_name.lower()
    if not lower.endswith((".csv", ".txt", ".tsv", ".xlsx", ".xlsm")):
        errors["file"] = [_("Upload a CSV or an Excel (xlsx) file.")]
    if errors:
        raise ValidationError(errors)
    heading = loading.read_heading(file, file_name, delimiter)  # type: ignore[arg-type]
    index = loading.check_mapping(kind, columns, heading)
    if policy.holds_county_wide(actor, "crosscheck.upload"):  # a township's upload saves none
        mapping_save(actor=actor, kind=kind, columns=columns, delimiter=delimiter)
    lst = ExternalList(
        kind=kind,
        area=area,
        valid_on=valid_on,
        source=source,
        original_name=file_name[-255:],
        columns={name: heading.columns[i] for name, i in index.items()},
        delimiter=delimiter,
        encoding=heading.encoding,
        uploaded_by=actor,
    )
    lst.file.save(file_name[-100:], file, save=False)  # type: ignore[arg-type]
    lst._history_user = actor  # type: ignore[attr-defined]
    lst.save()
    _queue_load(lst.pk)
    return lst


def _queue_load(list_id: int) -> None:
    queue.send_after_commit("crosscheck.list_load", list_id)


@transaction.atomic
def list_reload(*, actor: Any, external_list: ExternalList) -> ExternalList:
    """Try a failed load again (after the cause, say a database outage, is gone)."""
    policy.require(actor, "crosscheck.upload", external_list)
    if external_list.status != ExternalList.Status.FAILED:
        raise ValidationError(_("Only a list whose load failed can be loaded again."))
    external_list.progress = 0
    external_list.save(update_fields=["progress"])
    _queue_load(external_list.pk)
    return external_list


@transaction.atomic
def list_retire(*, actor: Any, external_list: ExternalList, note: str = "") -> ExternalList:
    """Leave a list out of future runs (its warnings stay as they are)."""
    policy.require(actor, "crosscheck.upload", external_list)
    external_list._history_user = actor  # type: ignore[attr-defined]
    status.transition(external_list, ExternalList.Status.RETIRED, actor=actor, note=note)
    return external_list


# ---- runs ----------------------------------------------------------------------------------


@transaction.atomic
def run_start(
    *,
    actor: Any | None,
    area: Area,
    checks: Sequence[str] | None = None,
    as_of: datetime.date | None = None,
    inline: bool = False,
) -> MatchRun:
    """Queue a matching run over `area`. `actor` None is the monthly schedule. `inline`: run
    it here and now, chunk after chunk (the demo data, tests of the SQL)."""
    if actor is not None:
        policy.require_area_choice(actor, "crosscheck.run", area)
    wanted = list(checks) if checks else [c.value for c in MatchRun.Check]
    unknown = set(wanted) - set(MatchRun.Check.values)
    if unknown:
        raise ValidationError(
            {"checks": _("Unknown check: %(name)s.") % {"name": ", ".join(unknown)}}
        )
    busy = MatchRun.objects.filter(
        area=area, status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
    ).exists()
    if busy:
        raise ValidationError(_("A run for this area is already under way; wait for it to end."))
    run = MatchRun.objects.create(
        area=area,
        as_of=as_of or timezone.localdate(),
        checks=wanted,
        started_by=actor,
    )
    if inline:
        from . import matching

        return matching.run_inline(run)
    _queue_run(run.pk)
    return run


def _queue_run(run_id: int) -> None:
    queue.send_after_commit("crosscheck.run", run_id)


# ---- warnings ------------------------------------------------------------------------------


@dataclass
class Resolution:
    warnings: list[Warning]
    changed: list[dict[str, Any]] = field(default_factory=list)
    overpayments: list[Any] = field(default_factory=list)


def _identical(warnings: Sequence[Warning]) -> None:
    """Several warnings are resolved together only when their evidence is the same."""
    keys = {
        (w.rule_id, w.list_row_id, w.evidence_key if w.list_row_id is None else "")
        for w in warnings
    }
    if len(keys) > 1:
        raise ValidationError(
            _(
                "Only warnings with identical evidence (same rule, same record) "
                "can be resolved together."
            )
        )


def _lock_open(actor: Any, warnings: Sequence[Warning]) -> list[Warning]:
    if not warnings:
        raise ValidationError(_("Choose at least one warning."))
    locked = list(
        Warning.objects.select_for_update(of=("self",))
        .filter(pk__in=[w.pk for w in warnings])
        .select_related("rule", "person", "area", "list_row")
        .order_by("pk")
    )
    for warning in locked:
        policy.require(actor, "warning.resolve", warning)
        if warning.status != Warning.Status.OPEN:
            raise ValidationError(
                _("The warning about %(person)s is already %(status)s.")
                % {"person": warning.person.name, "status": warning.get_status_display()}
            )
    _identical(locked)
    return locked


@transaction.atomic
def warnings_dismiss(*, actor: Any, warnings: Sequence[Warning], reason: str) -> Resolution:
    """Dismiss warnings (one, or several with identical evidence): the reason is required.
    A dismissed warning is never raised again for the same evidence."""
    reason = clean_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("Say why the warning is dismissed.")})
    locked = _lock_open(actor, warnings)
    now = timezone.now()
    for warning in locked:
        warning.resolved_by = actor
        warning.resolved_at = now
        warning.resolution_note = reason
        warning._history_user = actor  # type: ignore[attr-defined]
        status.transition(warning, Warning.Status.DISMISSED, actor=actor, note=reason)
    return Resolution(warnings=locked)


@transaction.atomic
def warnings_confirm(
    *,
    actor: Any,
    warnings: Sequence[Warning],
    action: str,
    effective_month: datetime.date,
    new_amount: Decimal | None = None,
    benefit_refs: Sequence[str] | None = None,
    note: str = "",
) -> Resolution:
    """Confirm warnings (one, or several with identical evidence).

    The benefits each concerns (its beneficiary's open benefits of the rule's programs, in
    any app) stop, are suspended or change amount from `effective_month` through their
    sources' services (civil_affairs/benefits.py); `benefit_refs` narrows those of the first
    warning (the one the caseworker opened), the others each keep all theirs. What was paid
    from that month and is no longer due is registered as overpayments to recover, per
    program (payments' ledger).
    """
    errors: dict[str, list[str]] = {}
    try:
        note = clean_text(note, "note")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if action not in {Action.STOP, Action.SUSPEND, Action.CHANGE_AMOUNT, Action.KEEP}:
        errors["action"] = [_("Choose what happens to the benefit.")]
    if effective_month is None:
        errors["effective_month"] = [_("Choose the month from which it takes effect.")]
    else:
        effective_month = first_of_month(effective_month)
    if action == Action.CHANGE_AMOUNT:
        if new_amount is None or new_amount < 0:
            errors["new_amount"] = [_("Enter the new monthly amount.")]
        else:
            new_amount = to_yuan(new_amount)
    if errors:
        raise ValidationError(errors)
    if action != Action.KEEP and benefit_refs is not None and not benefit_refs:
        raise ValidationError({"benefits": _("Tick the benefits to change.")})
    locked = _lock_open(actor, warnings)
    if action == Action.KEEP and any(w.suggested_action != Action.REVIEW for w in locked):
        raise ValidationError(
            {
                "action": _(
                    "Only a warning that asks for a review can be confirmed without a change."
                )
            }
        )
    result = Resolution(warnings=locked)
    now = timezone.now()
    opened = warnings[0].pk if warnings else None
    for warning in locked:
        affected = consequences.affected_benefits(warning)
        if benefit_refs is not None and warning.pk == opened:
            affected = [b for b in affected if b.ref in set(benefit_refs)]
        if action != Action.KEEP and not affected:
            raise ValidationError(
                _("%(person)s has no open benefit this warning concerns any more.")
                % {"person": warning.person.name}
            )
        reason = _("Cross-check: %(rule)s (%(evidence)s)") % {
            "rule": warning.rule.name,
            "evidence": consequences.evidence_text(warning),
        }
        if note:
            reason = f"{reason}: {note}"
        # the death is on the person before the sources change the benefits: a source may
        # treat a death its own way (relief: a dead head's household dibao gets a new payee)
        consequences.record_death(actor=actor, warning=warning)
        changed, overpaid = consequences.apply(
            actor=actor,
            warning=warning,
            affected=affected if action != Action.KEEP else [],
            action=action,
            effective_month=effective_month,
            new_amount=new_amount,
            reason=reason[:300],
        )
        result.changed.extend(changed)
        result.overpayments.extend(overpaid)
        warning.resolved_by = actor
        warning.resolved_at = now
        warning.resolution_action = action
        warning.effective_month = effective_month
        warning.new_amount = new_amount if action == Action.CHANGE_AMOUNT else None
        warning.resolution_note = note
        warning.outcome = {
            "benefits": changed,
            "overpayments": [consequences.overpayment_dict(o) for o in overpaid],
        }
        warning._history_user = actor  # type: ignore[attr-defined]
        status.transition(warning, Warning.Status.CONFIRMED, actor=actor, note=reason[:300])
    return result


# ---- rules and thresholds (the admin) ------------------------------------------------------


PROGRAM_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def threshold_choices() -> list[tuple[str, Any]]:
    """What a rule may compare a list's value with: a threshold of the thresholds table, or a
    standard in yuan of any app's kinds ("standard:<kind>")."""
    return [
        *Threshold.Name.choices,
        *[
            (
                f"{MatchRule.STANDARD_PREFIX}{kind.code}",
                _("Standard: %(kind)s") % {"kind": kind.label},
            )
            for kind in standards_registry.all_kinds()
            if kind.unit == standards_registry.Unit.YUAN
        ],
    ]


@transaction.atomic
def rule_save(*, actor: Any, rule: MatchRule) -> MatchRule:
    """Validate and save a rule (the admin calls this)."""
    policy.require_county_wide(actor, "crosscheck.rules")
    rule_check(rule=rule)
    rule._history_user = actor  # type: ignore[attr-defined]
    rule.full_clean()
    rule.save()
    return rule


def rule_check(*, rule: MatchRule) -> None:
    """The rules a rule must follow; raises ValidationError naming the field.

    A rule may name programs no app pays yet: it stays out of effect (it matches no one)
    until an app registers benefits of one of them (MatchRule.in_effect)."""
    errors: dict[str, list[str]] = {}
    bad = [code for code in rule.programs if not PROGRAM_CODE.match(code)]
    if bad:
        errors["programs"] = [
            _(
                "A program code is lower-case letters, digits and underscores (such as "
                "old_age_allowance): %(codes)s is not."
            )
            % {"codes": ", ".join(bad)}
        ]
    if rule.kind == Kind.AGE and not rule.age_years:
        errors["age_years"] = [_("An age rule needs the age.")]
    if rule.kind != Kind.AGE and rule.age_years:
        errors["age_years"] = [_("Only age rules have an age.")]
    if rule.kind != Kind.AGE and rule.unless_fact:
        errors["unless_fact"] = [_("Only age rules have an exception.")]
    if rule.threshold_name and rule.kind not in LIST_KINDS:
        errors["threshold_name"] = [_("Only rules on lists compare a value with a threshold.")]
    elif rule.threshold_name and rule.threshold_name not in dict(threshold_choices()):
        errors["threshold_name"] = [
            _("Choose a threshold of the thresholds table or a standard in yuan.")
        ]
    if rule.kind not in LIST_KINDS and rule.reach != MatchRule.Reach.PERSON:
        errors["reach"] = [_("Checks without files concern the person only.")]
    if rule.kind == Kind.AGE and rule.effective_basis != MatchRule.EffectiveBasis.BIRTHDAY:
        errors["effective_basis"] = [_("An age rule takes effect after the birthday.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def threshold_save(*, actor: Any, threshold: Threshold) -> Threshold:
    """Validate and save a threshold (the admin calls this)."""
    policy.require(actor, "crosscheck.rules", area=threshold.area)
    threshold.full_clean()
    threshold_check(threshold=threshold)
    threshold._history_user = actor  # type: ignore[attr-defined]
    threshold.save()
    return threshold


def threshold_check(*, threshold: Threshold) -> None:
    """Periods of one threshold in one area may not overlap."""
    overlapping = Threshold.objects.filter(name=threshold.name, area_id=threshold.area_id).exclude(
        pk=threshold.pk
    )
    end = threshold.valid_to or datetime.date.max
    for other in overlapping:
        other_end = other.valid_to or datetime.date.max
        if other.valid_from <= end and threshold.valid_from <= other_end:
            raise ValidationError(
                {
                    "valid_from": _("It overlaps the row valid from %(date)s; end that one first.")
                    % {"date": other.valid_from}
                }
            )
