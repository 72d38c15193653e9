"""The case flow of an application, one service per step.

applied → accepted → visited → cross-check requested → cleared → public notice → submitted
→ reviewed (township) → approved (county, or the township where approval is delegated, and
for temporary assistance within the township's limit) → in payment. Refused or withdrawn
with a reason at any step before approval. Temporary assistance skips the cross-check and
the notice; urgent temporary assistance can be paid first and documented after.

Every step checks the policy (role and area), the order of steps (the model's TRANSITIONS,
with a message saying what comes first), and writes a StatusChange row with its note.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.core import notes
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text

from .. import calc
from ..models import (
    Application,
    Entitlement,
    HomeVisit,
    Household,
    HouseholdMember,
    VisitPhoto,
)
from ..standards import Kind as StandardKind
from .entitlements import entitlement_create
from .reviews import review_schedule

# what the system writes on a case's timeline, read in the reader's language (core.notes)
NOTE_REGISTERED = notes.register("relief.registered", gettext_lazy("Registered."))
NOTE_VISITED = notes.register("relief.visited", gettext_lazy("Visited on %(d)s."))
NOTE_ONE_OFF = notes.register("relief.one_off", gettext_lazy("One-off payment of %(amount)s."))

S = Application.Status
Kind = Application.Kind
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".pdf")
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a technical upload limit, not a policy threshold

# the step each status waits for, for the "out of order" message
NEXT_STEP = {
    S.APPLIED: gettext_lazy("acceptance"),
    S.ACCEPTED: gettext_lazy("the home visit"),
    S.VISITED: gettext_lazy("the cross-check request"),
    S.CROSSCHECK_REQUESTED: gettext_lazy("the cross-check result"),
    S.CROSSCHECK_CLEARED: gettext_lazy("the public notice"),
    S.IN_NOTICE: gettext_lazy("submission to the township"),
    S.SUBMITTED: gettext_lazy("the township review"),
    S.REVIEWED: gettext_lazy("approval"),
}


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _expect(application: Application, allowed: Iterable[str], step: str) -> None:
    """Refuse a step out of order with a message naming what the case is waiting for."""
    if application.status in set(allowed):
        return
    if application.status in Application.OPEN:
        raise ValidationError(
            _("“%(step)s” cannot be done now: the case is “%(status)s” and waits for %(next)s.")
            % {
                "step": step,
                "status": application.get_status_display(),
                "next": NEXT_STEP[S(application.status)],
            },
            code="out_of_order",
        )
    raise ValidationError(
        _("“%(step)s” cannot be done now: the case is “%(status)s”.")
        % {"step": step, "status": application.get_status_display()},
        code="out_of_order",
    )


def _locked(application: Application) -> Application:
    Application.objects.select_for_update().filter(pk=application.pk).first()
    application.refresh_from_db()
    return application


def _move(application: Application, new: str, actor: Any, note: str = "") -> None:
    application._history_user = actor  # type: ignore[attr-defined]
    transition(application, new, actor=actor, note=note)


def _save(application: Application, actor: Any) -> None:
    application._history_user = actor  # type: ignore[attr-defined]
    application.save()


def _not_by(actor: Any, application: Application, message: str) -> None:
    """Four eyes: whoever registered, submitted or reviewed a case does not decide it."""
    if actor.pk in {
        application.created_by_id,
        application.submitted_by_id,
        application.reviewed_by_id,
    }:
        raise PermissionDenied(message)


@transaction.atomic
def application_create(
    *,
    actor: Any,
    household: Household,
    person_id: int,
    program: str,
    statement: str = "",
    applied_on: datetime.date | None = None,
    coverage: str = "",
    support_mode: str = "",
    assistance_kind: str = "",
    requested_amount: Decimal | None = None,
    urgent: bool = False,
    start_month: datetime.date | None = None,
) -> Application:
    """Register an application of a member of `household` (status: applied)."""
    policy.require(actor, "application.create", household)
    errors: dict[str, str] = {}
    applied_on = applied_on or timezone.localdate()
    if applied_on > timezone.localdate():
        errors["applied_on"] = _("The application date cannot be in the future.")
    if program not in Kind.values:
        errors["program"] = _("Choose a program.")
    member = HouseholdMember.objects.filter(household=household, person_id=person_id).first()
    if member is None:
        errors["person"] = _("The applicant must be a member of the household.")
    try:
        statement = clean_text(statement, "statement")
    except ValidationError as exc:
        errors["statement"] = exc.messages[0]
    if program == Kind.DIBAO:
        coverage = coverage or Application.Coverage.HOUSEHOLD
        if coverage not in Application.Coverage.values:
            errors["coverage"] = _("Choose the coverage.")
        elif (
            coverage == Application.Coverage.HOUSEHOLD
            and member is not None
            and member.relationship != HouseholdMember.Relationship.HEAD
        ):
            errors["person"] = _("Household dibao is applied for (and paid to) the head.")
    if program == Kind.EXTREME_POVERTY and support_mode not in Application.SupportMode.values:
        errors["support_mode"] = _("Choose centralised or dispersed support.")
    if program == Kind.TEMPORARY:
        if assistance_kind not in Application.AssistanceKind.values:
            errors["assistance_kind"] = _("Choose emergency or sudden expense.")
        try:
            amount = to_yuan(requested_amount) if requested_amount is not None else None
        except (InvalidOperation, TypeError, ValueError):
            amount = None
        if amount is None or amount <= 0:
            errors["requested_amount"] = _("Give the amount asked for, above zero.")
        requested_amount = amount
    else:
        if urgent:
            errors["urgent"] = _("Only temporary assistance can be paid first.")
        requested_amount = None
    if start_month is not None and start_month.day != 1:
        errors["start_month"] = _("A month is given as its first day (YYYY-MM-01).")
    if errors:
        raise ValidationError(errors)
    if program != Kind.TEMPORARY:
        open_same = Application.objects.filter(
            person_id=person_id, program=program, status__in=Application.OPEN
        )
        if open_same.exists():
            raise ValidationError(
                {"program": _("This person already has an open application for this program.")}
            )
        if (
            Entitlement.objects.filter(person_id=person_id, program=program)
            .exclude(status=Entitlement.Status.STOPPED)
            .exists()
        ):
            raise ValidationError({"program": _("This person already receives this program.")})
    application = Application(
        household=household,
        person_id=person_id,
        program=program,
        statement=statement,
        applied_on=applied_on,
        coverage=coverage if program == Kind.DIBAO else "",
        support_mode=support_mode if program == Kind.EXTREME_POVERTY else "",
        assistance_kind=assistance_kind if program == Kind.TEMPORARY else "",
        requested_amount=requested_amount,
        urgent=urgent,
        start_month=start_month,
        created_by=actor,
    )
    _save(application, actor)
    first_status(application, actor=actor, note_code=NOTE_REGISTERED)
    return application


@transaction.atomic
def application_accept(*, actor: Any, application: Application, note: str = "") -> Application:
    policy.require(actor, "application.casework", application)
    _locked(application)
    _expect(application, {S.APPLIED}, _("Accept"))
    _move(application, S.ACCEPTED, actor, note)
    return application


@transaction.atomic
def application_record_visit(
    *,
    actor: Any,
    application: Application,
    visited_on: datetime.date,
    visitors: str,
    findings: str,
    photos: Sequence[UploadedFile] = (),
) -> HomeVisit:
    """The home visit: who went, when, what they found, photos. Documents a paid-first case."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    paid_first = application.documents_pending
    if not paid_first:
        _expect(application, {S.ACCEPTED}, _("Record the home visit"))
    errors: dict[str, str] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("The visit cannot be in the future.")
    elif visited_on < application.applied_on:
        errors["visited_on"] = _("The visit cannot be before the application.")
    if not (visitors or "").strip():
        errors["visitors"] = _("Name who visited (two people).")
    if not (findings or "").strip():
        errors["findings"] = _("Write what the visit found.")
    for photo in photos:
        name = (photo.name or "").lower()
        if not name.endswith(PHOTO_TYPES):
            errors["photos"] = _("%(name)s is not a photo or PDF.") % {"name": photo.name}
        elif (photo.size or 0) > MAX_PHOTO_BYTES:
            errors["photos"] = _("%(name)s is larger than 10 MB.") % {"name": photo.name}
    if errors:
        raise ValidationError(errors)
    visit = HomeVisit(
        application=application,
        visited_on=visited_on,
        visitors=visitors.strip(),
        findings=findings.strip(),
        recorded_by=actor,
    )
    visit._history_user = actor  # type: ignore[attr-defined]
    visit.full_clean()
    visit.save()
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, image=photo)
    if paid_first:
        application.documents_pending = False
        _save(application, actor)
    else:
        application._history_user = actor  # type: ignore[attr-defined]
        transition(
            application,
            S.VISITED,
            actor=actor,
            note_code=NOTE_VISITED,
            note_params={"d": f"{visited_on}"},
        )
    return visit


