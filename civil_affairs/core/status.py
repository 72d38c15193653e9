"""Status changes: one allowed-transitions table per model, one function that applies it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from . import notes
from .models import StatusChange

Transitions = dict[str, set[str]]


def transition(
    obj: models.Model,
    new_status: str,
    *,
    actor: Any,
    note: str = "",
    field: str = "status",
    note_code: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> StatusChange:
    """Move `obj` to `new_status` if its model's TRANSITIONS allow it; record the change.

    The caller holds the transaction; `obj` is saved here. A note the system writes is
    given as `note_code` (core.notes) and `note_params`, and read in the reader's language.
    """
    table: Transitions = type(obj).TRANSITIONS  # type: ignore[attr-defined]
    old_status = getattr(obj, field)
    if new_status not in table.get(old_status, set()):
        raise ValidationError(
            _("Cannot go from “%(old)s” to “%(new)s”.")
            % {"old": _label(obj, field, old_status), "new": _label(obj, field, new_status)},
            code="bad_transition",
        )
    setattr(obj, field, new_status)
    obj.save()
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        old_status=old_status,
        new_status=new_status,
        actor=actor if getattr(actor, "pk", None) else None,
        **_note(note, note_code, note_params),
    )


def _note(note: str, code: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    if not code:
        return {"note": note}
    return {
        "note": note or notes.in_default_language(code, params),
        "note_code": code,
        "note_params": dict(params or {}),
    }


def first_status(
    obj: models.Model,
    *,
    actor: Any,
    note: str = "",
    field: str = "status",
    note_code: str = "",
    note_params: Mapping[str, Any] | None = None,
) -> StatusChange:
    """Record an object's first status (from nothing), right after it is created."""
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        old_status="",
        new_status=getattr(obj, field),
        actor=actor if getattr(actor, "pk", None) else None,
        **_note(note, note_code, note_params),
    )


def history(obj: models.Model) -> models.QuerySet[StatusChange]:
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")


def _label(obj: models.Model, field: str, value: str) -> str:
    choices = dict(getattr(obj._meta.get_field(field), "flatchoices", []))
    return str(choices.get(value, value))
