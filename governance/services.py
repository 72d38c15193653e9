"""Every write of governance, one function per business action.

The pages, the API and the staged import call these; each checks the access policy and the
rules and writes the change with its history in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import notes
from civil_affairs.core.months import add_months
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_id_number, clean_text, id_facts, not_future
from civil_affairs.people.models import Person

from .models import (
    CancelledCertificate,
    CertificateRequest,
    Committee,
    Deliberation,
    DeliberationStep,
    Disclosure,
    ListItem,
    Member,
    Sex,
    Vacancy,
    VillageRules,
)
from .standards import Kind, whole

NOTE_TERM_ENDED = notes.register("governance.term_ended", gettext_lazy("Term ended."))


def _save(obj: Any, actor: Any) -> Any:
    obj._history_user = actor
    obj.save()
    return obj


def _village(area: Area, field: str = "area") -> None:
    if area.level != Area.Level.VILLAGE:
        raise ValidationError({field: _("Choose a village or community.")})


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# ---- who someone is: a name and sex, or an ID number (then checked and linked)


def clean_person(
    *, actor: Any, name: Any, sex: Any, id_number: Any = "", prefix: str = ""
) -> tuple[str, str, Person | None]:
    """A member's or candidate's name and sex; with an ID number, the number is checked, the
    sex is the number's, and the person is linked when on file in the actor's areas."""
    name = clean_text(name, f"{prefix}name", required=True, max_length=50)
    sex = str(sex or "").strip().upper()
    person = None
    number_text = str(id_number or "").strip()
    if number_text:
        try:
            number = clean_id_number(number_text)
        except ValidationError as exc:
            raise ValidationError({f"{prefix}id_number": exc.messages}) from None
        facts_sex = id_facts(number).sex
        if sex and sex != facts_sex:
            raise ValidationError({f"{prefix}sex": _("The ID number says the other sex.")})
        sex = facts_sex
        person = policy.scope(actor, Person.objects.filter(id_number=number)).first()
    if sex not in Sex.values:
        raise ValidationError({f"{prefix}sex": _("Choose male or female.")})
    return name, sex, person


# ---- committees, members, the women-member rule


@transaction.atomic
def committee_elect(
    *,
    actor: Any,
    area: Area,
    kind: str,
    elected_on: datetime.date,
    parent: Committee | None = None,
) -> Committee:
    """A committee's new term (换届) or a sub-committee formed under the committee. The term
    lasts the standard's years; the committee of the same kind it replaces ends the day
    before."""
    policy.require_area_choice(actor, "committee.manage", area)
    _village(area)
    if kind not in Committee.Kind.values:
        raise ValidationError({"kind": _("Choose the committee.")})
    not_future(elected_on, "elected_on", required=False)
    if kind in Committee.SUB:
        if parent is None:
            parent = Committee.objects.filter(
                area=area, kind__in=Committee.MAIN, dissolved_on__isnull=True
            ).first()
        if parent is None or parent.area_id != area.pk or not parent.is_main:
            raise ValidationError(
                {"kind": _("A sub-committee is formed under the village's current committee.")}
            )
        term_ends = parent.term_ends_on
    else:
        parent = None
        term_ends = _add_years(elected_on, whole(Kind.TERM_YEARS, area=area, on=elected_on))
        term_ends -= datetime.timedelta(days=1)
    previous = Committee.objects.filter(area=area, kind=kind, dissolved_on__isnull=True).first()
    if previous is not None:
        if elected_on <= previous.elected_on:
            raise ValidationError(
                {"elected_on": _("The new term must start after the current one started.")}
            )
        _end_committee(actor, previous, elected_on - datetime.timedelta(days=1))
    committee = _save(
        Committee(
            area=area, kind=kind, parent=parent, elected_on=elected_on, term_ends_on=term_ends
        ),
        actor,
    )
    return committee  # type: ignore[no-any-return]


def _end_committee(actor: Any, committee: Committee, on: datetime.date) -> None:
    committee.dissolved_on = on
    _save(committee, actor)
    for member in committee.members.filter(left_on__isnull=True):
        member.left_on = on
        member.left_reason = _("Term ended.")
        _save(member, actor)
    for vacancy in committee.vacancies.filter(status__in=Vacancy.PENDING):
        vacancy._history_user = actor  # type: ignore[attr-defined]
        transition(vacancy, Vacancy.Status.CANCELLED, actor=actor, note_code=NOTE_TERM_ENDED)
    for sub in committee.subcommittees.filter(dissolved_on__isnull=True):
        _end_committee(actor, sub, on)


def member_build(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    sex: str,
    post: str,
    elected_on: datetime.date | None = None,
    id_number: str = "",
) -> Member:
    """The member as added, checked and not yet saved (the import checks its rows with this,
    writing nothing)."""
    policy.require(actor, "committee.manage", committee)
    if committee.dissolved_on is not None:
        raise ValidationError(_("This committee's term has ended."))
    if post not in Member.Post.values:
        raise ValidationError({"post": _("Choose the post.")})
    name, sex, person = clean_person(actor=actor, name=name, sex=sex, id_number=id_number)
    elected_on = elected_on or committee.elected_on
    not_future(elected_on, "elected_on", required=False)
    if elected_on < committee.elected_on:
        raise ValidationError({"elected_on": _("A member cannot be elected before the term.")})
    if (
        post == Member.Post.CHAIR
        and committee.members.filter(post=Member.Post.CHAIR, left_on__isnull=True).exists()
    ):
        raise ValidationError({"post": _("The committee has a chair already.")})
    if (
        person is not None
        and committee.members.filter(person=person, left_on__isnull=True).exists()
    ):
        raise ValidationError({"id_number": _("This person is a member already.")})
    return Member(
        committee=committee, name=name, sex=sex, person=person, post=post, elected_on=elected_on
    )


@transaction.atomic
def member_add(*, actor: Any, committee: Committee, **fields: Any) -> Member:
    """A member elected with the committee (or named to a sub-committee). Fields:
    `member_build`'s."""
    member = member_build(actor=actor, committee=committee, **fields)
    return _save(member, actor)  # type: ignore[no-any-return]


