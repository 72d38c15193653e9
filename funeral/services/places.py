"""Place names (地名管理条例 2022): the standard-name registry, naming and renaming, correction
tasks, village/community entries added or changed, boundaries with markers and joint
inspections."""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.status import first_status, transition
from civil_affairs.core.validators import clean_text, not_future

from ..models import (
    Boundary,
    BoundaryInspection,
    BoundaryMarker,
    CorrectionTask,
    EntryChange,
    NamingDecision,
    PlaceName,
)
from .common import coordinate, saved, whole

# Hanyu Pinyin as the registry writes it: Latin letters (tone marks allowed), spaces,
# apostrophes and hyphens between syllables.
_PINYIN = re.compile(r"^[a-z]+(?:[ '\-][a-z]+)*$")


def clean_pinyin(value: str, field: str = "pinyin") -> str:
    text = clean_text(value, field, required=True, max_length=200)
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn"
    ).replace("ü", "v")
    if not _PINYIN.match(plain):
        raise ValidationError(
            {field: _("Write the name in Hanyu Pinyin: Latin letters, spaces or apostrophes.")}
        )
    return text


def _standard_taken(area: Area, kind: str, name: str, exclude: int | None = None) -> bool:
    rows = PlaceName.objects.filter(
        area=area, kind=kind, name=name, status=PlaceName.Status.STANDARD
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.exists()


def place_name_check(
    *,
    area: Area | None,
    name: str,
    pinyin: str,
    kind: str,
    longitude: Any = None,
    latitude: Any = None,
    status: str = PlaceName.Status.STANDARD,
    meaning: str = "",
) -> dict[str, Any]:
    """The cleaned fields of a registry entry, or a ValidationError naming every bad field
    (the form, the API and the import all check through this). `area` None: an import's row
    whose area is unknown (reported on its own)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    checks = {
        "name": lambda: clean_text(name, "name", required=True, max_length=100),
        "pinyin": lambda: clean_pinyin(pinyin),
        "longitude": lambda: coordinate(longitude, "longitude", 180),
        "latitude": lambda: coordinate(latitude, "latitude", 90),
        "meaning": lambda: clean_text(meaning, "meaning", max_length=300),
    }
    for field, check in checks.items():
        try:
            values[field] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if kind not in PlaceName.Kind.values:
        errors["kind"] = [_("Choose the kind of place.")]
    if status not in PlaceName.Status.values:
        errors["status"] = [_("Choose the status.")]
    if (values.get("longitude") is None) != (values.get("latitude") is None) and not errors:
        errors["latitude"] = [_("Give both coordinates, or neither.")]
    if errors:
        raise ValidationError(errors)
    standard = status == PlaceName.Status.STANDARD
    if standard and area is not None and _standard_taken(area, kind, values["name"]):
        raise ValidationError(
            {"name": _("This area already has a standard name “%(name)s” of this kind.") % values}
        )
    return {"area": area, "kind": kind, "status": status, **values}


@transaction.atomic
def place_name_create(
    *,
    actor: Any,
    area: Area,
    name: str,
    pinyin: str,
    kind: str,
    longitude: Any = None,
    latitude: Any = None,
    status: str = PlaceName.Status.STANDARD,
    meaning: str = "",
) -> PlaceName:
    """A name entered into the registry (the import of the existing registry uses this)."""
    policy.require_area_choice(actor, "placename.manage", area)
    values = place_name_check(
        area=area,
        name=name,
        pinyin=pinyin,
        kind=kind,
        longitude=longitude,
        latitude=latitude,
        status=status,
        meaning=meaning,
    )
    return saved(PlaceName(**values), actor)


@transaction.atomic
def naming_propose(
    *,
    actor: Any,
    area: Area,
    kind: str,
    new_name: str,
    new_pinyin: str,
    procedure: str,
    place_kind: str = "",
    place: PlaceName | None = None,
    reason: str = "",
) -> NamingDecision:
    """A naming (a new place) or a renaming (of a standard name), to be approved or filed."""
    policy.require_area_choice(actor, "placename.manage", area)
    errors: dict[str, list[str]] = {}
    if kind not in NamingDecision.Kind.values:
        errors["kind"] = [_("Choose naming or renaming.")]
    if procedure not in NamingDecision.Procedure.values:
        errors["procedure"] = [_("Choose approval or filing.")]
    if kind == NamingDecision.Kind.RENAMING:
        if place is None:
            errors["place"] = [_("Choose the name to change.")]
        elif not policy.may(actor, "placename.manage", place):
            errors["place"] = [_("This place name is not one of yours.")]
        elif place.status != PlaceName.Status.STANDARD:
            errors["place"] = [_("Only a standard name is renamed.")]
        else:
            place_kind, area = place.kind, place.area
    elif place is not None:
        errors["place"] = [_("A naming is of a new place: leave this empty.")]
    if place_kind not in PlaceName.Kind.values:
        errors["place_kind"] = [_("Choose the kind of place.")]
    try:
        new_name = clean_text(new_name, "new_name", required=True, max_length=100)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        new_pinyin = clean_pinyin(new_pinyin, "new_pinyin")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if place is not None and new_name == place.name:
        raise ValidationError({"new_name": _("The new name is the name it has.")})
    decision = NamingDecision(
        area=area,
        kind=kind,
        place=place,
        place_kind=place_kind,
        new_name=new_name,
        new_pinyin=new_pinyin,
        procedure=procedure,
        reason=clean_text(reason, "reason", max_length=300),
    )
    saved(decision, actor)
    first_status(decision, actor=actor)
    return decision


@transaction.atomic
def naming_decide(
    *,
    actor: Any,
    decision: NamingDecision,
    approve: bool,
    decided_on: datetime.date,
    document_no: str = "",
    notice_on: datetime.date | None = None,
    note: str = "",
) -> NamingDecision:
    """Approved (or filed): the registry takes the name, and the public notice's date is
    kept. Rejected: nothing changes in the registry."""
    policy.require(actor, "placename.manage", decision)
    not_future(decided_on, "decided_on")
    decision = NamingDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != NamingDecision.Status.PROPOSED:
        raise ValidationError(_("This proposal is decided already."))
    note = clean_text(note, "note", max_length=300)
    decision.decided_on = decided_on
    decision._history_user = actor  # type: ignore[attr-defined]
    if not approve:
        transition(decision, NamingDecision.Status.REJECTED, actor=actor, note=note)
        return decision
    document_no = clean_text(document_no, "document_no", required=True, max_length=100)
    if notice_on is None:
        raise ValidationError({"notice_on": _("Give the date of the public notice.")})
    if notice_on < decided_on:
        raise ValidationError({"notice_on": _("The public notice follows the decision.")})
    if _standard_taken(
        decision.area,
        decision.place_kind,
        decision.new_name,
        exclude=decision.place_id,
    ):
        raise ValidationError(
            {
                "new_name": _("This area already has a standard name “%(name)s” of this kind.")
                % {"name": decision.new_name}
            }
        )
    if decision.kind == NamingDecision.Kind.RENAMING:
        assert decision.place_id is not None
        place = PlaceName.objects.select_for_update().get(pk=decision.place_id)
        place.name, place.pinyin = decision.new_name, decision.new_pinyin  # history keeps the old
        saved(place, actor)
    else:
        place = saved(
            PlaceName(
                area=decision.area,
                kind=decision.place_kind,
                name=decision.new_name,
                pinyin=decision.new_pinyin,
                meaning=decision.reason,
            ),
            actor,
        )
        decision.place = place
    decision.document_no = document_no
    decision.notice_on = notice_on
    transition(decision, NamingDecision.Status.DONE, actor=actor, note=note)
    return decision


@transaction.atomic
def correction_open(
    *,
    actor: Any,
    area: Area,
    found_on: datetime.date,
    problem: str,
    place: PlaceName | None = None,
) -> CorrectionTask:
    """A fault found in the place-name database (a wrong character, pinyin, position…)."""
    if place is not None:
        policy.require(actor, "placename.manage", place)
        area = place.area
    else:
        policy.require_area_choice(actor, "placename.manage", area)
    not_future(found_on, "found_on")
    task = CorrectionTask(
        area=area,
        place=place,
        found_on=found_on,
        problem=clean_text(problem, "problem", required=True, max_length=300),
    )
    saved(task, actor)
    first_status(task, actor=actor)
    return task


@transaction.atomic
def correction_close(
    *, actor: Any, task: CorrectionTask, corrected_on: datetime.date, correction: str
) -> CorrectionTask:
    policy.require(actor, "placename.manage", task)
    not_future(corrected_on, "corrected_on")
    if corrected_on < task.found_on:
        raise ValidationError({"corrected_on": _("A fault is corrected after it is found.")})
    task.correction = clean_text(correction, "correction", required=True, max_length=300)
    task.corrected_on = corrected_on
    task._history_user = actor  # type: ignore[attr-defined]
    transition(task, CorrectionTask.Status.CORRECTED, actor=actor, note=task.correction)
    return task


@transaction.atomic
def entry_change_record(
    *,
    actor: Any,
    area: Area,
    change: str,
    entry_name: str,
    entry_code: str,
    effective_on: datetime.date,
    detail: str = "",
    document_no: str = "",
) -> EntryChange:
    """A village or community entry added to the register of divisions, or changed in it.
    Its 12-digit code lies under the township's 9 digits."""
    policy.require_area_choice(actor, "placename.manage", area)
    errors: dict[str, list[str]] = {}
    if change not in EntryChange.Change.values:
        errors["change"] = [_("Choose added or changed.")]
    code = (entry_code or "").strip()
    if not (len(code) == 12 and code.isdigit()):
        errors["entry_code"] = [_("A village or community code has 12 digits.")]
    elif len(area.code) >= 9 and not code.startswith(area.code[:9]):
        errors["entry_code"] = [
            _("The code must start with the township's code %(code)s.") % {"code": area.code[:9]}
        ]
    elif len(area.code) < 9 and not code.startswith(area.code):
        errors["entry_code"] = [
            _("The code must start with the county's code %(code)s.") % {"code": area.code}
        ]
    try:
        not_future(effective_on, "effective_on")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        entry_name = clean_text(entry_name, "entry_name", required=True, max_length=100)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    entry = EntryChange(
        area=area,
        change=change,
        entry_name=entry_name,
        entry_code=code,
        effective_on=effective_on,
        detail=clean_text(detail, "detail", max_length=300),
        document_no=clean_text(document_no, "document_no", max_length=100),
    )
    return saved(entry, actor)


@transaction.atomic
def boundary_create(
    *, actor: Any, area: Area, name: str, parties: str, length_km: Any = 0
) -> Boundary:
    policy.require_area_choice(actor, "placename.manage", area)
    name = clean_text(name, "name", required=True, max_length=200)
    try:
        length = Decimal(str(length_km or 0))
    except InvalidOperation:
        raise ValidationError({"length_km": _("Enter a number of kilometres.")}) from None
    if not length.is_finite() or length < 0 or length >= Decimal("1000000"):
        raise ValidationError({"length_km": _("Enter a number of kilometres.")})
    if Boundary.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A boundary of this name is on file.")})
    boundary = Boundary(
        area=area,
        name=name,
        parties=clean_text(parties, "parties", required=True, max_length=200),
        length_km=length,
    )
    return saved(boundary, actor)


@transaction.atomic
def marker_add(
    *,
    actor: Any,
    boundary: Boundary,
    number: str,
    longitude: Any = None,
    latitude: Any = None,
    condition: str = BoundaryMarker.Condition.INTACT,
) -> BoundaryMarker:
    policy.require(actor, "placename.manage", boundary)
    number = clean_text(number, "number", required=True, max_length=40)
    if condition not in BoundaryMarker.Condition.values:
        raise ValidationError({"condition": _("Choose the condition.")})
    if boundary.markers.filter(number=number).exists():
        raise ValidationError({"number": _("This boundary has a marker of this number.")})
    marker = BoundaryMarker(
        boundary=boundary,
        number=number,
        longitude=coordinate(longitude, "longitude", 180),
        latitude=coordinate(latitude, "latitude", 90),
        condition=condition,
    )
    return saved(marker, actor)


@transaction.atomic
def boundary_inspect(
    *,
    actor: Any,
    boundary: Boundary,
    inspected_on: datetime.date,
    parties: str,
    markers_checked: int,
    disputes: str = "",
) -> BoundaryInspection:
    """A joint inspection: the date, who took part, how many markers were checked (at most
    the boundary's markers), and any disputes found."""
    policy.require(actor, "placename.manage", boundary)
    not_future(inspected_on, "inspected_on")
    checked = whole(markers_checked, "markers_checked")
    total = boundary.markers.count()
    if checked > total:
        raise ValidationError(
            {"markers_checked": _("The boundary has %(n)d markers on file.") % {"n": total}}
        )
    inspection = BoundaryInspection(
        boundary=boundary,
        inspected_on=inspected_on,
        parties=clean_text(parties, "parties", required=True, max_length=300),
        markers_checked=checked,
        disputes=clean_text(disputes, "disputes"),
    )
    return saved(inspection, actor)
