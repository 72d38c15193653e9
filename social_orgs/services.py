"""Every write of social_orgs, one function per business action.

The pages, the admin, the API and the staged import all call these; each checks the access
policy and the rules, and writes the change with its history in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.money import to_yuan
from civil_affairs.core.months import first_of_month
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_credit_code, clean_text, not_future

from .models import (
    Charity,
    Donation,
    EnforcementCase,
    Evaluation,
    FundUse,
    Inspection,
    ListEntry,
    LotterySales,
    Organisation,
    OrganisationChange,
    OrgType,
    Station,
    StationStaff,
    Volunteer,
    VolunteerService,
)
from .selectors import not_inspected
from .standards import Kind, whole

CIVIL_AFFAIRS_PREFIX = "5"  # the registration authority digit of civil-affairs credit codes


# ---- cleaning shared by the forms, the API and the import


def clean_org_credit_code(value: Any, org_type: str, field: str = "credit_code") -> str:
    """A civil-affairs credit code: valid check character (GB 32100), starting with 5, and its
    second character the organisation's type (1 social group, 2 social service agency, 3
    foundation). Errors name `field`."""
    try:
        code = clean_credit_code(str(value or ""))
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if code[0] != CIVIL_AFFAIRS_PREFIX:
        raise ValidationError(
            {field: _("A social organisation's credit code starts with 5 (civil affairs).")}
        )
    if org_type in OrgType.values and code[1] != org_type:
        raise ValidationError(
            {
                field: _(
                    "The code's second character %(digit)s says “%(says)s”, but the "
                    "organisation is a “%(type)s”."
                )
                % {
                    "digit": code[1],
                    "says": OrgType(code[1]).label if code[1] in OrgType.values else "?",
                    "type": OrgType(org_type).label,
                }
            }
        )
    return code


def clean_org_type(value: Any, field: str = "org_type") -> str:
    text = str(value or "").strip()
    if text not in OrgType.values:
        raise ValidationError({field: _("Choose the type: 1, 2 or 3.")})
    return text


def clean_money(value: Any, field: str) -> Decimal:
    try:
        amount = to_yuan(value if value not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


def _save(obj: Any, actor: Any) -> Any:
    obj._history_user = actor
    obj.save()
    return obj


def _check_active(organisation: Organisation) -> None:
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            _("The organisation is %(status)s.") % {"status": organisation.get_status_display()}
        )


# ---- the registry


def organisation_build(
    *,
    actor: Any,
    area: Area,
    name: str,
    org_type: str,
    legal_representative: str,
    registered_on: datetime.date,
    credit_code: str = "",
    registration: str = Organisation.Registration.REGISTERED,
    supervising_unit: str = "",
    direct_registration: bool = False,
    funds: Any = 0,
    members: int = 0,
    address: str = "",
    business_scope: str = "",
) -> Organisation:
    """The organisation as registered, checked and not yet saved: every rule of the
    registration (the import checks its rows with this, writing nothing)."""
    filed = registration == Organisation.Registration.FILED
    if registration not in Organisation.Registration.values:
        raise ValidationError({"registration": _("Choose registered or filed.")})
    policy.require_area_choice(
        actor, "organisation.file" if filed else "organisation.register", area
    )
    if filed and area.level != Area.Level.TOWNSHIP:
        raise ValidationError({"area": _("A community organisation is filed with a township.")})
    org_type = clean_org_type(org_type)
    code = str(credit_code or "").strip()
    if code or not filed:
        if not code:
            raise ValidationError({"credit_code": _("This field is required.")})
        code = clean_org_credit_code(code, org_type)
        if Organisation.objects.filter(credit_code=code).exists():
            raise ValidationError(
                {"credit_code": _("An organisation with this credit code is already registered.")}
            )
    supervising_unit = clean_text(supervising_unit, "supervising_unit", max_length=200)
    if direct_registration and supervising_unit:
        raise ValidationError(
            {"supervising_unit": _("A directly registered organisation has no supervising unit.")}
        )
    if not direct_registration and not supervising_unit and not filed:
        raise ValidationError(
            {"supervising_unit": _("Give the supervising unit, or tick direct registration.")}
        )
    not_future(registered_on, "registered_on", required=False)
    organisation = Organisation(
        area=area,
        name=clean_text(name, "name", required=True, max_length=200),
        credit_code=code,
        org_type=org_type,
        registration=registration,
        supervising_unit=supervising_unit,
        direct_registration=bool(direct_registration),
        legal_representative=clean_text(
            legal_representative, "legal_representative", required=True, max_length=50
        ),
        funds=clean_money(funds, "funds"),
        members=int(members or 0),
        address=clean_text(address, "address", max_length=200),
        business_scope=clean_text(business_scope, "business_scope", max_length=500),
        registered_on=registered_on,
        status_on=registered_on,
    )
    return organisation


@transaction.atomic
def organisation_register(*, actor: Any, **fields: Any) -> Organisation:
    """Register an organisation, or file a community organisation with its township (备案:
    a credit code is then optional, but checked when given). Fields: `organisation_build`'s."""
    organisation = organisation_build(actor=actor, **fields)
    _save(organisation, actor)
    first_status(organisation, actor=actor)
    return organisation