def committee_warnings(committee: Committee) -> list[str]:
    """What the committee lacks by law, as warnings (the record is kept all the same)."""
    warnings = []
    current = committee.members.filter(left_on__isnull=True)
    if committee.is_main and not current.filter(sex=Sex.FEMALE).exists():
        warnings.append(
            _("The committee has no woman member (Organic Law of Villagers' Committees, Art. 6).")
        )
    return warnings


@transaction.atomic
def member_leave(*, actor: Any, member: Member, left_on: datetime.date, reason: str) -> Vacancy:
    """A member leaves during the term: the post becomes a vacancy."""
    policy.require(actor, "committee.manage", member)
    if member.left_on is not None:
        raise ValidationError(_("This member has left already."))
    reason = clean_text(reason, "reason", required=True, max_length=200)
    not_future(left_on, "left_on", required=False)
    if left_on < member.elected_on:
        raise ValidationError({"left_on": _("A member cannot leave before being elected.")})
    member.left_on = left_on
    member.left_reason = reason
    _save(member, actor)
    vacancy = _save(
        Vacancy(
            committee=member.committee,
            post=member.post,
            former=member,
            arose_on=left_on,
            reason=reason,
        ),
        actor,
    )
    first_status(vacancy, actor=actor)
    return vacancy  # type: ignore[no-any-return]


