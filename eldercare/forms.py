"""Elder care's forms: they parse and offer choices within the user's areas; the services
decide (their errors are shown under the fields)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm, MonthField

from .models import (
    AbilityLevel,
    CareWorker,
    Finding,
    FundraisingScreening,
    HomeCareCentre,
    Inspection,
    Institution,
    ModificationItem,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def DateField(label: Any, required: bool = True) -> forms.DateField:  # noqa: N802 - a field
    return forms.DateField(label=label, required=required, widget=DateInput())


def _areas(form: forms.Form, user: Any, action: str, field: str = "area") -> None:
    cast(forms.ModelChoiceField, form.fields[field]).queryset = policy.scope(
        user, Area.objects.order_by("code"), action
    )


ABILITY_CHOICES = [("", "—"), *AbilityLevel.choices]


def _ability(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class InstitutionForm(BootstrapForm):
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.none())
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=30)
    name = forms.CharField(label=_("name"), max_length=100)
    nature = forms.ChoiceField(label=_("nature"), choices=Institution.Nature.choices)
    filing_date = DateField(_("filing date"), required=False)
    filing_number = forms.CharField(label=_("filing number"), max_length=50, required=False)
    beds = forms.IntegerField(label=_("beds"), min_value=0)
    nursing_beds = forms.IntegerField(label=_("nursing beds"), min_value=0, initial=0)
    operator = forms.CharField(label=_("operator"), max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, institution: Institution | None = None, **kw: Any):
        super().__init__(*args, **kw)
        _areas(self, user, "institution.manage")
        if institution is not None:
            self.fields["credit_code"].disabled = True


class GradeForm(BootstrapForm):
    level = forms.TypedChoiceField(
        label=_("level"), choices=[(n, str(n)) for n in range(1, 6)], coerce=int
    )
    rated_on = DateField(_("rated on"))
    valid_until = DateField(_("valid until"))
    evidence = forms.CharField(label=_("evidence"), max_length=300, required=False)


class ResidentAdmitForm(BootstrapForm):
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    name = forms.CharField(label=_("name"), max_length=50)
    admitted_on = DateField(_("admitted on"))
    ability_level = forms.TypedChoiceField(
        label=_("ability level"),
        choices=ABILITY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    assessed_on = DateField(_("assessed on"), required=False)
    vaccinated = forms.BooleanField(label=_("vaccinated"), required=False)
    vaccinated_on = DateField(_("vaccinated on"), required=False)


class ResidentCareForm(BootstrapForm):
    ability_level = forms.TypedChoiceField(
        label=_("ability level"),
        choices=ABILITY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    assessed_on = DateField(_("assessed on"), required=False)
    vaccinated = forms.BooleanField(label=_("vaccinated"), required=False)
    vaccinated_on = DateField(_("vaccinated on"), required=False)


class DischargeForm(BootstrapForm):
    discharged_on = DateField(_("discharged on"))


class InspectionForm(BootstrapForm):
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.none()
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Inspection.Kind.choices)
    inspected_on = DateField(_("inspected on"))
    inspectors = forms.CharField(label=_("inspectors"), max_length=200)
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["institution"]).queryset = policy.scope(
            user, Institution.objects.order_by("name"), "inspection.record"
        )


class FindingForm(BootstrapForm):
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(label=_("severity"), choices=Finding.Severity.choices)
    deadline = DateField(_("deadline"))


class FindingCloseForm(BootstrapForm):
    fixed_on = DateField(_("fixed on"))
    evidence = forms.CharField(
        label=_("evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What shows the fix: photos, acceptance records, their numbers."),
    )
    verified = forms.BooleanField(
        label=_("I have verified the fix"),
        required=False,
        help_text=_("Required to close a major hazard."),
    )


class ScreeningForm(BootstrapForm):
    unit_kind = forms.ChoiceField(
        label=_("kind of unit"), choices=FundraisingScreening.UnitKind.choices
    )
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.none(), required=False
    )
    centre = forms.ModelChoiceField(
        label=_("home-care centre"), queryset=HomeCareCentre.objects.none(), required=False
    )
    unit_name = forms.CharField(label=_("unit (other units)"), max_length=100, required=False)
    area = forms.ModelChoiceField(
        label=_("area (other units)"), queryset=Area.objects.none(), required=False
    )
    screened_on = DateField(_("screened on"))
    result = forms.ChoiceField(label=_("result"), choices=FundraisingScreening.Result.choices)
    notes = forms.CharField(label=_("notes"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        action = "screening.record"
        _areas(self, user, action)
        cast(forms.ModelChoiceField, self.fields["institution"]).queryset = policy.scope(
            user, Institution.objects.order_by("name"), action
        )
        cast(forms.ModelChoiceField, self.fields["centre"]).queryset = policy.scope(
            user, HomeCareCentre.objects.order_by("name"), action
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("unit_kind")
        if kind == FundraisingScreening.UnitKind.INSTITUTION and not data.get("institution"):
            self.add_error("institution", _("Choose the institution."))
        if kind == FundraisingScreening.UnitKind.CENTRE and not data.get("centre"):
            self.add_error("centre", _("Choose the centre."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        kind = data.pop("unit_kind")
        if kind != FundraisingScreening.UnitKind.INSTITUTION:
            data["institution"] = None
        if kind != FundraisingScreening.UnitKind.CENTRE:
            data["centre"] = None
        if kind != FundraisingScreening.UnitKind.OTHER:
            data["unit_name"], data["area"] = "", None
        return data


class CentreForm(BootstrapForm):
    area = forms.ModelChoiceField(label=_("township or community"), queryset=Area.objects.none())
    name = forms.CharField(label=_("name"), max_length=100)
    planned_on = DateField(_("planned on"))
    operator = forms.CharField(label=_("operator"), max_length=100, required=False)
    services = forms.CharField(label=_("services"), max_length=300, required=False)
    meal_service = forms.BooleanField(label=_("meal service"), required=False)

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = policy.scope(
            user, Area.objects.exclude(level=Area.Level.COUNTY).order_by("code"), "centre.manage"
        )


class CentreAdvanceForm(BootstrapForm):
    status = forms.ChoiceField(label=_("next stage"), choices=())
    on = DateField(_("on"))
    operator = forms.CharField(label=_("operator"), max_length=100, required=False)

    def __init__(self, *args: Any, centre: HomeCareCentre, **kw: Any) -> None:
        super().__init__(*args, **kw)
        labels = dict(HomeCareCentre.Status.choices)
        nxt = HomeCareCentre.TRANSITIONS[HomeCareCentre.Status(centre.status)]
        self.fields["status"].choices = [(s, labels[s]) for s in sorted(nxt)]  # type: ignore[attr-defined]


class ModificationApplyForm(BootstrapForm):
    id_number = forms.CharField(label=_("ID number of the elder"), max_length=20)
    address = forms.CharField(label=_("address"), max_length=200)
    applied_on = DateField(_("applied on"))
    dependent = forms.BooleanField(
        label=_("dependent (assessed as losing ability)"), required=False
    )


class ModificationAssessForm(BootstrapForm):
    """One cost field per item of the lists: the items with a cost are the ones to fit."""

    assessed_on = DateField(_("assessed on"))

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.items = list(ModificationItem.objects.filter(active=True).order_by("list", "code"))
        for item in self.items:
            self.fields[f"cost_{item.pk}"] = forms.DecimalField(
                label=f"{item.get_list_display()} · {item.code} {item.name}",
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
            )

    def lines(self) -> list[tuple[ModificationItem, Any]]:
        return [
            (item, self.cleaned_data[f"cost_{item.pk}"])
            for item in self.items
            if self.cleaned_data.get(f"cost_{item.pk}")
        ]


class WorksForm(BootstrapForm):
    started_on = DateField(_("works started on"))
    contractor = forms.CharField(label=_("contractor"), max_length=100)


class AcceptForm(BootstrapForm):
    accepted_on = DateField(_("accepted on"))
    notes = forms.CharField(label=_("acceptance notes"), max_length=300, required=False)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("reason"), max_length=300)


class CareWorkerForm(BootstrapForm):
    employer = forms.ChoiceField(label=_("employer"), choices=())
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    name = forms.CharField(label=_("name"), max_length=50)
    employed_from = DateField(_("employed from"))
    skill_level = forms.TypedChoiceField(
        label=_("skill level"),
        choices=[("", "—"), *CareWorker.SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    certificate_number = forms.CharField(
        label=_("certificate number"), max_length=50, required=False
    )
    certified_on = DateField(_("certified on"), required=False)

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        action = "careworker.manage"
        self.institutions = {
            f"i{i.pk}": i for i in policy.scope(user, Institution.objects.order_by("name"), action)
        }
        self.centres = {
            f"c{c.pk}": c
            for c in policy.scope(user, HomeCareCentre.objects.order_by("name"), action)
        }
        self.fields["employer"].choices = [  # type: ignore[attr-defined]
            (key, str(obj)) for key, obj in {**self.institutions, **self.centres}.items()
        ]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        key = data.pop("employer")
        data["institution"] = self.institutions.get(key)
        data["centre"] = self.centres.get(key)
        return data


class TrainingForm(BootstrapForm):
    course = forms.CharField(label=_("course"), max_length=100)
    attended_on = DateField(_("attended on"))
    hours = forms.IntegerField(label=_("hours"), min_value=1, max_value=2000)


class LeaveForm(BootstrapForm):
    on = DateField(_("left on"))


class AllowanceEnrolForm(BootstrapForm):
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    applied_on = DateField(_("applied on"))


class AllowanceActionForm(BootstrapForm):
    action = forms.ChoiceField(
        label=_("action"),
        choices=[("suspend", _("Suspend")), ("resume", _("Resume")), ("stop", _("Stop"))],
    )
    effective_month = MonthField(label=_("from month"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") in ("suspend", "stop") and not data.get("effective_month"):
            self.add_error("effective_month", _("Give the month it takes effect."))
        return data


def ability_of(value: Any) -> int | None:
    return _ability(value)
