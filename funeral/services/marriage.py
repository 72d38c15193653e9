"""Marriage registration (民法典 1046–1049, 1076–1078): marriages, refusals with their reasons,
divorce by agreement with its two windows, replacement certificates, marriage agencies.

The least ages and the two windows are standards (funeral/standards.py). An age is reached on
the birthday; a 29 February birthday is reached on 28 February in a common year (民法典 201:
a period with no corresponding day ends on the month's last day)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import notes
from civil_affairs.core.months import first_of_month
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_credit_code, clean_text, id_facts, not_future
from civil_affairs.standards import selectors as standards

from .. import standards as kinds
from ..models import (
    AgencyInspection,
    CertificateReplacement,
    DivorceApplication,
    Kinship,
    Marriage,
    MarriageAgency,
    MarriageRefusal,
)
from .common import clean_id, saved

NOTE_LAPSED = notes.register(
    "funeral.divorce_lapsed", gettext_lazy("Certificate not applied for by %(day)s.")
)


class MarriageRefusedError(ValidationError):
    """The law bars this marriage: `reasons` are the refusal notice's lines (also given per
    field, like any ValidationError)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors, code="refused")
        self.reasons = [message for messages in errors.values() for message in messages]


def anniversary(born: datetime.date, year: int) -> datetime.date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February in a common year
        return datetime.date(year, 2, 28)


def age_on(born: datetime.date, day: datetime.date) -> tuple[int, int]:
    """(whole years, days since the last birthday) on `day`."""
    years = day.year - born.year
    last = anniversary(born, day.year)
    if day < last:
        years -= 1
        last = anniversary(born, day.year - 1)
    return years, (day - last).days


def _party_names(a_name: str, b_name: str) -> dict[str, str]:
    return {"party_a_id_number": a_name, "party_b_id_number": b_name}