@transaction.atomic
def organisation_change(
    *,
    actor: Any,
    organisation: Organisation,
    changed_on: datetime.date,
    note: str = "",
    **changes: Any,
) -> list[OrganisationChange]:
    """A change of registered items (变更登记), one dated row per item that changed."""
    policy.require(actor, "organisation.change", organisation)
    unknown = set(changes) - set(Organisation.CHANGEABLE)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    _check_active(organisation)
    not_future(changed_on, "changed_on", required=False)
    if changed_on < organisation.registered_on:
        raise ValidationError({"changed_on": _("A change cannot be before the registration.")})
    note = clean_text(note, "note", max_length=300)
    if "funds" in changes:
        changes["funds"] = clean_money(changes["funds"], "funds")
    if "members" in changes:
        changes["members"] = int(changes["members"] or 0)
    text_limits = {
        "name": 200,
        "legal_representative": 50,
        "supervising_unit": 200,
        "address": 200,
        "business_scope": 500,
    }
    for field, limit in text_limits.items():
        if field in changes:
            changes[field] = clean_text(
                changes[field],
                field,
                required=field in ("name", "legal_representative"),
                max_length=limit,
            )
    if changes.get("supervising_unit") and organisation.direct_registration:
        raise ValidationError(
            {"supervising_unit": _("A directly registered organisation has no supervising unit.")}
        )
    rows = []
    for field, value in changes.items():
        old = getattr(organisation, field)
        if old == value:
            continue
        rows.append(
            OrganisationChange(
                organisation=organisation,
                changed_on=changed_on,
                field=field,
                old_value=str(old),
                new_value=str(value),
                note=note,
            )
        )
        setattr(organisation, field, value)
    if not rows:
        raise ValidationError(_("Nothing was changed."))
    _save(organisation, actor)
    for row in rows:
        _save(row, actor)
    return rows


@transaction.atomic
def organisation_set_status(
    *, actor: Any, organisation: Organisation, status: str, on: datetime.date, reason: str
) -> Organisation:
    """Deregister (注销) or revoke (撤销) an organisation."""
    policy.require(actor, "organisation.change", organisation)
    reason = clean_text(reason, "reason", required=True, max_length=300)
    not_future(on, "on", required=False)
    if on < organisation.registered_on:
        raise ValidationError({"on": _("This date cannot be before the registration.")})
    organisation.status_on = on
    organisation.status_reason = reason
    organisation._history_user = actor  # type: ignore[attr-defined]
    transition(organisation, status, actor=actor, note=reason)
    return organisation


# ---- annual inspection, the lists, evaluation


def report_deadline(organisation: Organisation, year: int) -> datetime.date:
    """The last day an organisation may report its year `year` (a standard: the month of
    the next year by whose end reports are due)."""
    month = whole(
        Kind.REPORT_DEADLINE_MONTH, area=organisation.area, on=datetime.date(year + 1, 1, 1)
    )
    if not 1 <= month <= 12:
        raise ValidationError(_("The report deadline standard must be a month, 1 to 12."))
    nxt = datetime.date(year + 1 + month // 12, month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    reported_on: datetime.date,
    result: str,
    reasons: str = "",
    rectification: str = "",
) -> Inspection:
    """Record the annual inspection of `year` (one per organisation and year). A late report
    takes the organisation off the abnormal-activity list it was put on for that year."""
    policy.require(actor, "annual_inspection.record", organisation)
    if organisation.registration != Organisation.Registration.REGISTERED:
        raise ValidationError(_("Filed community organisations are not inspected."))
    _check_active(organisation)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Give the year as four digits.")}) from None
    if Inspection.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(
            {
                "year": _("The annual inspection of %(year)s is already recorded for %(org)s.")
                % {"year": year, "org": organisation.name}
            }
        )
    if year < organisation.registered_on.year:
        raise ValidationError({"year": _("The organisation was not registered in that year.")})
    not_future(reported_on, "reported_on", required=False)
    if reported_on.year <= year:
        raise ValidationError(
            {"reported_on": _("A year's report is received after the year has ended.")}
        )
    if result not in Inspection.Result.values:
        raise ValidationError({"result": _("Choose pass, basic pass or fail.")})
    reasons = clean_text(reasons, "reasons", max_length=2000)
    rectification = clean_text(rectification, "rectification", max_length=2000)
    if result != Inspection.Result.PASS and not reasons:
        raise ValidationError({"reasons": _("Give the reasons for a basic pass or a fail.")})
    if result != Inspection.Result.PASS and not rectification:
        raise ValidationError({"rectification": _("Say what must be rectified.")})
    inspection = _save(
        Inspection(
            organisation=organisation,
            year=year,
            reported_on=reported_on,
            result=result,
            reasons=reasons,
            rectification=rectification,
        ),
        actor,
    )
    for entry in ListEntry.objects.filter(
        organisation=organisation,
        kind=ListEntry.Kind.ABNORMAL,
        inspection_year=year,
        removed_on__isnull=True,
    ):
        entry.removed_on = max(reported_on, entry.entered_on)
        entry.removal_reason = _("Annual report of %(year)s received.") % {"year": year}
        _save(entry, actor)
    return inspection