@transaction.atomic
def application_request_crosscheck(
    *, actor: Any, application: Application, note: str = ""
) -> Application:
    policy.require(actor, "application.casework", application)
    _locked(application)
    _expect(application, {S.VISITED}, _("Request the cross-check"))
    _move(application, S.CROSSCHECK_REQUESTED, actor, note)
    return application


@transaction.atomic
def application_clear_crosscheck(
    *, actor: Any, application: Application, result: str
) -> Application:
    """Record the cross-check result: nothing found, or what was found and why it is fine."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _expect(application, {S.CROSSCHECK_REQUESTED}, _("Record the cross-check result"))
    application.crosscheck_note = clean_text(result, "result", required=True)
    _move(application, S.CROSSCHECK_CLEARED, actor, application.crosscheck_note)
    return application


@transaction.atomic
def application_start_notice(
    *, actor: Any, application: Application, start: datetime.date
) -> Application:
    """Post the public notice from `start`, for the configured number of days."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _expect(application, {S.CROSSCHECK_CLEARED}, _("Start the public notice"))
    if start < application.applied_on:
        raise ValidationError({"start": _("The notice cannot start before the application.")})
    if start > timezone.localdate() + datetime.timedelta(days=31):
        raise ValidationError({"start": _("The notice starts within the next month.")})
    days = calc.get_standard(
        StandardKind.NOTICE_DAYS, area=application.household.area, month=first_of_month(start)
    )
    application.notice_start = start
    application.notice_end = start + datetime.timedelta(days=int(days.value) - 1)
    _move(
        application,
        S.IN_NOTICE,
        actor,
        _("Notice from %(start)s to %(end)s.") % {"start": start, "end": application.notice_end},
    )
    return application


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    application: Application,
    objections: str = "",
    today: datetime.date | None = None,
) -> Application:
    """Submit to the township: after the notice has ended (temporary assistance: after the
    visit), with the objections the notice brought."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    today = _today(today)
    allowed = {S.IN_NOTICE, S.VISITED} if application.program == Kind.TEMPORARY else {S.IN_NOTICE}
    _expect(application, allowed, _("Submit to the township"))
    if application.status == S.IN_NOTICE:
        assert application.notice_end is not None
        if today <= application.notice_end:
            raise ValidationError(
                _("The public notice runs until %(end)s: submit after it ends.")
                % {"end": application.notice_end},
                code="notice_running",
            )
    application.notice_objections = clean_text(objections, "objections")
    application.submitted_by = actor
    application.submitted_at = timezone.now()
    _move(application, S.SUBMITTED, actor, application.notice_objections)
    return application


@transaction.atomic
def application_review(*, actor: Any, application: Application, opinion: str = "") -> Application:
    """The township's review: passes the case on for approval (refusing is its own step)."""
    policy.require(actor, "application.review", application)
    _locked(application)
    _expect(application, {S.SUBMITTED}, _("Township review"))
    _not_by(actor, application, _("You cannot review a case you registered or submitted."))
    application.review_opinion = clean_text(opinion, "opinion")
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    _move(application, S.REVIEWED, actor, application.review_opinion)
    return application


