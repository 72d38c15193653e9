"""The case flow of an application, one service per step, in the national rules' order.

dibao and extreme-poverty support: applied → accepted → home visit → cross-check (only with
the signed authorisation to check finances) → submitted to the township → the township's
first opinion with the proposed amount (初审) → public notice (公示) → notice ended → approved
(the county, or the township where that program's approval is delegated on that day) → in
payment. An objection with grounds during the notice sends the case back to the home visit
(re-investigation); the case then goes through the township and a new notice that runs its
full days. Temporary assistance: accepted → visit → submitted → first opinion → approved
(no cross-check, no notice); urgent cases are paid first and documented after. The two
disability subsidies: the township accepts → the disabled persons' federation confirms the
grade → civil affairs decides, with the cross-check and notice only where the county's
standard says so. Refused or withdrawn with a reason at any step before approval. The
program's path is `path()`; relief/steps.py shows its buttons.

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
from civil_affairs.core.validators import clean_id_number, clean_text

from .. import calc, rules
from ..models import (
    Application,
    Entitlement,
    HomeVisit,
    Household,
    HouseholdMember,
    Program,
    VisitPhoto,
)
from ..standards import Kind as StandardKind
from .entitlements import entitlement_create
from .reviews import review_schedule

# what the system writes on a case's timeline, read in the reader's language (core.notes)
NOTE_REGISTERED = notes.register("relief.registered", gettext_lazy("Registered."))
NOTE_VISITED = notes.register("relief.visited", gettext_lazy("Visited on %(d)s."))
NOTE_ONE_OFF = notes.register("relief.one_off", gettext_lazy("One-off payment of %(amount)s."))
NOTE_NON_RESIDENT = notes.register(
    "relief.non_resident", gettext_lazy("Registered (non-resident).")
)
NOTE_PROPOSED = notes.register("relief.proposed", gettext_lazy("Proposed %(amount)s. %(opinion)s"))
NOTE_NOTICE = notes.register(
    "relief.notice", gettext_lazy("Notice %(round)d from %(start)s to %(end)s.")
)
NOTE_OBJECTION = notes.register(
    "relief.objection",
    gettext_lazy("Objection during notice %(round)d: %(text)s. Re-investigation."),
)
NOTE_GRADE = notes.register(
    "relief.grade_confirmed", gettext_lazy("Grade %(grade)d (%(type)s) confirmed. %(note)s")
)
NOTE_MONTHLY = notes.register("relief.monthly", gettext_lazy("%(amount)s a month from %(month)s."))

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
    S.CROSSCHECK_CLEARED: gettext_lazy("submission to the township"),
    S.SUBMITTED: gettext_lazy("the township's first opinion"),
    S.REVIEWED: gettext_lazy("the public notice"),
    S.IN_NOTICE: gettext_lazy("the end of the public notice"),
    S.NOTICE_ENDED: gettext_lazy("approval"),
    S.GRADE_CONFIRMED: gettext_lazy("approval"),
}
DISABILITY = (Kind.DISABILITY_LIVING, Kind.DISABILITY_CARE)
FULL = (
    S.APPLIED,
    S.ACCEPTED,
    S.VISITED,
    S.CROSSCHECK_REQUESTED,
    S.CROSSCHECK_CLEARED,
    S.SUBMITTED,
    S.REVIEWED,
    S.IN_NOTICE,
    S.NOTICE_ENDED,
    S.APPROVED,
)
TEMPORARY = (S.APPLIED, S.ACCEPTED, S.VISITED, S.SUBMITTED, S.REVIEWED, S.APPROVED)
DISABILITY_SHORT = (S.APPLIED, S.ACCEPTED, S.GRADE_CONFIRMED, S.APPROVED)
DISABILITY_FULL = (S.APPLIED, S.ACCEPTED, S.GRADE_CONFIRMED, *FULL[3:])


def disability_full_procedure(application: Application) -> bool:
    """Whether the county has the two disability subsidies cross-checked and noticed too."""
    row = calc.find_standard(
        StandardKind.DISABILITY_FULL_PROCEDURE,
        area=application.area,
        month=first_of_month(application.applied_on),
    )
    return row is not None and row.value == 1


def path(application: Application) -> tuple[str, ...]:
    """The statuses this case goes through, in order (refused and withdrawn aside)."""
    if application.program == Kind.TEMPORARY:
        return TEMPORARY
    if application.program in DISABILITY:
        return DISABILITY_FULL if disability_full_procedure(application) else DISABILITY_SHORT
    return FULL


def before(application: Application, status: str) -> str | None:
    """The status this case is in just before `status` on its path (None: not on it)."""
    steps = path(application)
    if status not in steps or steps.index(status) == 0:
        return None
    return steps[steps.index(status) - 1]


def _on_path(application: Application, status: str, step: str) -> None:
    """Refuse a step that leads to `status` unless the case is right before it."""
    previous = before(application, status)
    _expect(application, {previous} if previous else set(), step)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _waits_for(application: Application) -> Any:
    if application.status == S.ACCEPTED and application.program in DISABILITY:
        return gettext_lazy("the federation's confirmation of the grade")
    if application.status == S.GRADE_CONFIRMED and disability_full_procedure(application):
        return NEXT_STEP[S.VISITED]
    if application.status == S.VISITED and application.program == Kind.TEMPORARY:
        return NEXT_STEP[S.CROSSCHECK_CLEARED]
    if application.status == S.REVIEWED and application.program == Kind.TEMPORARY:
        return NEXT_STEP[S.NOTICE_ENDED]
    return NEXT_STEP[S(application.status)]


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
                "next": _waits_for(application),
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


def _move(
    application: Application,
    new: str,
    actor: Any,
    note: str = "",
    code: str = "",
    params: dict[str, Any] | None = None,
) -> None:
    """Move the case; `note` is the user's text, `code` and `params` a sentence of ours."""
    application._history_user = actor  # type: ignore[attr-defined]
    transition(application, new, actor=actor, note=note, note_code=code, note_params=params)


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


