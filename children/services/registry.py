"""The children's registry: children, their parents' situations and their guardians."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_id_number, clean_text, id_facts, not_future
from civil_affairs.people.models import Person

from ..models import Category, Child, Guardian, ParentSituation
from ..standards import Kind
from ._common import require_level, save, standard_int

Situation = ParentSituation.Situation
CHILD_FIELDS = ("school", "in_full_time_education", "left_school_on", "risk_level", "note")


def _person_for(actor: Any, id_number: str, name: str, area: Area) -> Person:
    """The person on file with this ID number (in the actor's areas), or a new one.

    A new child is a new person of the registry: the children's staff may register one
    (action child.register) though they do not keep relief's people (person.create)."""
    try:
        number = clean_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    name = clean_text(name, "name", required=True, max_length=50)
    person = Person.objects.filter(id_number=number).first()
    if person is None:
        facts = id_facts(number)
        person = Person(
            id_number=number,
            name=name,
            area=area,
            birth_date=facts.birth_date,
            sex=facts.sex,
        )
        save(person, actor)
        return person
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


def clean_parents(category: str, parents: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each parent's situation, checked against the category (errors under `parents`)."""
    cleaned: list[dict[str, Any]] = []
    for row in parents:
        parent = row.get("parent", "")
        situation = row.get("situation", "")
        if parent not in ParentSituation.Parent.values:
            raise ValidationError({"parents": _("Say which parent (father or mother).")})
        if situation not in Situation.values:
            raise ValidationError({"parents": _("Choose the parent's situation.")})
        cleaned.append(
            {
                "parent": parent,
                "situation": situation,
                "evidence": clean_text(row.get("evidence", ""), "parents", max_length=300),
                "since": row.get("since"),
            }
        )
    if len({p["parent"] for p in cleaned}) < len(cleaned):
        raise ValidationError({"parents": _("Each parent is given once.")})
    if category == Category.UNSUPPORTED:
        # 民发〔2019〕62号: both parents unable to raise the child, each with evidence
        by_parent = {p["parent"]: p for p in cleaned}
        for parent in ParentSituation.Parent:
            given = by_parent.get(parent.value)
            if given is None or given["situation"] not in ParentSituation.UNSUPPORTING:
                raise ValidationError(
                    {
                        "parents": _(
                            "A de-facto unsupported child's %(parent)s must be dead, missing, "
                            "severely disabled, seriously ill, in prison or compulsory "
                            "rehabilitation, or have lost guardianship."
                        )
                        % {"parent": str(parent.label).lower()}
                    }
                )
            if not given["evidence"]:
                raise ValidationError(
                    {
                        "parents": _("Give the evidence of the %(parent)s's situation.")
                        % {"parent": str(parent.label).lower()}
                    }
                )
    if category in (Category.ORPHAN_INSTITUTIONAL, Category.ORPHAN_SCATTERED):
        for row in cleaned:
            if row["situation"] not in (Situation.DEAD, Situation.MISSING):
                raise ValidationError(
                    {"parents": _("An orphan's parents are dead or declared missing.")}
                )
    return cleaned


def clean_guardians(guardians: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for row in guardians:
        cleaned.append(
            {
                "name": clean_text(row.get("name", ""), "guardians", required=True, max_length=50),
                "relationship": clean_text(
                    row.get("relationship", ""), "guardians", required=True, max_length=30
                ),
                "phone": clean_text(row.get("phone", ""), "guardians", max_length=20),
                "address": clean_text(row.get("address", ""), "guardians", max_length=200),
                "entrusted": bool(row.get("entrusted")),
            }
        )
    return cleaned


def check_age(*, category: str, birth_date: datetime.date, area: Area, on: datetime.date) -> None:
    """A child is under the age allowances end at; a left-behind child under its own age."""
    age = _age(birth_date, on)
    if on < birth_date:
        raise ValidationError({"registered_on": _("The child was not born yet on this date.")})
    end_age = standard_int(Kind.END_AGE, area=area, day=on)
    if age >= end_age:
        raise ValidationError(
            {
                "id_number": _("The child is %(age)d: the registry is for children under %(end)d.")
                % {"age": age, "end": end_age}
            }
        )
    if category == Category.LEFT_BEHIND:
        limit = standard_int(Kind.LEFT_BEHIND_AGE, area=area, day=on)
        if age >= limit:
            raise ValidationError(
                {"category": _("A left-behind child is under %(n)d.") % {"n": limit}}
            )


def _age(birth_date: datetime.date, on: datetime.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@transaction.atomic
def child_register(
    *,
    actor: Any,
    id_number: str,
    name: str,
    area: Area,
    category: str,
    registered_on: datetime.date,
    school: str = "",
    in_full_time_education: bool = False,
    risk_level: str = "low",
    note: str = "",
    parents: Sequence[dict[str, Any]] = (),
    guardians: Sequence[dict[str, Any]] = (),
) -> Child:
    """Put a child on the registry, with each parent's situation and the guardians."""
    policy.require_area_choice(actor, "child.register", area)
    require_level(area, Area.Level.VILLAGE)
    if category not in Category.values:
        raise ValidationError({"category": _("Choose the category.")})
    not_future(registered_on, "registered_on")
    person = _person_for(actor, id_number, name, area)
    if Child.objects.filter(person=person).exists():
        raise ValidationError({"id_number": _("This child is already on the registry.")})
    check_age(category=category, birth_date=person.birth_date, area=area, on=registered_on)
    parent_rows = clean_parents(category, parents)
    guardian_rows = clean_guardians(guardians)
    child = Child(
        person=person,
        area=area,
        category=category,
        registered_on=registered_on,
        school=clean_text(school, "school", max_length=100),
        in_full_time_education=bool(in_full_time_education),
        risk_level=risk_level or "low",
        note=clean_text(note, "note", max_length=2000),
    )
    save(child, actor)
    first_status(child, actor=actor)
    for row in parent_rows:
        save(ParentSituation(child=child, **row), actor)
    for row in guardian_rows:
        save(Guardian(child=child, **row), actor)
    return child


@transaction.atomic
def child_update(*, actor: Any, child: Child, **changes: Any) -> Child:
    """School, full-time education, leaving school, risk level, note. The category changes
    through its own events (a parent's situation ending), never by editing."""
    unknown = set(changes) - set(CHILD_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    policy.require(actor, "child.register", child)
    if "school" in changes:
        changes["school"] = clean_text(changes["school"], "school", max_length=100)
    if "note" in changes:
        changes["note"] = clean_text(changes["note"], "note", max_length=2000)
    if changes.get("left_school_on") is not None:
        not_future(changes["left_school_on"], "left_school_on")
    in_school = changes.get("in_full_time_education", child.in_full_time_education)
    if in_school:
        changes["left_school_on"] = None
    elif child.in_full_time_education and changes.get("left_school_on") is None:
        raise ValidationError({"left_school_on": _("Give the date the child left school.")})
    for field, value in changes.items():
        setattr(child, field, value)
    save(child, actor)
    return child


@transaction.atomic
def guardian_add(
    *,
    actor: Any,
    child: Child,
    name: str,
    relationship: str,
    phone: str = "",
    address: str = "",
    entrusted: bool = False,
) -> Guardian:
    policy.require(actor, "child.register", child)
    row = clean_guardians(
        [
            {
                "name": name,
                "relationship": relationship,
                "phone": phone,
                "address": address,
                "entrusted": entrusted,
            }
        ]
    )[0]
    guardian = Guardian(child=child, **row)
    save(guardian, actor)
    return guardian


@transaction.atomic
def parent_situation_end(
    *, actor: Any, situation: ParentSituation, ended_on: datetime.date, note: str = ""
) -> ParentSituation:
    """A parent's situation ends (released from prison, recovered, found): a de-facto
    unsupported child whose parent may now raise them leaves that category from the next
    month, and their allowance is paid through the month it ended."""
    from .allowances import allowance_stop_for_category

    child = situation.child
    policy.require(actor, "child.register", child)
    not_future(ended_on, "ended_on")
    if situation.ended_on is not None:
        raise ValidationError({"ended_on": _("This situation has already ended.")})
    if situation.since and ended_on < situation.since:
        raise ValidationError({"ended_on": _("It cannot end before it began.")})
    situation.ended_on = ended_on
    save(situation, actor)
    if (
        child.category == Category.UNSUPPORTED
        and situation.situation in ParentSituation.UNSUPPORTING
    ):
        reason = _("%(parent)s no longer %(situation)s (%(day)s)") % {
            "parent": situation.get_parent_display(),
            "situation": situation.get_situation_display(),
            "day": ended_on.isoformat(),
        }
        if note:
            reason = f"{reason}: {clean_text(note, 'note', max_length=200)}"
        child.category = Category.DIFFICULTY
        save(child, actor)
        allowance_stop_for_category(
            actor=actor,
            child=child,
            effective_month=add_months(first_of_month(ended_on), 1),
            reason=reason,
        )
    return situation


@transaction.atomic
def child_close(*, actor: Any, child: Child, reason: str) -> Child:
    policy.require(actor, "child.register", child)
    reason = clean_text(reason, "reason", required=True, max_length=300)
    child._history_user = actor  # type: ignore[attr-defined]
    transition(child, Child.Status.CLOSED, actor=actor, note=reason)
    return child