@transaction.atomic
def vacancy_check_eligibility(
    *,
    actor: Any,
    vacancy: Vacancy,
    candidate_name: str,
    candidate_sex: str,
    checked_on: datetime.date,
    eligible: bool,
    note: str = "",
    candidate_id_number: str = "",
) -> Vacancy:
    """The joint eligibility check (资格联审) of the by-election's candidate. A candidate found
    ineligible leaves the vacancy open for another."""
    policy.require(actor, "committee.manage", vacancy)
    if vacancy.status not in Vacancy.PENDING:
        raise ValidationError(_("This vacancy is closed."))
    name, sex, person = clean_person(
        actor=actor,
        name=candidate_name,
        sex=candidate_sex,
        id_number=candidate_id_number,
        prefix="candidate_",
    )
    not_future(checked_on, "checked_on", required=False)
    if checked_on < vacancy.arose_on:
        raise ValidationError({"checked_on": _("The check cannot be before the vacancy arose.")})
    note = clean_text(note, "note", max_length=500)
    if not eligible and not note:
        raise ValidationError({"note": _("Say why the candidate is not eligible.")})
    vacancy.candidate_name, vacancy.candidate_sex, vacancy.candidate_person = name, sex, person
    vacancy.checked_on, vacancy.eligible, vacancy.check_note = checked_on, bool(eligible), note
    vacancy._history_user = actor  # type: ignore[attr-defined]
    target = Vacancy.Status.CHECKED if eligible else Vacancy.Status.OPEN
    if vacancy.status != target:
        transition(vacancy, target, actor=actor, note=note)
    else:
        vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_record_by_election(
    *,
    actor: Any,
    vacancy: Vacancy,
    held_on: datetime.date,
    votes_cast: int,
    votes_for: int,
    elected: bool,
) -> Vacancy:
    """The by-election's result. Elected: the candidate becomes a member and the vacancy is
    filled; not elected: the vacancy stays open for a new candidate and check."""
    policy.require(actor, "committee.manage", vacancy)
    if vacancy.status != Vacancy.Status.CHECKED:
        raise ValidationError(
            _("A by-election is held only for a candidate found eligible in the check.")
        )
    not_future(held_on, "held_on", required=False)
    if vacancy.checked_on and held_on < vacancy.checked_on:
        raise ValidationError({"held_on": _("The by-election follows the eligibility check.")})
    if held_on > vacancy.committee.term_ends_on:
        raise ValidationError({"held_on": _("The committee's term has ended by then.")})
    try:
        cast, votes = int(votes_cast), int(votes_for)
    except (TypeError, ValueError):
        raise ValidationError({"votes_cast": _("Give the numbers of votes.")}) from None
    if cast <= 0:
        raise ValidationError({"votes_cast": _("Give the number of votes cast.")})
    if not 0 <= votes <= cast:
        raise ValidationError(
            {"votes_for": _("Votes for the candidate are at most the votes cast.")}
        )
    vacancy.held_on, vacancy.votes_cast, vacancy.votes_for = held_on, cast, votes
    vacancy._history_user = actor  # type: ignore[attr-defined]
    if elected:
        member = _save(
            Member(
                committee=vacancy.committee,
                name=vacancy.candidate_name,
                sex=vacancy.candidate_sex,
                person=vacancy.candidate_person,
                post=vacancy.post,
                elected_on=held_on,
                by_election=True,
            ),
            actor,
        )
        vacancy.elected = member
        transition(vacancy, Vacancy.Status.FILLED, actor=actor, note=f"{votes}/{cast}")
    else:
        transition(vacancy, Vacancy.Status.OPEN, actor=actor, note=f"{votes}/{cast}")
    return vacancy


# ---- the three lists and the cancelled certificates


@transaction.atomic
def list_item_add(
    *, actor: Any, area: Area, kind: str, title: str, listed_on: datetime.date, basis: str = ""
) -> ListItem:
    policy.require_area_choice(actor, "village_list.manage", area)
    if kind not in ListItem.Kind.values:
        raise ValidationError({"kind": _("Choose the list.")})
    not_future(listed_on, "listed_on", required=False)
    return _save(  # type: ignore[no-any-return]
        ListItem(
            area=area,
            kind=kind,
            title=clean_text(title, "title", required=True, max_length=300),
            basis=clean_text(basis, "basis", max_length=500),
            listed_on=listed_on,
        ),
        actor,
    )