def _bool(value: Any) -> bool:
    return bool(value) and value not in ("0", "false", "False")


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
    finance_check_authorised: bool = False,
    staff_relative: bool = False,
    staff_relative_note: str = "",
    special_case: bool = False,
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
    try:
        staff_relative_note = clean_text(staff_relative_note, "staff_relative_note", max_length=200)
    except ValidationError as exc:
        errors["staff_relative_note"] = exc.messages[0]
    if staff_relative and not staff_relative_note:
        errors["staff_relative_note"] = _("Say whose close relative the applicant is.")
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
        requested_amount = _temporary_request(
            errors, assistance_kind, requested_amount, household.area, household, person_id
        )
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
        rules.choose_the_higher(program, person_id, first_of_month(applied_on))
    application = Application(
        household=household,
        area=household.area,
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
        finance_check_authorised=_bool(finance_check_authorised),
        staff_relative=_bool(staff_relative),
        staff_relative_note=staff_relative_note,
        special_case=_bool(special_case),
        created_by=actor,
    )
    _save(application, actor)
    first_status(application, actor=actor, note_code=NOTE_REGISTERED)
    return application


def _temporary_request(
    errors: dict[str, str],
    assistance_kind: str,
    requested_amount: Any,
    area: Any,
    household: Household | None,
    person_id: int | None,
) -> Decimal | None:
    if assistance_kind not in Application.AssistanceKind.values:
        errors["assistance_kind"] = _("Choose emergency or sudden expense.")
    try:
        amount = to_yuan(requested_amount) if requested_amount is not None else None
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or amount <= 0:
        errors["requested_amount"] = _("Give the amount asked for, above zero.")
    elif "assistance_kind" not in errors:
        try:
            rules.temporary_limits(
                area=area,
                household=household,
                person_id=person_id,
                kind=assistance_kind,
                amount=amount,
                day=timezone.localdate(),
            )
        except ValidationError as exc:
            errors["requested_amount"] = " ".join(exc.messages)
    return amount


@transaction.atomic
def application_create_non_resident(
    *,
    actor: Any,
    area: Any,
    id_number: str,
    name: str,
    assistance_kind: str,
    requested_amount: Decimal | None,
    statement: str = "",
    urgent: bool = False,
) -> Application:
    """Temporary assistance for someone without a household on file, helped in the village
    where the emergency happened (non-residents too: 临时救助 follows the emergency)."""
    from civil_affairs.people.models import Person
    from civil_affairs.people.services import person_create

    policy.require_area_choice(actor, "application.create", area)
    errors: dict[str, str] = {}
    try:
        statement = clean_text(statement, "statement")
    except ValidationError as exc:
        errors["statement"] = exc.messages[0]
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the person's name.")
    try:
        number = clean_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
        number = ""
    person = Person.objects.filter(id_number=number).first() if number else None
    if person is not None and HouseholdMember.objects.filter(person=person).exists():
        errors["id_number"] = _(
            "This person is in a household on file: apply from the household's page."
        )
    amount = _temporary_request(
        errors,
        assistance_kind,
        requested_amount,
        area,
        None,
        person.pk if person is not None else None,
    )
    if errors:
        raise ValidationError(errors)
    if person is None:
        person = person_create(actor=actor, id_number=number, name=name, area=area)
    application = Application(
        household=None,
        area=area,
        person=person,
        program=Kind.TEMPORARY,
        statement=statement,
        applied_on=timezone.localdate(),
        assistance_kind=assistance_kind,
        requested_amount=amount,
        urgent=urgent,
        created_by=actor,
    )
    _save(application, actor)
    first_status(application, actor=actor, note_code=NOTE_NON_RESIDENT)
    return application