def _township_limit(application: Application, month: datetime.date) -> Decimal:
    return calc.get_standard(
        StandardKind.TEMP_TOWNSHIP_LIMIT, area=application.household.area, month=month
    ).value


def _check_approver(actor: Any, application: Application, month: datetime.date) -> None:
    """County approvers approve everything; a township approves where approval is delegated,
    and temporary assistance up to its limit."""
    if policy.may(actor, "application.approve", application):
        return
    try:
        policy.require(actor, "application.approve_delegated", application)
    except PermissionDenied:
        raise PermissionDenied(
            _("Only a county approver, or a township where approval is delegated, may approve.")
        ) from None
    if application.program == Kind.TEMPORARY:
        limit = _township_limit(application, month)
        amount = application.requested_amount or Decimal("0")
        if amount > limit:
            raise PermissionDenied(
                _(
                    "Temporary assistance of %(amount)s is above the township's limit of "
                    "%(limit)s: the county must approve it."
                )
                % {"amount": amount, "limit": limit}
            )
        return
    township = application.household.area.township
    if township is None or not township.approval_delegated:
        raise PermissionDenied(
            _("Approval is not delegated to this township: the county approves this case.")
        )


@transaction.atomic
def application_approve(
    *,
    actor: Any,
    application: Application,
    note: str = "",
    today: datetime.date | None = None,
) -> Application:
    """Approve: compute the amount from the standards, freeze it on a new entitlement that
    starts the month after approval (or the application's first month), and put the case in
    payment. Temporary assistance is approved for the amount asked."""
    _locked(application)
    today = _today(today)
    approval_month = first_of_month(today)
    _check_approver(actor, application, approval_month)
    _expect(application, {S.REVIEWED}, _("Approve"))
    _not_by(
        actor, application, _("You cannot approve a case you registered, submitted or reviewed.")
    )
    _approve(actor, application, note, today)
    return application