def _clean_parties(
    party_a_id_number: str, party_a_name: str, party_b_id_number: str, party_b_name: str
) -> tuple[str, str, str, str]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for field, value in (
        ("party_a_id_number", party_a_id_number),
        ("party_b_id_number", party_b_id_number),
    ):
        try:
            cleaned[field] = clean_id(value, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for field, value in (("party_a_name", party_a_name), ("party_b_name", party_b_name)):
        try:
            cleaned[field] = clean_text(value, field, required=True, max_length=100)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return (
        cleaned["party_a_id_number"],
        cleaned["party_a_name"],
        cleaned["party_b_id_number"],
        cleaned["party_b_name"],
    )


def marriage_refusal_reasons(
    *,
    area: Area,
    registered_on: datetime.date,
    party_a_id_number: str,
    party_a_name: str,
    party_b_id_number: str,
    party_b_name: str,
    both_present: bool = True,
) -> dict[str, list[str]]:
    """Why the law bars this marriage, per field (empty: it does not). The ID numbers are
    clean already."""
    reasons: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        reasons.setdefault(field, []).append(message)

    a, b = party_a_id_number, party_b_id_number
    names = _party_names(party_a_name, party_b_name)
    if not both_present:
        add("both_present", _("Both parties must come to the registry in person."))
    if a == b:
        add("party_b_id_number", _("The two parties are the same person."))
        return reasons
    facts = {a: id_facts(a), b: id_facts(b)}
    if facts[a].sex == facts[b].sex:
        add("party_b_id_number", _("A marriage is registered between a man and a woman."))
    month = first_of_month(registered_on)
    for field, number in (("party_a_id_number", a), ("party_b_id_number", b)):
        sex = facts[number].sex
        variant = kinds.MALE if sex == "M" else kinds.FEMALE
        least = int(
            standards.get(kinds.MARRIAGE_AGE, area=area, month=month, variant=variant).value
        )
        years, days = age_on(facts[number].birth_date, registered_on)
        if years < least:
            add(
                field,
                (
                    _(
                        "%(name)s (a man) is %(years)d years and %(days)d days old on "
                        "%(day)s: a man may marry from the age of %(least)d."
                    )
                    if sex == "M"
                    else _(
                        "%(name)s (a woman) is %(years)d years and %(days)d days old on "
                        "%(day)s: a woman may marry from the age of %(least)d."
                    )
                )
                % {
                    "name": names[field],
                    "years": years,
                    "days": days,
                    "day": f"{registered_on:%Y-%m-%d}",
                    "least": least,
                },
            )
        married = (
            Marriage.objects.filter(status=Marriage.Status.MARRIED)
            .filter(Q(party_a_id_number=number) | Q(party_b_id_number=number))
            .first()
        )
        if married is not None:
            add(
                field,
                _("%(name)s is already married (registered on %(day)s).")
                % {"name": names[field], "day": f"{married.registered_on:%Y-%m-%d}"},
            )
    kin = Kinship.objects.filter(
        Q(id_number_a=a, id_number_b=b) | Q(id_number_a=b, id_number_b=a)
    ).first()
    if kin is not None:
        add(
            "party_b_id_number",
            _("The parties are recorded as %(relation)s: the law forbids their marriage.")
            % {"relation": kin.get_degree_display().lower()},
        )
    return reasons


@transaction.atomic
def marriage_register(
    *,
    actor: Any,
    area: Area,
    registered_on: datetime.date,
    party_a_id_number: str,
    party_a_name: str,
    party_b_id_number: str,
    party_b_name: str,
    certificate_no: str,
    both_present: bool = True,
) -> Marriage:
    """Register a marriage, or raise MarriageRefusedError with the reasons the law bars it."""
    policy.require_area_choice(actor, "marriage.register", area)
    not_future(registered_on, "registered_on")
    a, a_name, b, b_name = _clean_parties(
        party_a_id_number, party_a_name, party_b_id_number, party_b_name
    )
    certificate_no = clean_text(certificate_no, "certificate_no", required=True, max_length=40)
    if Marriage.objects.filter(certificate_no=certificate_no).exists():
        raise ValidationError({"certificate_no": _("This certificate number is already used.")})
    # the parties' rows are locked so that two counters cannot marry one person twice
    list(
        Marriage.objects.select_for_update().filter(
            Q(party_a_id_number__in=[a, b]) | Q(party_b_id_number__in=[a, b])
        )
    )
    reasons = marriage_refusal_reasons(
        area=area,
        registered_on=registered_on,
        party_a_id_number=a,
        party_a_name=a_name,
        party_b_id_number=b,
        party_b_name=b_name,
        both_present=both_present,
    )
    if reasons:
        raise MarriageRefusedError(reasons)
    marriage = Marriage(
        area=area,
        registered_on=registered_on,
        certificate_no=certificate_no,
        party_a_id_number=a,
        party_a_name=a_name,
        party_b_id_number=b,
        party_b_name=b_name,
        registrar=actor,
    )
    saved(marriage, actor)
    first_status(marriage, actor=actor)
    return marriage


@transaction.atomic
def marriage_refuse(
    *,
    actor: Any,
    area: Area,
    refused_on: datetime.date,
    party_a_id_number: str,
    party_a_name: str,
    party_b_id_number: str,
    party_b_name: str,
    both_present: bool = True,
) -> MarriageRefusal:
    """Record the refusal of a marriage the law bars, with the reasons given to the couple."""
    policy.require_area_choice(actor, "marriage.register", area)
    not_future(refused_on, "refused_on")
    a, a_name, b, b_name = _clean_parties(
        party_a_id_number, party_a_name, party_b_id_number, party_b_name
    )
    reasons = marriage_refusal_reasons(
        area=area,
        registered_on=refused_on,
        party_a_id_number=a,
        party_a_name=a_name,
        party_b_id_number=b,
        party_b_name=b_name,
        both_present=both_present,
    )
    if not reasons:
        raise ValidationError(_("The law does not bar this marriage: there is nothing to refuse."))
    return MarriageRefusal.objects.create(
        area=area,
        refused_on=refused_on,
        party_a_id_number=a,
        party_a_name=a_name,
        party_b_id_number=b,
        party_b_name=b_name,
        reasons="\n".join(m for ms in reasons.values() for m in ms),
        registrar=actor,
    )


@transaction.atomic
def kinship_record(
    *,
    actor: Any,
    area: Area,
    id_number_a: str,
    id_number_b: str,
    degree: str,
    evidence: str = "",
) -> Kinship:
    """Record two persons as relatives whose marriage the law forbids."""
    policy.require_area_choice(actor, "marriage.register", area)
    a = clean_id(id_number_a, "id_number_a")
    b = clean_id(id_number_b, "id_number_b")
    if a == b:
        raise ValidationError({"id_number_b": _("The two ID numbers are the same person.")})
    if degree not in Kinship.Degree.values:
        raise ValidationError({"degree": _("Choose the relation.")})
    first, second = sorted((a, b))
    if Kinship.objects.filter(id_number_a=first, id_number_b=second).exists():
        raise ValidationError({"id_number_b": _("These two persons are already recorded.")})
    kin = Kinship(
        area=area,
        id_number_a=first,
        id_number_b=second,
        degree=degree,
        evidence=clean_text(evidence, "evidence", max_length=300),
    )
    return saved(kin, actor)


def _days(kind: str, area: Area, day: datetime.date) -> int:
    return int(standards.get(kind, area=area, month=first_of_month(day)).value)


@transaction.atomic
def divorce_apply(
    *, actor: Any, marriage: Marriage, applied_on: datetime.date, both_present: bool = True
) -> DivorceApplication:
    """Both parties apply to divorce by agreement: the cooling-off period starts the next day;
    the certificate is applied for in the window after it."""
    policy.require(actor, "marriage.register", marriage)
    not_future(applied_on, "applied_on")
    if not both_present:
        raise ValidationError(
            {"both_present": _("Both parties must come to the registry in person.")}
        )
    marriage = Marriage.objects.select_for_update().get(pk=marriage.pk)
    if marriage.status != Marriage.Status.MARRIED:
        raise ValidationError(_("This marriage has ended."))
    if applied_on < marriage.registered_on:
        raise ValidationError({"applied_on": _("The application cannot be before the marriage.")})
    if marriage.divorces.filter(status=DivorceApplication.Status.PENDING).exists():
        raise ValidationError(_("A divorce application of this marriage is already pending."))
    cooling = _days(kinds.COOLING_OFF_DAYS, marriage.area, applied_on)
    window = _days(kinds.CERTIFICATE_DAYS, marriage.area, applied_on)
    cooling_off_ends = applied_on + datetime.timedelta(days=cooling)
    application = DivorceApplication(
        area=marriage.area,
        marriage=marriage,
        applied_on=applied_on,
        cooling_off_ends=cooling_off_ends,
        certificate_by=cooling_off_ends + datetime.timedelta(days=window),
        registrar=actor,
    )
    saved(application, actor)
    first_status(application, actor=actor)
    return application


def _pending(application: DivorceApplication) -> DivorceApplication:
    locked = DivorceApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status == DivorceApplication.Status.WITHDRAWN:
        raise ValidationError(
            _("This application was withdrawn on %(day)s by %(name)s: it cannot go on.")
            % {"day": f"{locked.closed_on:%Y-%m-%d}", "name": locked.withdrawn_by}
        )
    if locked.status == DivorceApplication.Status.DEEMED_WITHDRAWN:
        raise ValidationError(
            _(
                "The certificate was not applied for by %(day)s: the application is deemed "
                "withdrawn. The parties may apply again."
            )
            % {"day": f"{locked.certificate_by:%Y-%m-%d}"}
        )
    if locked.status != DivorceApplication.Status.PENDING:
        raise ValidationError(_("This application is closed."))
    return locked


@transaction.atomic
def divorce_withdraw(
    *, actor: Any, application: DivorceApplication, party_id_number: str, on: datetime.date
) -> DivorceApplication:
    """Either party withdraws during the cooling-off period."""
    policy.require(actor, "marriage.register", application)
    not_future(on, "on")
    application = _pending(application)
    marriage = application.marriage
    number = clean_id(party_id_number, "party_id_number")
    names = {
        marriage.party_a_id_number: marriage.party_a_name,
        marriage.party_b_id_number: marriage.party_b_name,
    }
    if number not in names:
        raise ValidationError({"party_id_number": _("Only one of the two parties may withdraw.")})
    if on < application.applied_on:
        raise ValidationError({"on": _("This date is before the application.")})
    if on > application.cooling_off_ends:
        raise ValidationError(
            {
                "on": _(
                    "The cooling-off period ended on %(day)s: an application is withdrawn only "
                    "within it (after it, not applying for the certificate withdraws it)."
                )
                % {"day": f"{application.cooling_off_ends:%Y-%m-%d}"}
            }
        )
    application.withdrawn_by = names[number]
    application.closed_on = on
    application._history_user = actor  # type: ignore[attr-defined]
    transition(application, DivorceApplication.Status.WITHDRAWN, actor=actor, note=names[number])
    return application


@transaction.atomic
def divorce_certify(
    *,
    actor: Any,
    application: DivorceApplication,
    on: datetime.date,
    certificate_no: str,
    both_present: bool = True,
) -> DivorceApplication:
    """Both parties apply for the certificate after the cooling-off, within the window: the
    divorce certificate is issued and the marriage ends."""
    policy.require(actor, "marriage.register", application)
    not_future(on, "on")
    application = _pending(application)
    if not both_present:
        raise ValidationError(
            {"both_present": _("Both parties must come to the registry in person.")}
        )
    if on <= application.cooling_off_ends:
        raise ValidationError(
            {
                "on": _(
                    "The cooling-off period lasts until %(day)s: the certificate comes after it."
                )
                % {"day": f"{application.cooling_off_ends:%Y-%m-%d}"}
            }
        )
    if on > application.certificate_by:
        raise ValidationError(
            {
                "on": _(
                    "The certificate had to be applied for by %(day)s: the application is "
                    "deemed withdrawn."
                )
                % {"day": f"{application.certificate_by:%Y-%m-%d}"}
            }
        )
    certificate_no = clean_text(certificate_no, "certificate_no", required=True, max_length=40)
    application.certificate_no = certificate_no
    application.closed_on = on
    application._history_user = actor  # type: ignore[attr-defined]
    transition(application, DivorceApplication.Status.CERTIFIED, actor=actor, note=certificate_no)
    marriage = Marriage.objects.select_for_update().get(pk=application.marriage_id)
    marriage.ended_on = on
    marriage._history_user = actor  # type: ignore[attr-defined]
    transition(marriage, Marriage.Status.DIVORCED, actor=actor, note=certificate_no)
    return application


@transaction.atomic
def divorces_expire(*, today: datetime.date | None = None) -> int:
    """The daily job: an application whose certificate was not applied for within the window
    is deemed withdrawn. Returns how many."""
    today = today or timezone.localdate()
    count = 0
    for application in DivorceApplication.objects.select_for_update(skip_locked=True).filter(
        status=DivorceApplication.Status.PENDING, certificate_by__lt=today
    ):
        application.closed_on = application.certificate_by
        transition(
            application,
            DivorceApplication.Status.DEEMED_WITHDRAWN,
            actor=None,
            note_code=NOTE_LAPSED,
            note_params={"day": f"{application.certificate_by:%Y-%m-%d}"},
        )
        count += 1
    return count


@transaction.atomic
def certificate_replace(
    *,
    actor: Any,
    marriage: Marriage,
    kind: str,
    party_id_number: str,
    issued_on: datetime.date,
    certificate_no: str,
    reason: str,
) -> CertificateReplacement:
    """A party's lost or damaged certificate issued again."""
    policy.require(actor, "marriage.register", marriage)
    not_future(issued_on, "issued_on")
    number = clean_id(party_id_number, "party_id_number")
    if number not in marriage.parties():
        raise ValidationError({"party_id_number": _("Only a party of this marriage.")})
    if kind not in CertificateReplacement.Kind.values:
        raise ValidationError({"kind": _("Choose the certificate.")})
    if kind == CertificateReplacement.Kind.DIVORCE and marriage.status != Marriage.Status.DIVORCED:
        raise ValidationError({"kind": _("This marriage has not ended in divorce.")})
    if issued_on < marriage.registered_on:
        raise ValidationError({"issued_on": _("This date is before the marriage.")})
    return CertificateReplacement.objects.create(
        area=marriage.area,
        marriage=marriage,
        kind=kind,
        party_id_number=number,
        issued_on=issued_on,
        certificate_no=clean_text(certificate_no, "certificate_no", required=True, max_length=40),
        reason=clean_text(reason, "reason", required=True, max_length=200),
        registrar=actor,
    )


@transaction.atomic
def agency_create(
    *,
    actor: Any,
    area: Area,
    name: str,
    credit_code: str,
    manager: str = "",
    phone: str = "",
    address: str = "",
) -> MarriageAgency:
    policy.require_area_choice(actor, "agency.manage", area)
    try:
        code = clean_credit_code(credit_code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from None
    if MarriageAgency.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("An agency with this credit code is on file.")})
    agency = MarriageAgency(
        area=area,
        name=clean_text(name, "name", required=True, max_length=200),
        credit_code=code,
        manager=clean_text(manager, "manager", max_length=100),
        phone=clean_text(phone, "phone", max_length=40),
        address=clean_text(address, "address", max_length=300),
    )
    return saved(agency, actor)


