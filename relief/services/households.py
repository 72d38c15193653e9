"""Households and their members: intake and changes. The forms, the admin, the import and the
API all call these functions.

Members are given as plain dicts (the fields of MEMBER_FIELDS, values as typed or as read
from a file); `clean_member` turns one into typed values or a ValidationError naming the
field, so that the import reports exactly the same problems as the intake form.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.money import ZERO, to_yuan
from civil_affairs.core.validators import (
    clean_id_number,
    clean_text,
    compact_account,
    parse_disability_certificate,
    validate_bank_account,
    validate_no_formula,
)
from civil_affairs.people.models import Person
from civil_affairs.people.services import person_create, person_update

from ..models import (
    Entitlement,
    Household,
    HouseholdMember,
    IncomeEntry,
    IncomeKind,
    Program,
    SelfCareAssessment,
    Supporter,
)

Member = HouseholdMember
MONEY_FIELDS = (*Member.INCOME_FIELDS, "deposits", "securities", "insurance")
COUNT_FIELDS = ("vehicles", "vehicles_exempt", "real_estate")
FLAG_FIELDS = ("in_full_time_school", "unable_to_work_by_illness")
MEMBER_FIELDS = (
    "id_number",
    "name",
    "relationship",
    "work_capacity",
    "disability_certificate",
    "health",
    *MONEY_FIELDS,
    *COUNT_FIELDS,
    "home_floor_area",
    *FLAG_FIELDS,
    "illness_note",
)
EDITABLE_HOUSEHOLD_FIELDS = ("address", "registered_type", "category", "caseworker")


def _choice(value: Any, choices: type[Any], field: str, default: str | None = None) -> str:
    """A choice given by its code or by its label, in Chinese or English."""
    text = str(value or "").strip()
    if not text:
        if default is not None:
            return default
        raise ValidationError({field: _("This field is required.")})
    codes = {c.lower(): c for c in choices.values}
    if text.lower() in codes:
        return codes[text.lower()]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels = {str(label).lower(): code for code, label in choices.choices}
        if text.lower() in labels:
            return labels[text.lower()]
    raise ValidationError(
        {
            field: _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(str(label) for label in choices.labels)}
        }
    )


def _formula(value: Any, field: str) -> None:
    if isinstance(value, str) and value.strip()[:1] in ("=", "@"):
        raise ValidationError(
            {field: _("A cell may not hold a formula (it starts with “%(c)s”).") % {"c": value[0]}}
        )


def _amount(value: Any, field: str) -> Decimal:
    _formula(value, field)
    if value is None or str(value).strip() == "":
        return ZERO
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError({field: _("“%(v)s” is not an amount.") % {"v": value}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("“%(v)s” is not an amount.") % {"v": value}})
    if amount < 0:
        raise ValidationError({field: _("An income or asset cannot be negative.")})
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: _("Amounts have at most two decimal places.")})
    if amount >= Decimal("1e12"):
        raise ValidationError({field: _("This amount is too large.")})
    return to_yuan(amount)


def _count(value: Any, field: str) -> int:
    _formula(value, field)
    if value is None or str(value).strip() == "":
        return 0
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: _("“%(v)s” is not a whole number.") % {"v": value}}) from None
    if number != number.to_integral_value() or number < 0 or number > 100:
        raise ValidationError({field: _("Give a whole number from 0 to 100.")})
    return int(number)


def _flag(value: Any, field: str) -> bool:
    """Yes or no, as typed (是/否, yes/no, 1/0, a ticked box) or empty (no)."""
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("", "0", "no", "n", "false", "off", "否"):
        return False
    if text in ("1", "yes", "y", "true", "on", "是"):
        return True
    raise ValidationError({field: _("Answer yes or no (是/否).")})


def clean_member(data: Mapping[str, Any]) -> dict[str, Any]:
    """Typed member values from what was typed or read, or a ValidationError per field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def run(field: str, fn: Any) -> None:
        try:
            out[field] = fn()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
            else:
                errors.setdefault(field, []).extend(exc.messages)

    def text(field: str, max_length: int, required: bool = False) -> str:
        return clean_text(data.get(field), field, required=required, max_length=max_length)

    run("id_number", lambda: _id_number(data.get("id_number")))
    run("name", lambda: text("name", 50, required=True))
    run(
        "relationship",
        lambda: _choice(data.get("relationship"), Member.Relationship, "relationship"),
    )
    run(
        "work_capacity",
        lambda: _choice(
            data.get("work_capacity"),
            Member.WorkCapacity,
            "work_capacity",
            Member.WorkCapacity.FULL,
        ),
    )
    run(
        "health",
        lambda: _choice(data.get("health"), Member.Health, "health", Member.Health.HEALTHY),
    )
    for field in MONEY_FIELDS:
        run(field, lambda field=field: _amount(data.get(field), field))
    for field in COUNT_FIELDS:
        run(field, lambda field=field: _count(data.get(field), field))
    run("home_floor_area", lambda: _amount(data.get("home_floor_area"), "home_floor_area"))
    for field in FLAG_FIELDS:
        run(field, lambda field=field: _flag(data.get(field), field))
    run("illness_note", lambda: text("illness_note", 300))
    # the person's account for benefits (on Person, not the member row); empty keeps the
    # one on file
    run("bank_name", lambda: text("bank_name", 100))
    run("bank_account", lambda: _account(data.get("bank_account")))
    if out.get("vehicles_exempt", 0) > out.get("vehicles", 0):
        errors.setdefault("vehicles_exempt", []).append(
            _("More exempt vehicles than vehicles owned.")
        )
    if out.get("unable_to_work_by_illness") and not out.get("illness_note"):
        errors.setdefault("illness_note", []).append(
            _("Say which illness leaves the member unable to work, and the evidence.")
        )
    run("disability_certificate", lambda: text("disability_certificate", 20))
    certificate = out.get("disability_certificate")
    if certificate:
        try:
            parsed = parse_disability_certificate(certificate)
        except ValidationError as exc:
            errors.setdefault("disability_certificate", []).extend(exc.messages)
        else:
            if out.get("id_number") and parsed.id_number != out["id_number"]:
                errors.setdefault("disability_certificate", []).append(
                    _("The certificate number does not start with this member's ID number.")
                )
            out["disability_certificate"] = certificate.upper()
            out["disability_type"] = parsed.disability_type
            out["disability_grade"] = parsed.grade
    else:
        out["disability_type"] = ""
        out["disability_grade"] = None
    if errors:
        raise ValidationError(errors)
    return out