@transaction.atomic
def abnormal_list_overdue(*, actor: Any, year: int, on: datetime.date) -> list[ListEntry]:
    """Put every active organisation in the actor's areas that has not reported `year` by its
    deadline on the abnormal-activity list, dated `on` (once: one open entry per list)."""
    policy.require(actor, "orglist.manage")
    not_future(on, "on", required=False)
    added = []
    for organisation in not_inspected(user=actor, year=year).filter(
        area_id__in=_areas_for(actor, "orglist.manage")
    ):
        if on <= report_deadline(organisation, year):
            continue
        if organisation.list_entries.filter(
            kind=ListEntry.Kind.ABNORMAL, removed_on__isnull=True
        ).exists():
            continue
        entry = ListEntry(
            organisation=organisation,
            kind=ListEntry.Kind.ABNORMAL,
            entered_on=on,
            reason=_("Annual report of %(year)s not submitted by the deadline.") % {"year": year},
            inspection_year=year,
        )
        added.append(_save(entry, actor))
    return added


def _areas_for(actor: Any, action: str) -> Iterable[int]:
    if policy.is_unrestricted(actor):
        return Area.objects.values_list("pk", flat=True)
    return policy.area_ids(actor, policy.ACTIONS[action])


@transaction.atomic
def list_enter(
    *, actor: Any, organisation: Organisation, kind: str, entered_on: datetime.date, reason: str
) -> ListEntry:
    policy.require(actor, "orglist.manage", organisation)
    if kind not in ListEntry.Kind.values:
        raise ValidationError({"kind": _("Choose the list.")})
    not_future(entered_on, "entered_on", required=False)
    if organisation.list_entries.filter(kind=kind, removed_on__isnull=True).exists():
        raise ValidationError({"kind": _("The organisation is on this list already.")})
    return _save(  # type: ignore[no-any-return]
        ListEntry(
            organisation=organisation,
            kind=kind,
            entered_on=entered_on,
            reason=clean_text(reason, "reason", required=True, max_length=300),
        ),
        actor,
    )


@transaction.atomic
def list_remove(
    *, actor: Any, entry: ListEntry, removed_on: datetime.date, reason: str
) -> ListEntry:
    policy.require(actor, "orglist.manage", entry)
    if entry.removed_on is not None:
        raise ValidationError(_("This entry was removed already."))
    not_future(removed_on, "removed_on", required=False)
    if removed_on < entry.entered_on:
        raise ValidationError({"removed_on": _("Removal cannot be before the listing.")})
    entry.removed_on = removed_on
    entry.removal_reason = clean_text(reason, "reason", required=True, max_length=300)
    return _save(entry, actor)  # type: ignore[no-any-return]


@transaction.atomic
def evaluation_record(
    *, actor: Any, organisation: Organisation, grade: int, awarded_on: datetime.date
) -> Evaluation:
    """A grade 1A–5A, valid for the years a standard sets (from the award date)."""
    policy.require(actor, "evaluation.record", organisation)
    _check_active(organisation)
    try:
        grade = int(grade)
    except (TypeError, ValueError):
        grade = 0
    if not 1 <= grade <= 5:
        raise ValidationError({"grade": _("A grade is 1A to 5A.")})
    not_future(awarded_on, "awarded_on", required=False)
    years = whole(Kind.EVALUATION_VALID_YEARS, area=organisation.area, on=awarded_on)
    try:
        until = awarded_on.replace(year=awarded_on.year + years)
    except ValueError:  # 29 February
        until = awarded_on.replace(year=awarded_on.year + years, day=28)
    return _save(  # type: ignore[no-any-return]
        Evaluation(
            organisation=organisation,
            grade=grade,
            awarded_on=awarded_on,
            valid_until=until - datetime.timedelta(days=1),
        ),
        actor,
    )