def _normal(item: str) -> str:
    return "".join(item.split()).casefold()


@transaction.atomic
def certificate_cancel(
    *, actor: Any, area: Area, item: str, legal_basis: str, cancelled_on: datetime.date
) -> CancelledCertificate:
    policy.require_area_choice(actor, "village_list.manage", area)
    item = clean_text(item, "item", required=True, max_length=200)
    not_future(cancelled_on, "cancelled_on", required=False)
    same = [
        c
        for c in CancelledCertificate.objects.filter(
            area=area, status=CancelledCertificate.Status.CANCELLED
        )
        if _normal(c.item) == _normal(item)
    ]
    if same:
        raise ValidationError({"item": _("This certificate is on the cancelled list already.")})
    return _save(  # type: ignore[no-any-return]
        CancelledCertificate(
            area=area,
            item=item,
            legal_basis=clean_text(legal_basis, "legal_basis", required=True, max_length=500),
            cancelled_on=cancelled_on,
        ),
        actor,
    )


def cancelled_for(area: Area, item: str, on: datetime.date) -> CancelledCertificate | None:
    """The cancellation in force for `area` (decided there or above it) of `item` on `on`."""
    chain = []
    node: Area | None = area
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    for row in CancelledCertificate.objects.filter(
        area_id__in=chain, status=CancelledCertificate.Status.CANCELLED, cancelled_on__lte=on
    ):
        if _normal(row.item) == _normal(item):
            return row
    return None


@transaction.atomic
def certificate_request(
    *, actor: Any, area: Area, applicant: str, item: str, requested_on: datetime.date
) -> CertificateRequest:
    """Record a request for a certificate: refused, with the basis, when the item is cancelled
    for the village; issued otherwise."""
    policy.require_area_choice(actor, "certificate.request", area)
    _village(area)
    item = clean_text(item, "item", required=True, max_length=200)
    not_future(requested_on, "requested_on", required=False)
    cancelled = cancelled_for(area, item, requested_on)
    request = CertificateRequest(
        area=area,
        applicant=clean_text(applicant, "applicant", required=True, max_length=50),
        item=item,
        requested_on=requested_on,
        outcome=CertificateRequest.Outcome.REFUSED
        if cancelled
        else CertificateRequest.Outcome.ISSUED,
        cancelled=cancelled,
        basis=(
            _("Cancelled on %(on)s: %(basis)s")
            % {"on": cancelled.cancelled_on, "basis": cancelled.legal_basis}
            if cancelled
            else ""
        ),
    )
    return _save(request, actor)  # type: ignore[no-any-return]


# ---- village rules


@transaction.atomic
def rules_pass(
    *,
    actor: Any,
    area: Area,
    title: str,
    meeting: str,
    passed_on: datetime.date,
    attendance: int,
    votes_for: int,
    topics: str = "",
    text: str = "",
) -> VillageRules:
    """A new version of the village's rules, as the meeting passed it (more than half of
    those present)."""
    policy.require_area_choice(actor, "village_rules.manage", area)
    _village(area)
    if meeting not in VillageRules.Meeting.values:
        raise ValidationError({"meeting": _("Choose the meeting that passed the rules.")})
    not_future(passed_on, "passed_on", required=False)
    attendance, votes_for = int(attendance or 0), int(votes_for or 0)
    if attendance <= 0:
        raise ValidationError({"attendance": _("Give the number present.")})
    if votes_for * 2 <= attendance:
        raise ValidationError({"votes_for": _("Rules pass with more than half of those present.")})
    if votes_for > attendance:
        raise ValidationError({"votes_for": _("Votes for are at most the number present.")})
    last = VillageRules.objects.filter(area=area).order_by("-version").first()
    if last is not None and passed_on < last.passed_on:
        raise ValidationError({"passed_on": _("An earlier version was passed after this date.")})
    rules = _save(
        VillageRules(
            area=area,
            version=(last.version + 1) if last else 1,
            title=clean_text(title, "title", required=True, max_length=200),
            topics=clean_text(topics, "topics", max_length=500),
            text=clean_text(text, "text", max_length=20000),
            meeting=meeting,
            passed_on=passed_on,
            attendance=attendance,
            votes_for=votes_for,
        ),
        actor,
    )
    first_status(rules, actor=actor)
    return rules  # type: ignore[no-any-return]


