"""Reads on people, always through the access policy."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from civil_affairs.areas import policy
from civil_affairs.core.search import PatternOrderBy, starts_with
from civil_affairs.core.validators import clean_id_number

from .models import Person


def person_search(*, user: Any, query: str = "") -> QuerySet[Person]:
    """A full ID number matches exactly; anything else is a name prefix."""
    people = policy.scope(user, Person.objects.select_related("area"))
    query = query.strip()
    if not query:
        return people.order_by("area__code", "name")
    try:
        return people.filter(id_number=clean_id_number(query))
    except ValidationError:  # not an ID number: search names
        return people.filter(starts_with("name", query)).order_by(PatternOrderBy(F("name")), "id")


def person_by_id_number(*, user: Any, id_number: str) -> Person | None:
    """The person with this ID number (as typed: spaces and a small x allowed) in the user's
    areas, or None."""
    number = "".join(id_number.split()).upper()
    return policy.scope(user, Person.objects.all()).filter(id_number=number).first()


def person_get(*, user: Any, pk: int) -> Person:
    return get_object_or_404(policy.scope(user, Person.objects.select_related("area")), pk=pk)