# ---- enforcement against illegal organisations


@transaction.atomic
def enforcement_open(
    *,
    actor: Any,
    area: Area,
    subject: str,
    opened_on: datetime.date,
    source: str = "",
    findings: str = "",
) -> EnforcementCase:
    policy.require_area_choice(actor, "enforcement.manage", area)
    not_future(opened_on, "opened_on", required=False)
    case = EnforcementCase(
        area=area,
        subject=clean_text(subject, "subject", required=True, max_length=200),
        opened_on=opened_on,
        source=clean_text(source, "source", max_length=200),
        findings=clean_text(findings, "findings", max_length=5000),
    )
    return _save(case, actor)  # type: ignore[no-any-return]


@transaction.atomic
def enforcement_close(
    *,
    actor: Any,
    case: EnforcementCase,
    outcome: str,
    closed_on: datetime.date,
    findings: str = "",
) -> EnforcementCase:
    policy.require(actor, "enforcement.manage", case)
    if case.status == EnforcementCase.Status.CLOSED:
        raise ValidationError(_("The case is closed already."))
    if outcome not in EnforcementCase.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    not_future(closed_on, "closed_on", required=False)
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    case.status = EnforcementCase.Status.CLOSED
    case.outcome = outcome
    case.closed_on = closed_on
    if findings:
        case.findings = clean_text(findings, "findings", max_length=5000)
    return _save(case, actor)  # type: ignore[no-any-return]


# ---- charities


@transaction.atomic
def charity_recognise(
    *,
    actor: Any,
    organisation: Organisation,
    recognised_on: datetime.date,
    public_fundraising: bool = False,
    fundraising_since: datetime.date | None = None,
) -> Charity:
    policy.require(actor, "charity.manage", organisation)
    _check_active(organisation)
    if organisation.registration != Organisation.Registration.REGISTERED:
        raise ValidationError(_("Only a registered organisation can be recognised as a charity."))
    if Charity.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("The organisation is recognised as a charity already."))
    not_future(recognised_on, "recognised_on", required=False)
    if recognised_on < organisation.registered_on:
        raise ValidationError({"recognised_on": _("This date cannot be before the registration.")})
    if public_fundraising:
        if fundraising_since is None:
            raise ValidationError(
                {"fundraising_since": _("Give the date of the fund-raising qualification.")}
            )
        not_future(fundraising_since, "fundraising_since", required=False)
        if fundraising_since < recognised_on:
            raise ValidationError(
                {"fundraising_since": _("A charity qualifies for fund-raising after recognition.")}
            )
    else:
        fundraising_since = None
    return _save(  # type: ignore[no-any-return]
        Charity(
            organisation=organisation,
            recognised_on=recognised_on,
            public_fundraising=bool(public_fundraising),
            fundraising_since=fundraising_since,
        ),
        actor,
    )


@transaction.atomic
def donation_record(
    *,
    actor: Any,
    charity: Charity,
    received_on: datetime.date,
    donor: str,
    amount: Any,
    purpose: str = "",
) -> Donation:
    policy.require(actor, "charity.manage", charity)
    not_future(received_on, "received_on", required=False)
    value = clean_money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": _("A donation is more than zero.")})
    return _save(  # type: ignore[no-any-return]
        Donation(
            charity=charity,
            received_on=received_on,
            donor=clean_text(donor, "donor", required=True, max_length=200),
            amount=value,
            purpose=clean_text(purpose, "purpose", max_length=300),
        ),
        actor,
    )


# ---- social-work stations


def _served(station_area: Area, villages: Iterable[Area]) -> list[Area]:
    chosen = list(villages)
    for village in chosen:
        if village.parent_id != station_area.pk:
            raise ValidationError(
                {"villages": _("%(name)s is not in this township.") % {"name": village.name}}
            )
    return chosen