@transaction.atomic
def rules_file(*, actor: Any, rules: VillageRules, filed_on: datetime.date) -> VillageRules:
    """The township receives the rules for filing (备案)."""
    policy.require(actor, "village_rules.manage", rules)
    not_future(filed_on, "filed_on", required=False)
    if filed_on < rules.passed_on:
        raise ValidationError({"filed_on": _("Rules are filed after they are passed.")})
    rules.filed_on = filed_on
    rules._history_user = actor  # type: ignore[attr-defined]
    transition(rules, VillageRules.Status.FILED, actor=actor)
    return rules


@transaction.atomic
def rules_check(
    *, actor: Any, rules: VillageRules, checked_on: datetime.date, lawful: bool, note: str = ""
) -> VillageRules:
    """The township's legality check: lawful rules come into force (the version in force
    before is superseded); unlawful ones go back to the village with the findings."""
    policy.require(actor, "village_rules.manage", rules)
    not_future(checked_on, "checked_on", required=False)
    if rules.filed_on and checked_on < rules.filed_on:
        raise ValidationError({"checked_on": _("The check follows the filing.")})
    note = clean_text(note, "note", max_length=500)
    if not lawful and not note:
        raise ValidationError({"note": _("Say what is not lawful.")})
    rules.checked_on, rules.check_note = checked_on, note
    rules._history_user = actor  # type: ignore[attr-defined]
    if lawful:
        for old in VillageRules.objects.filter(
            area=rules.area, status=VillageRules.Status.IN_FORCE
        ).exclude(pk=rules.pk):
            old._history_user = actor  # type: ignore[attr-defined]
            transition(old, VillageRules.Status.SUPERSEDED, actor=actor)
        transition(rules, VillageRules.Status.IN_FORCE, actor=actor, note=note)
    else:
        transition(rules, VillageRules.Status.RETURNED, actor=actor, note=note)
    return rules


# ---- "four deliberations, two disclosures"


@transaction.atomic
def deliberation_start(
    *, actor: Any, area: Area, subject: str, proposed_on: datetime.date, record: str
) -> Deliberation:
    """A matter proposed by the Party branch: the first of the six steps."""
    policy.require_area_choice(actor, "deliberation.manage", area)
    _village(area)
    deliberation = _save(
        Deliberation(
            area=area, subject=clean_text(subject, "subject", required=True, max_length=300)
        ),
        actor,
    )
    deliberation_step(
        actor=actor,
        deliberation=deliberation,
        step=Deliberation.Step.PROPOSED,
        on=proposed_on,
        record=record,
    )
    return deliberation  # type: ignore[no-any-return]


