"""Funerals: deaths handled, the death list sent to the cross-check, fee waivers, public
cemeteries and tomb-sweeping plans."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs import benefits
from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.months import first_of_month
from civil_affairs.core.validators import clean_text, not_future
from civil_affairs.crosscheck import services as crosscheck_services
from civil_affairs.crosscheck.kinds import Kind as ListKind
from civil_affairs.crosscheck.kinds import default_mapping
from civil_affairs.crosscheck.models import ExternalList
from civil_affairs.payments import services as payment_services
from civil_affairs.people.models import Person
from civil_affairs.standards import selectors as standards

from .. import standards as kinds
from ..models import Cemetery, CemeteryProgress, Death, FeeWaiver, TombSweepingPlan
from .common import clean_id, saved, whole

FEE_WAIVER_PROGRAM = "funeral_fee_waiver"
# The facts of the benefits registry that make a family eligible for the fee waiver.
WAIVER_FACTS = (benefits.DIBAO, benefits.DIBAO_HOUSEHOLD, benefits.EXTREME_POVERTY)


@transaction.atomic
def death_record(
    *,
    actor: Any,
    area: Area,
    id_number: str,
    name: str,
    died_on: datetime.date,
    handled_on: datetime.date,
    disposal: str = Death.Disposal.CREMATION,
    facility: str = "",
    cremation_certificate: str = "",
) -> Death:
    """A death the funeral service handled. The deceased is linked to the person on file
    (found by ID number in the actor's areas), so that the fee waiver can ask about them."""
    policy.require_area_choice(actor, "death.record", area)
    number = clean_id(id_number, "id_number")
    errors: dict[str, list[str]] = {}
    if disposal not in Death.Disposal.values:
        errors["disposal"] = [_("Choose cremation or burial.")]
    for field, day in (("died_on", died_on), ("handled_on", handled_on)):
        try:
            not_future(day, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if handled_on < died_on:
        errors["handled_on"] = [_("The funeral cannot be handled before the death.")]
    if errors:
        raise ValidationError(errors)
    if Death.objects.filter(id_number=number).exists():
        raise ValidationError({"id_number": _("The death of this person is already recorded.")})
    death = Death(
        area=area,
        person=policy.scope(actor, Person.objects.filter(id_number=number)).first(),
        id_number=number,
        name=clean_text(name, "name", required=True, max_length=100),
        died_on=died_on,
        handled_on=handled_on,
        disposal=disposal,
        facility=clean_text(facility, "facility", max_length=200),
        cremation_certificate=clean_text(
            cremation_certificate, "cremation_certificate", max_length=40
        ),
        recorded_by=actor,
    )
    return saved(death, actor)


def _death_csv(deaths: list[Death]) -> bytes:
    headings = default_mapping(ListKind.DEATH)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [headings["id_number"], headings["name"], headings["event_date"], headings["detail"]]
    )
    for death in deaths:
        detail = f"{death.get_disposal_display()} {death.handled_on:%Y-%m-%d} {death.facility}"
        writer.writerow([death.id_number, death.name, f"{death.died_on:%Y-%m-%d}", detail.strip()])
    return out.getvalue().encode("utf-8-sig")


@transaction.atomic
def deaths_send(*, actor: Any, area: Area) -> ExternalList:
    """Send the deaths recorded here and not yet sent, in `area`, to the cross-check as one
    death list (no retyping): the cross-check loads it like any department's file and its
    next run matches it against everyone receiving a benefit."""
    policy.require_area_choice(actor, "death.send", area)
    deaths = list(
        policy.scope(actor, Death.objects.select_for_update())
        .filter(sent_list__isnull=True, area__in=Area.objects.within(area.code))
        .order_by("id")
    )
    if not deaths:
        raise ValidationError(_("There is no death recorded since the last list was sent."))
    today = timezone.localdate()
    name = f"funeral-deaths-{today:%Y%m%d}-{deaths[-1].pk}.csv"
    data = _death_csv(deaths)
    external = crosscheck_services.list_upload(
        actor=actor,
        kind=ListKind.DEATH,
        area=area,
        valid_on=today,
        source=_("Funeral service records"),
        file=SimpleUploadedFile(name, data),
        file_name=name,
        columns=default_mapping(ListKind.DEATH),
    )
    Death.objects.filter(pk__in=[d.pk for d in deaths]).update(sent_list=external)
    return external


def fee_waiver_basis(death: Death) -> list[str]:
    """The facts that make the deceased's family eligible, in the month of death."""
    if death.person_id is None:
        return []
    found = benefits.facts([death.person_id], first_of_month(death.died_on))
    return [fact for fact in WAIVER_FACTS if fact in found.get(death.person_id, set())]


@transaction.atomic
def fee_waiver_pay(*, actor: Any, death: Death, paid_on: datetime.date | None = None) -> FeeWaiver:
    """Waive the basic funeral services' fees of a dibao or extreme-poverty family: the
    amount is the standard in force in the month of death, paid from the special account."""
    policy.require(actor, "fee_waiver.pay", death)
    paid_on = paid_on or timezone.localdate()
    not_future(paid_on, "paid_on")
    if FeeWaiver.objects.filter(death=death).exists():
        raise ValidationError(_("The fees of this funeral are already waived."))
    if death.person_id is None:
        raise ValidationError(
            {
                "death": _(
                    "The deceased is not on file: the fee waiver is for families in dibao or "
                    "extreme-poverty support."
                )
            }
        )
    basis = fee_waiver_basis(death)
    if not basis:
        raise ValidationError(
            {
                "death": _(
                    "In %(month)s the deceased's family received neither dibao nor "
                    "extreme-poverty support: the fees cannot be waived."
                )
                % {"month": f"{death.died_on:%Y-%m}"}
            }
        )
    month = first_of_month(death.died_on)
    amount = Decimal(standards.get(kinds.FEE_WAIVER, area=death.area, month=month).value)
    person = death.person
    assert person is not None
    entry = payment_services.ledger_pay_one_off(
        actor=actor,
        program=FEE_WAIVER_PROGRAM,
        person=person,
        area=death.area,
        amount=amount,
        source=f"funeral.death:{death.pk}",
        note=_("Funeral fee waiver: %(name)s") % {"name": death.name},
        booked_on=paid_on,
    )
    waiver = FeeWaiver(
        death=death,
        amount=amount,
        basis=", ".join(basis),
        ledger_entry=entry,
        paid_on=paid_on,
        recorded_by=actor,
    )
    return saved(waiver, actor)


@transaction.atomic
def cemetery_create(
    *, actor: Any, area: Area, name: str, planned_plots: int = 0, investment: Any = 0
) -> Cemetery:
    policy.require_area_choice(actor, "cemetery.manage", area)
    cemetery = Cemetery(
        area=area,
        name=clean_text(name, "name", required=True, max_length=200),
        planned_plots=whole(planned_plots, "planned_plots"),
        investment=Decimal(str(investment or 0)),
    )
    if cemetery.investment < 0:
        raise ValidationError({"investment": _("An amount cannot be negative.")})
    if Cemetery.objects.filter(area=area, name=cemetery.name).exists():
        raise ValidationError({"name": _("This area already has a cemetery of this name.")})
    return saved(cemetery, actor)


@transaction.atomic
def cemetery_report(
    *,
    actor: Any,
    cemetery: Cemetery,
    reported_on: datetime.date,
    progress: int,
    plots_built: int = 0,
    note: str = "",
) -> CemeteryProgress:
    """A construction report: the share done moves the cemetery to under construction, or
    completed at 100 percent; it never goes back."""
    policy.require(actor, "cemetery.manage", cemetery)
    not_future(reported_on, "reported_on")
    progress = whole(progress, "progress")
    if progress > 100:
        raise ValidationError({"progress": _("A percentage is 0 to 100.")})
    if progress < cemetery.progress:
        raise ValidationError(
            {"progress": _("Progress cannot go back: it was %(p)d%%.") % {"p": cemetery.progress}}
        )
    report = CemeteryProgress.objects.create(
        cemetery=cemetery,
        reported_on=reported_on,
        progress=progress,
        plots_built=whole(plots_built, "plots_built"),
        note=clean_text(note, "note", max_length=300),
        recorded_by=actor,
    )
    cemetery.progress = progress
    if progress >= 100:
        cemetery.status = Cemetery.Status.COMPLETED
    elif progress > 0:
        cemetery.status = Cemetery.Status.UNDER_CONSTRUCTION
    saved(cemetery, actor)
    return report


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    area: Area,
    year: int,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    measures: str = "",
    staff: int = 0,
) -> TombSweepingPlan:
    policy.require_area_choice(actor, "cemetery.manage", area)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    if starts_on.year != year:
        raise ValidationError({"starts_on": _("The plan starts in its own year.")})
    if TombSweepingPlan.objects.filter(area=area, year=year).exists():
        raise ValidationError({"year": _("This area already has a plan for this year.")})
    plan = TombSweepingPlan(
        area=area,
        year=year,
        title=clean_text(title, "title", required=True, max_length=200),
        starts_on=starts_on,
        ends_on=ends_on,
        measures=clean_text(measures, "measures"),
        staff=whole(staff, "staff"),
    )
    try:
        with transaction.atomic():
            return saved(plan, actor)
    except IntegrityError:
        raise ValidationError({"year": _("This area already has a plan for this year.")}) from None