@transaction.atomic
def agency_inspect(
    *,
    actor: Any,
    agency: MarriageAgency,
    inspected_on: datetime.date,
    result: str,
    findings: str = "",
    rectify_by: datetime.date | None = None,
) -> AgencyInspection:
    """An inspection: to rectify names a date; ordered to close closes the agency."""
    policy.require(actor, "agency.manage", agency)
    not_future(inspected_on, "inspected_on")
    if result not in AgencyInspection.Result.values:
        raise ValidationError({"result": _("Choose the result.")})
    findings = clean_text(findings, "findings")
    if result != AgencyInspection.Result.COMPLIANT and not findings:
        raise ValidationError({"findings": _("Write down what was found.")})
    if result == AgencyInspection.Result.RECTIFY:
        if rectify_by is None or rectify_by <= inspected_on:
            raise ValidationError({"rectify_by": _("Give a date after the inspection.")})
    else:
        rectify_by = None
    if agency.status == MarriageAgency.Status.CLOSED:
        raise ValidationError(_("This agency is closed."))
    inspection = AgencyInspection(
        agency=agency,
        inspected_on=inspected_on,
        result=result,
        findings=findings,
        rectify_by=rectify_by,
        inspector=actor,
    )
    saved(inspection, actor)
    if result == AgencyInspection.Result.CLOSED:
        agency.status = MarriageAgency.Status.CLOSED
        saved(agency, actor)
    return inspection