@transaction.atomic
def station_create(
    *,
    actor: Any,
    area: Area,
    name: str,
    opened_on: datetime.date,
    stars: int | None = None,
    villages: Iterable[Area] = (),
) -> Station:
    policy.require_area_choice(actor, "station.manage", area)
    if area.level != Area.Level.TOWNSHIP:
        raise ValidationError({"area": _("A social-work station belongs to a township.")})
    if Station.objects.filter(area=area).exists():
        raise ValidationError({"area": _("This township has a station already.")})
    not_future(opened_on, "opened_on", required=False)
    if stars not in (None, "", *range(1, 6)):
        raise ValidationError({"stars": _("A star rating is 1 to 5.")})
    station = _save(
        Station(
            area=area,
            name=clean_text(name, "name", required=True, max_length=200),
            opened_on=opened_on,
            stars=stars or None,
        ),
        actor,
    )
    station.villages.set(_served(area, villages))
    return station  # type: ignore[no-any-return]


@transaction.atomic
def station_update(
    *,
    actor: Any,
    station: Station,
    stars: int | None = None,
    villages: Iterable[Area] | None = None,
) -> Station:
    policy.require(actor, "station.manage", station)
    if stars not in (None, "", *range(1, 6)):
        raise ValidationError({"stars": _("A star rating is 1 to 5.")})
    station.stars = stars or None
    _save(station, actor)
    if villages is not None:
        station.villages.set(_served(station.area, villages))
    return station


@transaction.atomic
def station_staff_add(
    *, actor: Any, station: Station, name: str, qualification: str, joined_on: datetime.date
) -> StationStaff:
    policy.require(actor, "station.manage", station)
    if qualification not in StationStaff.Qualification.values:
        raise ValidationError({"qualification": _("Choose the qualification.")})
    not_future(joined_on, "joined_on", required=False)
    return _save(  # type: ignore[no-any-return]
        StationStaff(
            station=station,
            name=clean_text(name, "name", required=True, max_length=50),
            qualification=qualification,
            joined_on=joined_on,
        ),
        actor,
    )


# ---- volunteers, the welfare lottery


@transaction.atomic
def volunteer_register(
    *, actor: Any, area: Area, name: str, registered_on: datetime.date, team: str = ""
) -> Volunteer:
    policy.require_area_choice(actor, "volunteer.manage", area)
    not_future(registered_on, "registered_on", required=False)
    return _save(  # type: ignore[no-any-return]
        Volunteer(
            area=area,
            name=clean_text(name, "name", required=True, max_length=50),
            team=clean_text(team, "team", max_length=200),
            registered_on=registered_on,
        ),
        actor,
    )


@transaction.atomic
def volunteer_service_record(
    *, actor: Any, volunteer: Volunteer, served_on: datetime.date, hours: Any, activity: str
) -> VolunteerService:
    policy.require(actor, "volunteer.manage", volunteer)
    not_future(served_on, "served_on", required=False)
    if served_on < volunteer.registered_on:
        raise ValidationError({"served_on": _("The service cannot be before the registration.")})
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Give the hours as a number.")}) from None
    if not Decimal(0) < value <= Decimal(24):
        raise ValidationError({"hours": _("Hours of one day are more than 0 and at most 24.")})
    return _save(  # type: ignore[no-any-return]
        VolunteerService(
            volunteer=volunteer,
            served_on=served_on,
            hours=value,
            activity=clean_text(activity, "activity", required=True, max_length=200),
        ),
        actor,
    )


@transaction.atomic
def lottery_sales_record(
    *, actor: Any, area: Area, month: datetime.date, channel: str, amount: Any
) -> LotterySales:
    policy.require_area_choice(actor, "lottery.manage", area)
    if channel not in LotterySales.Channel.values:
        raise ValidationError({"channel": _("Choose the channel.")})
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("This month has not come yet.")})
    if LotterySales.objects.filter(area=area, month=month, channel=channel).exists():
        raise ValidationError({"month": _("Sales of this channel and month are recorded already.")})
    return _save(  # type: ignore[no-any-return]
        LotterySales(area=area, month=month, channel=channel, amount=clean_money(amount, "amount")),
        actor,
    )


@transaction.atomic
def fund_use_record(
    *,
    actor: Any,
    area: Area,
    project: str,
    amount: Any,
    spent_on: datetime.date,
    beneficiaries: int = 0,
) -> FundUse:
    policy.require_area_choice(actor, "lottery.manage", area)
    not_future(spent_on, "spent_on", required=False)
    value = clean_money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": _("An amount spent is more than zero.")})
    return _save(  # type: ignore[no-any-return]
        FundUse(
            area=area,
            year=spent_on.year,
            project=clean_text(project, "project", required=True, max_length=200),
            amount=value,
            spent_on=spent_on,
            beneficiaries=int(beneficiaries or 0),
        ),
        actor,
    )