def _account(value: Any) -> str:
    _formula(value, "bank_account")
    account = compact_account(str(value or ""))
    if account:
        try:
            validate_bank_account(account)
        except ValidationError as exc:
            raise ValidationError({"bank_account": exc.messages}) from None
    return account


PERSON_FIELDS = ("id_number", "name", "bank_name", "bank_account")


def _set_account(actor: Any, person: Person, member: dict[str, Any]) -> None:
    """Give the person the bank and account typed for the member (a typed account replaces
    the one on file; none typed keeps it)."""
    changes = {
        field: member[field]
        for field in ("bank_name", "bank_account")
        if member.get(field) and member[field] != getattr(person, field)
    }
    if changes:
        person_update(actor=actor, person=person, **changes)


def _id_number(value: Any) -> str:
    _formula(value, "id_number")
    try:
        return clean_id_number(str(value or ""))
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None


def check_household_fields(*, area: Area, registered_type: str, category: str) -> tuple[str, str]:
    if area.level != Area.Level.VILLAGE:
        raise ValidationError({"area": _("A household lives in a village or community.")})
    return (
        _choice(registered_type, Household.RegisteredType, "registered_type"),
        _choice(category, Household.Category, "category", Household.Category.A),
    )


def check_composition(members: list[dict[str, Any]]) -> None:
    """One head, nobody twice."""
    heads = [m for m in members if m["relationship"] == Member.Relationship.HEAD]
    if not members:
        raise ValidationError({"members": _("A household has at least one member.")})
    if len(heads) != 1:
        raise ValidationError(
            {
                "members": _("A household has exactly one head; this one has %(n)d.")
                % {"n": len(heads)}
            }
        )
    seen: set[str] = set()
    for member in members:
        if member["id_number"] in seen:
            raise ValidationError(
                {"members": _("%(id)s is listed twice.") % {"id": member["id_number"]}}
            )
        seen.add(member["id_number"])