@transaction.atomic
def application_accept(
    *,
    actor: Any,
    application: Application,
    note: str = "",
    finance_check_authorised: bool = False,
    staff_relative: bool = False,
    staff_relative_note: str = "",
    today: datetime.date | None = None,
) -> Application:
    """Accept the application (受理): the working-day limit counts from today. The signed
    authorisation to check finances and a close relative of staff are recorded here when
    they came with the papers."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _expect(application, {S.APPLIED}, _("Accept"))
    note = clean_text(note, "note")
    staff_relative_note = clean_text(staff_relative_note, "staff_relative_note", max_length=200)
    if staff_relative and not (staff_relative_note or application.staff_relative_note):
        raise ValidationError(
            {"staff_relative_note": _("Say whose close relative the applicant is.")}
        )
    if finance_check_authorised:
        application.finance_check_authorised = True
    if staff_relative:
        application.staff_relative = True
        application.staff_relative_note = staff_relative_note or application.staff_relative_note
    application.accepted_on = _today(today)
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
    """The home visit: who went, when, what they found, photos. Documents a paid-first case;
    after a founded objection it is the re-investigation."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    paid_first = application.documents_pending
    if not paid_first:
        _on_path(application, S.VISITED, _("Record the home visit"))
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
    """Ask for the cross-check of the household's finances: only with the signed
    authorisation to check them on file (核对授权书)."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _on_path(application, S.CROSSCHECK_REQUESTED, _("Request the cross-check"))
    if not application.finance_check_authorised:
        raise ValidationError(
            _(
                "The signed authorisation to check finances (核对授权书) is not on file: "
                "record it before the cross-check."
            ),
            code="no_authorisation",
        )
    _move(application, S.CROSSCHECK_REQUESTED, actor, clean_text(note, "note"))
    return application


@transaction.atomic
def application_record_authorisation(
    *, actor: Any, application: Application, note: str = ""
) -> Application:
    """The signed authorisation to check finances arrived after acceptance."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _expect(application, Application.OPEN, _("Record the authorisation"))
    application.finance_check_authorised = True
    _save(application, actor)
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
def application_submit(*, actor: Any, application: Application, note: str = "") -> Application:
    """Submit to the township for its first opinion: after the cross-check (temporary
    assistance: after the home visit)."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _on_path(application, S.SUBMITTED, _("Submit to the township"))
    application.submitted_by = actor
    application.submitted_at = timezone.now()
    _move(application, S.SUBMITTED, actor, clean_text(note, "note"))
    return application


def proposed_amount(application: Application, month: datetime.date | None = None) -> Decimal:
    """The amount the rules give this case now: what the township's first opinion proposes."""
    if application.program == Kind.TEMPORARY:
        assert application.requested_amount is not None
        return application.requested_amount
    assert application.household is not None
    start = application.start_month or month or add_months(first_of_month(timezone.localdate()), 1)
    return calc.compute(
        program=application.program,
        household=application.household,
        person_id=application.person_id,
        month=start,
        coverage=application.coverage,
    ).amount


@transaction.atomic
def application_review(*, actor: Any, application: Application, opinion: str = "") -> Application:
    """The township's first opinion (初审), with the amount the rules propose: before the
    public notice, which shows it. Refusing is its own step."""
    policy.require(actor, "application.review", application)
    _locked(application)
    _on_path(application, S.REVIEWED, _("The township's first opinion"))
    if actor.pk in {application.created_by_id, application.submitted_by_id}:
        # (a second opinion after a re-investigation may be the same reviewer's)
        raise PermissionDenied(_("You cannot review a case you registered or submitted."))
    opinion = clean_text(opinion, "opinion")
    amount = proposed_amount(application)  # a case the rules refuse is refused, not proposed
    if application.program == Kind.TEMPORARY:
        rules.temporary_limits(
            area=application.area,
            household=application.household,
            person_id=application.person_id,
            kind=application.assistance_kind,
            amount=amount,
            day=timezone.localdate(),
            exclude=application.pk,
        )
    application.review_opinion = opinion
    application.proposed_amount = amount
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    _move(
        application,
        S.REVIEWED,
        actor,
        code=NOTE_PROPOSED,
        params={"amount": str(amount), "opinion": opinion},
    )
    return application


