"""Writes on people. Each function checks the policy and validates before it writes."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import clean_id_number, compact_account, id_facts

from .models import AccessLog, Person

EDITABLE_FIELDS = ("name", "phone", "address", "area", "bank_name", "bank_account", "death_date")


@transaction.atomic
def person_create(
    *,
    actor: Any,
    id_number: str,
    name: str,
    area: Area,
    phone: str = "",
    address: str = "",
    bank_name: str = "",
    bank_account: str = "",
    death_date: datetime.date | None = None,
) -> Person:
    try:
        number = clean_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    policy.require_area_choice(actor, "person.create", area)
    on_file = Person.objects.filter(id_number=number)
    if policy.scope(actor, on_file).exists():
        raise ValidationError({"id_number": _("A person with this ID number is already on file.")})
    if on_file.exists():  # say no more about a person outside the actor's areas
        raise policy.outside_error("id_number")
    facts = id_facts(number)
    person = Person(
        id_number=number,
        name=name.strip(),
        area=area,
        phone=phone,
        address=address,
        bank_name=bank_name,
        bank_account=compact_account(bank_account),
        death_date=death_date,
        birth_date=facts.birth_date,
        sex=facts.sex,
    )
    person._history_user = actor  # type: ignore[attr-defined]
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **changes: Any) -> Person:
    """Change the editable fields; the ID number never changes (a new number is a new person)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    policy.require(actor, "person.update", person)
    if "area" in changes:
        policy.require_area_choice(actor, "person.update", changes["area"])
    if "bank_account" in changes:
        changes["bank_account"] = compact_account(changes["bank_account"])
    for field, value in changes.items():
        setattr(person, field, value)
    person._history_user = actor  # type: ignore[attr-defined]
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_reveal_id(*, actor: Any, person: Person) -> str:
    """The whole ID number, for those whose role allows it; every reveal is logged."""
    policy.require(actor, "person.view_full_id", person)
    AccessLog.objects.create(user=actor, person=person, action=AccessLog.Action.VIEW_ID)
    return person.id_number


def export_logged(*, actor: Any, what: str, rows: int) -> None:
    """Record an export: who exported what list, how many rows."""
    AccessLog.objects.create(
        user=actor, action=AccessLog.Action.EXPORT, detail=f"{what} ({rows} rows)"[:300]
    )