def _member_errors(index: int, name: str, exc: ValidationError) -> ValidationError:
    """Prefix each message with the member's row so the form can say which one is wrong."""
    messages = []
    for field, msgs in (
        exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    ):
        label = (
            str(getattr(Member._meta.get_field(field), "verbose_name", field))
            if field in _model_fields()
            else field
        )
        for msg in msgs:
            prefix = _("Member %(n)d (%(name)s)") % {"n": index, "name": name or "?"}
            messages.append(f"{prefix}, {label}: {msg}" if label else f"{prefix}: {msg}")
    return ValidationError({"members": messages})


def _model_fields() -> set[str]:
    return {f.name for f in Member._meta.get_fields()}


def _person_for(actor: Any, member: dict[str, Any], area: Area) -> Person:
    """The person on file with this ID number, or a new one in the household's area."""
    person = Person.objects.filter(id_number=member["id_number"]).first()
    if person is None:
        return person_create(
            actor=actor, id_number=member["id_number"], name=member["name"], area=area
        )
    if not policy.scope(actor, Person.objects.filter(pk=person.pk)).exists():
        raise policy.outside_error("id_number")
    if person.name != member["name"]:
        raise ValidationError(
            {
                "name": _("The person on file with this ID number is called %(name)s.")
                % {"name": person.name}
            }
        )
    return person


def _member_values(member: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in member.items() if k not in PERSON_FIELDS}


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


@transaction.atomic
def household_create(
    *,
    actor: Any,
    area: Area,
    registered_type: str,
    category: str = Household.Category.A,
    address: str = "",
    members: Iterable[Mapping[str, Any]],
    caseworker: Any = None,
) -> Household:
    """A household with its members, in one go: all of it or nothing."""
    policy.require_area_choice(actor, "household.create", area)
    registered_type, category = check_household_fields(
        area=area, registered_type=registered_type, category=category
    )
    validate_no_formula(address)
    cleaned = []
    for index, data in enumerate(members, 1):
        try:
            cleaned.append(clean_member(data))
        except ValidationError as exc:
            raise _member_errors(index, str(data.get("name") or ""), exc) from None
    check_composition(cleaned)
    household = Household(
        area=area,
        address=address.strip(),
        registered_type=registered_type,
        category=category,
        caseworker=caseworker if caseworker is not None else _caseworker(actor),
    )
    _save(household, actor)
    for index, member in enumerate(cleaned, 1):
        try:
            _add_member(actor, household, member)
        except ValidationError as exc:
            raise _member_errors(index, member["name"], exc) from None
    return household


def _caseworker(actor: Any) -> Any:
    return actor if policy.CASEWORKER in policy.roles(actor) else None


def _add_member(actor: Any, household: Household, member: dict[str, Any]) -> HouseholdMember:
    person = _person_for(actor, member, household.area)
    _set_account(actor, person, member)
    other = Member.objects.filter(person=person).exclude(household=household).first()
    if other is not None:
        raise ValidationError(
            {"id_number": _("This person is already a member of another household on file.")}
        )
    row = Member(household=household, person=person, **_member_values(member))
    _save(row, actor)
    return row