def may_approve(actor: Any, application: Application, today: datetime.date | None = None) -> bool:
    """Whether `actor` may approve the case now, by the same rules application_approve
    applies (county or delegated township, the township's limit, four eyes): pages offer
    the approve button and the bulk-approve checkbox only for these."""
    if application.status != S.REVIEWED:
        return False
    try:
        _check_approver(actor, application, first_of_month(_today(today)))
        _not_by(actor, application, "")
    except (PermissionDenied, Http404, ValidationError):
        return False
    return True


def _approve(actor: Any, application: Application, note: str, today: datetime.date) -> None:
    household = application.household
    next_month = add_months(first_of_month(today), 1)
    application.approved_by = actor
    application.approved_at = timezone.now()
    if application.program == Kind.TEMPORARY:
        application.approved_amount = application.requested_amount
        _move(application, S.APPROVED, actor, note)
        application._history_user = actor  # type: ignore[attr-defined]
        transition(
            application,
            S.IN_PAYMENT,
            actor=actor,
            note_code=NOTE_ONE_OFF,
            note_params={"amount": str(application.approved_amount)},
        )
        return
    start = application.start_month or next_month
    computed = calc.compute(
        program=application.program,
        household=household,
        person_id=application.person_id,
        month=start,
        coverage=application.coverage,
    )
    computed.basis["support_mode"] = application.support_mode or None
    if application.program == Kind.EXTREME_POVERTY:  # the level of the assessment used
        application.self_care = computed.basis["self_care"]
    computed.basis["application_id"] = application.pk
    entitlement = entitlement_create(
        actor=actor,
        application=application,
        program=application.program,
        person_id=application.person_id,
        household=household,
        start_month=start,
        computed=computed,
    )
    application.approved_amount = entitlement.monthly_amount
    _move(application, S.APPROVED, actor, note)
    _move(
        application,
        S.IN_PAYMENT,
        actor,
        _("%(amount)s a month from %(month)s.")
        % {"amount": entitlement.monthly_amount, "month": f"{start:%Y-%m}"},
    )
    review_schedule(household=household, after=today)


@transaction.atomic
def application_pay_first(
    *,
    actor: Any,
    application: Application,
    note: str = "",
    today: datetime.date | None = None,
) -> Application:
    """Urgent temporary assistance: approve and pay at once, the visit is recorded after."""
    _locked(application)
    today = _today(today)
    policy.require(actor, "household.view", application)  # 404 outside the actor's areas
    if application.program != Kind.TEMPORARY or not application.urgent:
        raise ValidationError(
            _("Only urgent temporary assistance is paid first and documented after."),
            code="not_urgent",
        )
    _check_approver(actor, application, first_of_month(today))
    _expect(application, {S.APPLIED}, _("Pay first"))
    _not_by(
        actor, application, _("You cannot approve a case you registered, submitted or reviewed.")
    )
    application.documents_pending = True
    _approve(actor, application, note or _("Paid first; documents to follow."), today)
    return application


@transaction.atomic
def application_refuse(*, actor: Any, application: Application, reason: str) -> Application:
    """Refuse, with the reason the applicant is told (and may appeal)."""
    policy.require(actor, "application.refuse", application)
    _locked(application)
    _expect(application, Application.OPEN, _("Refuse"))
    reason = clean_text(reason, "reason", required=True, max_length=300)
    application.status_reason = reason
    _move(application, S.REFUSED, actor, reason)
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application, reason: str) -> Application:
    """The applicant withdraws; the caseworker records it with the reason."""
    policy.require(actor, "application.withdraw", application)
    _locked(application)
    _expect(application, Application.OPEN, _("Withdraw"))
    reason = clean_text(reason, "reason", required=True, max_length=300)
    application.status_reason = reason
    _move(application, S.WITHDRAWN, actor, reason)
    return application


def application_approve_many(
    *, actor: Any, applications: Iterable[Application], note: str = ""
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Approve each case on its own (each all or nothing); say which could not be, and why."""
    approved: list[Application] = []
    failed: list[tuple[Application, str]] = []
    for application in applications:
        try:
            approved.append(application_approve(actor=actor, application=application, note=note))
        except (ValidationError, PermissionDenied) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            failed.append((application, message))
        except Http404:
            failed.append((application, _("Not found.")))
    return approved, failed