@transaction.atomic
def application_start_notice(
    *, actor: Any, application: Application, start: datetime.date
) -> Application:
    """Post the public notice from `start`, for the configured number of days: only after
    the township's first opinion, whose proposed amount it shows."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _on_path(application, S.IN_NOTICE, _("Start the public notice"))
    if start < application.applied_on:
        raise ValidationError({"start": _("The notice cannot start before the application.")})
    if start > timezone.localdate() + datetime.timedelta(days=31):
        raise ValidationError({"start": _("The notice starts within the next month.")})
    days = calc.get_standard(
        StandardKind.NOTICE_DAYS, area=application.area, month=first_of_month(start)
    )
    application.notice_start = start
    application.notice_end = start + datetime.timedelta(days=int(days.value) - 1)
    application.notice_round += 1
    _move(
        application,
        S.IN_NOTICE,
        actor,
        code=NOTE_NOTICE,
        params={
            "round": application.notice_round,
            "start": f"{start}",
            "end": f"{application.notice_end}",
        },
    )
    return application


@transaction.atomic
def application_record_objection(
    *, actor: Any, application: Application, objection: str
) -> Application:
    """An objection with grounds during the notice: the case goes back to the home visit
    (re-investigation), then through the township again and a new notice of full length."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    _expect(application, {S.IN_NOTICE}, _("Record an objection"))
    objection = clean_text(objection, "objection", required=True)
    heard = application.notice_objections
    application.notice_objections = (heard + "\n" if heard else "") + objection
    application.notice_start = None
    application.notice_end = None
    _move(
        application,
        S.ACCEPTED,
        actor,
        code=NOTE_OBJECTION,
        params={"round": application.notice_round, "text": objection},
    )
    return application


@transaction.atomic
def application_close_notice(
    *,
    actor: Any,
    application: Application,
    objections: str = "",
    today: datetime.date | None = None,
) -> Application:
    """The notice has run its full days without an objection with grounds (the objections
    heard and found groundless are written here)."""
    policy.require(actor, "application.casework", application)
    _locked(application)
    today = _today(today)
    _expect(application, {S.IN_NOTICE}, _("Close the public notice"))
    assert application.notice_end is not None
    if today <= application.notice_end:
        raise ValidationError(
            _("The public notice runs until %(end)s: close it after it ends.")
            % {"end": application.notice_end},
            code="notice_running",
        )
    objections = clean_text(objections, "objections")
    if objections:
        heard = application.notice_objections
        application.notice_objections = (heard + "\n" if heard else "") + objections
    _move(application, S.NOTICE_ENDED, actor, objections)
    return application


@transaction.atomic
def application_confirm_grade(
    *,
    actor: Any,
    application: Application,
    grade: int,
    disability_type: str,
    note: str = "",
) -> Application:
    """The disabled persons' federation confirms the grade (and type) of the disability the
    subsidy is for; the member's record takes the confirmed grade."""
    policy.require(actor, "application.confirm_grade", application)
    _locked(application)
    if application.program not in DISABILITY:
        raise ValidationError(
            _("Only the two disability subsidies have their grade confirmed."), code="program"
        )
    _expect(application, {S.ACCEPTED}, _("Confirm the grade"))
    errors: dict[str, str] = {}
    if grade not in (1, 2, 3, 4):
        errors["grade"] = _("A disability grade is 1 to 4.")
    if disability_type not in calc_disability_types():
        errors["disability_type"] = _("Choose the type of disability.")
    if errors:
        raise ValidationError(errors)
    note = clean_text(note, "note")
    assert application.household is not None
    member = HouseholdMember.objects.get(
        household=application.household, person_id=application.person_id
    )
    if (member.disability_grade, member.disability_type) != (grade, disability_type):
        member.disability_grade = grade
        member.disability_type = disability_type
        member._history_user = actor  # type: ignore[attr-defined]
        member.save(update_fields=["disability_grade", "disability_type", "updated_at"])
    application.confirmed_grade = grade
    application.confirmed_type = disability_type
    application.grade_confirmed_by = actor
    application.grade_confirmed_at = timezone.now()
    _move(
        application,
        S.GRADE_CONFIRMED,
        actor,
        code=NOTE_GRADE,
        params={"grade": grade, "type": disability_type, "note": note},
    )
    return application