@transaction.atomic
def deliberation_step(
    *, actor: Any, deliberation: Deliberation, step: int, on: datetime.date, record: str
) -> DeliberationStep:
    """Record one step, strictly after the one before it (and not before its date). The
    result of implementation is disclosed only once the decision is implemented."""
    policy.require(actor, "deliberation.manage", deliberation)
    try:
        step = int(step)
    except (TypeError, ValueError):
        step = 0
    if step not in Deliberation.Step.values:
        raise ValidationError({"step": _("Choose the step.")})
    done = list(deliberation.steps.order_by("step"))
    expected = len(done) + 1
    if step != expected:
        if expected > len(Deliberation.Step):
            raise ValidationError({"step": _("All six steps are recorded.")})
        raise ValidationError(
            {
                "step": _("The next step is “%(step)s”.")
                % {"step": Deliberation.Step(expected).label}
            }
        )
    not_future(on, "on", required=False)
    if done and on < done[-1].on:
        raise ValidationError(
            {
                "on": _("This step cannot be dated before the step before it (%(on)s).")
                % {"on": done[-1].on}
            }
        )
    if step == Deliberation.Step.RESULT_DISCLOSED:
        if deliberation.implemented_on is None:
            raise ValidationError(
                {"step": _("The result is disclosed after the decision is implemented.")}
            )
        if on < deliberation.implemented_on:
            raise ValidationError({"on": _("The result is disclosed after the implementation.")})
    return _save(  # type: ignore[no-any-return]
        DeliberationStep(
            deliberation=deliberation,
            step=step,
            on=on,
            record=clean_text(record, "record", required=True, max_length=5000),
        ),
        actor,
    )


@transaction.atomic
def deliberation_implement(
    *, actor: Any, deliberation: Deliberation, on: datetime.date
) -> Deliberation:
    """Mark the decision implemented: only once its resolution is disclosed (step 5)."""
    policy.require(actor, "deliberation.manage", deliberation)
    if deliberation.implemented_on is not None:
        raise ValidationError(_("The decision is marked implemented already."))
    disclosed = deliberation.steps.filter(step=Deliberation.Step.RESOLUTION_DISCLOSED).first()
    if disclosed is None:
        raise ValidationError(
            _("A decision cannot be implemented before its resolution is disclosed.")
        )
    not_future(on, "on", required=False)
    if on < disclosed.on:
        raise ValidationError({"on": _("Implementation follows the disclosure of the resolution.")})
    deliberation.implemented_on = on
    return _save(deliberation, actor)  # type: ignore[no-any-return]


# ---- the disclosure calendar


@transaction.atomic
def disclosure_plan(*, actor: Any, area: Area, topic: str, year: int) -> list[Disclosure]:
    """The year's calendar of one topic for a village: one disclosure per period of the
    standard's months, due the standard's days after the period (existing ones are kept)."""
    policy.require_area_choice(actor, "disclosure.manage", area)
    _village(area)
    if topic not in Disclosure.Topic.values:
        raise ValidationError({"topic": _("Choose the topic.")})
    start = datetime.date(int(year), 1, 1)
    months = whole(Kind.DISCLOSURE_MONTHS, area=area, on=start)
    if not 1 <= months <= 12:
        raise ValidationError(_("The disclosure interval standard must be 1 to 12 months."))
    grace = whole(Kind.DISCLOSURE_GRACE_DAYS, area=area, on=start)
    made = []
    period = start
    while period.year == start.year:
        nxt = add_months(period, months)
        if not Disclosure.objects.filter(area=area, topic=topic, period_start=period).exists():
            made.append(
                _save(
                    Disclosure(
                        area=area,
                        topic=topic,
                        period_start=period,
                        due_on=nxt - datetime.timedelta(days=1) + datetime.timedelta(days=grace),
                    ),
                    actor,
                )
            )
        period = nxt
    return made


@transaction.atomic
def disclosure_record(
    *, actor: Any, disclosure: Disclosure, disclosed_on: datetime.date, content: str
) -> Disclosure:
    policy.require(actor, "disclosure.manage", disclosure)
    if disclosure.disclosed_on is not None:
        raise ValidationError(_("This disclosure is recorded already."))
    not_future(disclosed_on, "disclosed_on", required=False)
    if disclosed_on < disclosure.period_start:
        raise ValidationError({"disclosed_on": _("A disclosure follows the start of its period.")})
    disclosure.disclosed_on = disclosed_on
    disclosure.content = clean_text(content, "content", required=True, max_length=5000)
    return _save(disclosure, actor)  # type: ignore[no-any-return]
