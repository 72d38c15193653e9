"""Helpers the services share: saving with the acting user in the history, and finding the
person an ID number names (or registering them) within the actor's areas."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import clean_id_number, clean_text, id_facts
from civil_affairs.people.models import Person


def save(obj: models.Model, actor: Any) -> None:
    obj._history_user = actor  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()


def locked(obj: Any) -> Any:
    """The row afresh, locked until the transaction ends: a service changes this copy, so a
    refused change leaves nothing altered in the caller's object either."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def person_for(*, actor: Any, id_number: str, name: str, area: Area, action: str) -> Person:
    """The person on file with this ID number (in the actor's areas, with this name), or a new
    person registered in `area`. A new person is registered under the calling service's own
    action (an elder-care officer admitting a resident registers them), with the same checks
    as `people.services.person_create`: birth date and sex come from the number."""
    try:
        number = clean_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    name = clean_text(name, "name", required=True, max_length=50)
    person = Person.objects.filter(id_number=number).first()
    if person is not None:
        if not policy.scope(actor, Person.objects.filter(pk=person.pk)).exists():
            raise policy.outside_error("id_number")
        if person.name != name:
            raise ValidationError(
                {
                    "name": _("The person on file with this ID number is called %(name)s.")
                    % {"name": person.name}
                }
            )
        return person
    policy.require_area_choice(actor, action, area)
    facts = id_facts(number)
    person = Person(
        id_number=number, name=name, area=area, birth_date=facts.birth_date, sex=facts.sex
    )
    save(person, actor)
    return person