@transaction.atomic
def household_update(*, actor: Any, household: Household, **changes: Any) -> Household:
    """Change address, registered type, review category or responsible caseworker."""
    unknown = set(changes) - set(EDITABLE_HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    policy.require(actor, "household.update", household)
    if "registered_type" in changes:
        changes["registered_type"] = _choice(
            changes["registered_type"], Household.RegisteredType, "registered_type"
        )
    if "category" in changes:
        changes["category"] = _choice(changes["category"], Household.Category, "category")
    for field, value in changes.items():
        setattr(household, field, value)
    _save(household, actor)
    return household


@transaction.atomic
def household_set_members(
    *, actor: Any, household: Household, members: Iterable[Mapping[str, Any]]
) -> Household:
    """Make the member list what is given: members are matched by ID number, updated, added;
    those not listed leave the household (unless an open entitlement is paid to them)."""
    policy.require(actor, "household.update", household)
    cleaned = []
    for index, data in enumerate(members, 1):
        try:
            cleaned.append(clean_member(data))
        except ValidationError as exc:
            raise _member_errors(index, str(data.get("name") or ""), exc) from None
    check_composition(cleaned)
    wanted = {m["id_number"] for m in cleaned}
    current = {m.person.id_number: m for m in household.members.select_related("person")}
    for number, row in current.items():
        if number in wanted:
            continue
        if Entitlement.objects.filter(person=row.person, household=household).exclude(
            status=Entitlement.Status.STOPPED
        ):
            raise ValidationError(
                {
                    "members": _(
                        "%(name)s receives the household's dibao: stop it before they leave."
                    )
                    % {"name": row.person.name}
                }
            )
        row._history_user = actor  # type: ignore[attr-defined]
        row.delete()
    for index, member in enumerate(cleaned, 1):
        existing = current.get(member["id_number"])
        try:
            if existing is None:
                _add_member(actor, household, member)
            else:
                for field, value in _member_values(member).items():
                    setattr(existing, field, value)
                _save(existing, actor)
                _set_account(actor, existing.person, member)
        except ValidationError as exc:
            raise _member_errors(index, member["name"], exc) from None
    household.save(update_fields=["updated_at"])
    return household


# ---- the means test's records: income entries, supporters, self-care assessments


def _month(value: Any, field: str) -> Any:
    if not isinstance(value, datetime.date) or value.day != 1:
        raise ValidationError({field: _("A month is given as its first day (YYYY-MM-01).")})
    return value


@transaction.atomic
def income_entry_add(
    *,
    actor: Any,
    member: HouseholdMember,
    kind: str,
    first_month: Any,
    last_month: Any,
    monthly_amount: Any,
    note: str = "",
) -> IncomeEntry:
    """A member's income of one kind, each month from a month to a month (the reference
    period's monthly figures)."""
    policy.require(actor, "household.update", member)
    errors: dict[str, Any] = {}
    entry = IncomeEntry(member=member)
    for field, fn in [
        ("kind", lambda: _choice(kind, IncomeKind, "kind")),
        ("first_month", lambda: _month(first_month, "first_month")),
        ("last_month", lambda: _month(last_month, "last_month")),
        ("monthly_amount", lambda: _amount(monthly_amount, "monthly_amount")),
        ("note", lambda: clean_text(note, "note", max_length=200)),
    ]:
        try:
            setattr(entry, field, fn())
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not errors and entry.last_month < entry.first_month:
        errors["last_month"] = [_("The last month cannot be before the first.")]
    if errors:
        raise ValidationError(errors)
    _save(entry, actor)
    return entry


@transaction.atomic
def supporter_add(
    *,
    actor: Any,
    member: HouseholdMember,
    name: str,
    relationship: str,
    situation: str,
    id_number: str = "",
    evidence: str = "",
    maintenance_owed: Any = None,
) -> Supporter:
    """Someone legally bound to support the member, their situation and what they owe."""
    policy.require(actor, "household.update", member)
    errors: dict[str, Any] = {}
    supporter = Supporter(member=member)
    for field, fn in [
        ("name", lambda: clean_text(name, "name", required=True, max_length=50)),
        ("relationship", lambda: _choice(relationship, Supporter.Relationship, "relationship")),
        ("situation", lambda: _choice(situation, Supporter.Situation, "situation")),
        ("id_number", lambda: _id_number(id_number) if id_number else ""),
        ("evidence", lambda: clean_text(evidence, "evidence", max_length=300)),
        ("maintenance_owed", lambda: _amount(maintenance_owed, "maintenance_owed")),
    ]:
        try:
            setattr(supporter, field, fn())
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if supporter.situation != Supporter.Situation.ABLE and not supporter.evidence:
        raise ValidationError(
            {"evidence": _("Say what shows the supporter cannot support (the evidence).")}
        )
    _save(supporter, actor)
    return supporter


@transaction.atomic
def self_care_assess(
    *, actor: Any, member: HouseholdMember, assessed_on: Any, **activities: Any
) -> SelfCareAssessment:
    """The six-activity self-care assessment: each activity done unaided or not. Its level
    sets extreme-poverty support's care amount from the next review or approval."""
    policy.require(actor, "household.update", member)
    missing = [a for a in SelfCareAssessment.ACTIVITIES if a not in activities]
    unknown = set(activities) - set(SelfCareAssessment.ACTIVITIES)
    if missing or unknown:
        raise ValidationError(
            {a: _("Say whether this is done unaided.") for a in [*missing, *sorted(unknown)]}
        )
    if not isinstance(assessed_on, datetime.date):
        raise ValidationError({"assessed_on": _("Give the date of the assessment.")})
    assessment = SelfCareAssessment(
        member=member,
        assessed_on=assessed_on,
        assessed_by=actor,
        **{a: bool(activities[a]) for a in SelfCareAssessment.ACTIVITIES},
    )
    _save(assessment, actor)
    _care_follows(actor, member, assessment)
    return assessment


def _care_follows(actor: Any, member: HouseholdMember, assessment: SelfCareAssessment) -> None:
    """An extreme-poverty entitlement's care amount follows a new level from the month after
    the assessment (what is owed for that month on is recomputed with it)."""
    from civil_affairs.core.months import add_months, first_of_month

    from . import entitlements as ent

    open_support = Entitlement.objects.filter(
        person_id=member.person_id, program=Program.EXTREME_POVERTY
    ).exclude(status=Entitlement.Status.STOPPED)
    month = add_months(first_of_month(assessment.assessed_on), 1)
    for entitlement in open_support:
        effective = max(month, entitlement.start_month)
        basis = ent.basis_in(entitlement, effective) or dict(entitlement.basis)
        if basis.get("self_care") == assessment.level:
            continue
        if entitlement.end_month is not None and effective > entitlement.end_month:
            continue
        policy.require(actor, "entitlement.manage", entitlement)
        ent.apply_amount_change(
            actor=actor,
            entitlement=entitlement,
            effective_month=effective,
            monthly_amount=entitlement.monthly_amount,
            reason=_("Self-care assessed as %(level)s on %(day)s")
            % {"level": assessment.level_label, "day": assessment.assessed_on},
            basis={**basis, "self_care": assessment.level},
        )


@transaction.atomic
def member_record_delete(*, actor: Any, member: HouseholdMember, ref: str) -> None:
    """Delete one of a member's income entries or supporters, named "income-<id>" or
    "supporter-<id>" (assessments are kept: each is a dated record)."""
    kind, _sep, pk = ref.partition("-")
    records: dict[str, Any] = {"income": member.incomes, "supporter": member.supporters}
    record = records[kind].filter(pk=pk).first() if kind in records and pk.isdigit() else None
    if record is None:
        raise ValidationError(_("Nothing to delete."))
    policy.require(actor, "household.update", record)
    record._history_user = actor  # type: ignore[attr-defined]
    record.delete()