def calc_disability_types() -> tuple[str, ...]:
    from ..standards import DISABILITY_TYPES

    return DISABILITY_TYPES


def _township_limit(application: Application, month: datetime.date) -> Decimal:
    return calc.get_standard(
        StandardKind.TEMP_TOWNSHIP_LIMIT, area=application.area, month=month
    ).value


def _check_approver(actor: Any, application: Application, day: datetime.date) -> bool:
    """County approvers approve everything; a township approves a program where its approval
    is delegated on that day, and temporary assistance up to its limit and reserve fund.
    A close relative of staff is always approved by the county. True: the township's."""
    month = first_of_month(day)
    if policy.may(actor, "application.approve", application):
        return False
    try:
        policy.require(actor, "application.approve_delegated", application)
    except PermissionDenied:
        raise PermissionDenied(
            _("Only a county approver, or a township where approval is delegated, may approve.")
        ) from None
    if application.staff_relative:
        raise PermissionDenied(
            _(
                "The applicant is a close relative of staff or cadres (近亲属备案): the county "
                "approves this case."
            )
        )
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
        rules.reserve_check(application=application, amount=amount, day=day)
        return True
    township = application.area.township
    if township is None or not rules.delegated(township, application.program, day):
        raise PermissionDenied(
            _(
                "Approval of %(program)s is not delegated to this township on %(day)s: the "
                "county approves this case."
            )
            % {"program": application.get_program_display(), "day": day}
        )
    return True


def approvable_from(application: Application) -> str | None:
    return before(application, S.APPROVED)


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
    payment. Temporary assistance is approved for the amount asked and paid from the fund."""
    _locked(application)
    today = _today(today)
    delegated = _check_approver(actor, application, today)
    _on_path(application, S.APPROVED, _("Approve"))
    _not_by(
        actor, application, _("You cannot approve a case you registered, submitted or reviewed.")
    )
    application.approved_delegated = delegated
    _approve(actor, application, note, today)
    return application


def may_approve(actor: Any, application: Application, today: datetime.date | None = None) -> bool:
    """Whether `actor` may approve the case now, by the same rules application_approve
    applies (county or delegated township, the township's limit, four eyes): pages offer
    the approve button and the bulk-approve checkbox only for these."""
    if before(application, S.APPROVED) != application.status:
        return False
    try:
        _check_approver(actor, application, _today(today))
        _not_by(actor, application, "")
    except (PermissionDenied, Http404, ValidationError):
        return False
    return True


def _approve(actor: Any, application: Application, note: str, today: datetime.date) -> None:
    next_month = add_months(first_of_month(today), 1)
    application.approved_by = actor
    application.approved_at = timezone.now()
    note = clean_text(note, "note")
    if application.program == Kind.TEMPORARY:
        amount = application.requested_amount
        assert amount is not None
        rules.temporary_limits(
            area=application.area,
            household=application.household,
            person_id=application.person_id,
            kind=application.assistance_kind,
            amount=amount,
            day=today,
            exclude=application.pk,
        )
        application.approved_amount = amount
        _move(application, S.APPROVED, actor, note)
        rules.pay_one_off(
            actor=actor,
            program=rules.ONE_OFF_TEMPORARY,
            person=application.person,
            area=application.area,
            amount=amount,
            source=f"relief.application:{application.pk}",
            note=str(application.get_assistance_kind_display()),
            day=today,
        )
        application._history_user = actor  # type: ignore[attr-defined]
        transition(
            application,
            S.IN_PAYMENT,
            actor=actor,
            note_code=NOTE_ONE_OFF,
            note_params={"amount": str(application.approved_amount)},
        )
        return
    household = application.household
    assert household is not None
    start = application.start_month or next_month
    rules.choose_the_higher(application.program, application.person_id, start)
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
        code=NOTE_MONTHLY,
        params={"amount": str(entitlement.monthly_amount), "month": f"{start:%Y-%m}"},
    )
    if application.program in (Program.DIBAO, Program.EXTREME_POVERTY):
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
    delegated = _check_approver(actor, application, today)
    _expect(application, {S.APPLIED}, _("Pay first"))
    _not_by(
        actor, application, _("You cannot approve a case you registered, submitted or reviewed.")
    )
    application.documents_pending = True
    application.approved_delegated = delegated
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
