"""Forms of the social_orgs pages: they parse input only; the services hold every rule (the
credit code, one inspection a year…) and their messages come back under the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm, MonthField

from .models import (
    EnforcementCase,
    Inspection,
    ListEntry,
    LotterySales,
    Organisation,
    OrgType,
    StationStaff,
)

DATE = forms.DateInput(attrs={"type": "date"})


def area_field(user: Any, *, label: Any, levels: tuple[str, ...], action: str) -> forms.Field:
    rows = policy.scope(user, Area.objects.filter(level__in=levels), action)
    return forms.ModelChoiceField(
        queryset=rows.order_by("code"),
        label=label,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class OrganisationForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_("18 characters: 5, the type digit (1, 2 or 3), … and a check character."),
    )
    org_type = forms.ChoiceField(label=_("Type"), choices=OrgType.choices)
    supervising_unit = forms.CharField(label=_("Supervising unit"), max_length=200, required=False)
    direct_registration = forms.BooleanField(label=_("Direct registration"), required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=50)
    funds = forms.DecimalField(label=_("Registered funds (yuan)"), min_value=0, decimal_places=2)
    members = forms.IntegerField(label=_("Members"), min_value=0, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    business_scope = forms.CharField(label=_("Business scope"), max_length=500, required=False)
    registered_on = forms.DateField(label=_("Registered or filed on"), widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        registration = Organisation.Registration
        choices = [
            (value, label)
            for value, label, action in (
                (registration.REGISTERED, registration.REGISTERED.label, "organisation.register"),
                (registration.FILED, registration.FILED.label, "organisation.file"),
            )
            if policy.may(user, action)
        ]
        self.fields = {
            "registration": forms.ChoiceField(label=_("Registration"), choices=choices),
            "area": area_field(
                user,
                label=_("Registered in"),
                levels=(Area.Level.COUNTY, Area.Level.TOWNSHIP),
                action="organisation.file",
            ),
            **self.fields,
        }
        for name in ("registration", "area"):
            self.fields[name].widget.attrs["class"] = "form-select"


class ChangeForm(BootstrapForm):
    changed_on = forms.DateField(label=_("Changed on"), widget=DATE)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=50, required=False
    )
    supervising_unit = forms.CharField(label=_("Supervising unit"), max_length=200, required=False)
    funds = forms.DecimalField(label=_("Registered funds (yuan)"), min_value=0, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def changes(self) -> dict[str, Any]:
        """Only the items filled in change."""
        data = dict(self.cleaned_data)
        out = {"changed_on": data.pop("changed_on"), "note": data.pop("note")}
        out.update({k: v for k, v in data.items() if v not in (None, "")})
        return out


class StatusForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (Organisation.Status.DEREGISTERED, Organisation.Status.DEREGISTERED.label),
            (Organisation.Status.REVOKED, Organisation.Status.REVOKED.label),
        ],
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class InspectionForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year inspected"), min_value=1990, max_value=2100)
    reported_on = forms.DateField(label=_("Report received on"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=Inspection.Result.choices)
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    rectification = forms.CharField(
        label=_("Rectification required"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EvaluationForm(BootstrapForm):
    grade = forms.TypedChoiceField(
        label=_("Grade"), coerce=int, choices=[(n, f"{n}A") for n in range(1, 6)]
    )
    awarded_on = forms.DateField(label=_("Awarded on"), widget=DATE)


class ListEnterForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("List"), choices=ListEntry.Kind.choices)
    entered_on = forms.DateField(label=_("Listed on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ListRemoveForm(BootstrapForm):
    removed_on = forms.DateField(label=_("Removed on"), widget=DATE)
    reason = forms.CharField(label=_("Reason for removal"), max_length=300)


class OverdueForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year inspected"), min_value=1990, max_value=2100)
    on = forms.DateField(label=_("Listed on"), widget=DATE)


class CharityForm(BootstrapForm):
    recognised_on = forms.DateField(label=_("Recognised as a charity on"), widget=DATE)
    public_fundraising = forms.BooleanField(
        label=_("Public fund-raising qualification"), required=False
    )
    fundraising_since = forms.DateField(
        label=_("Fund-raising qualified since"), widget=DATE, required=False
    )


class DonationForm(BootstrapForm):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    donor = forms.CharField(label=_("Donor"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (yuan)"), decimal_places=2)
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)


class EnforcementForm(BootstrapForm):
    subject = forms.CharField(label=_("Name used by the organisation"), max_length=200)
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE)
    source = forms.CharField(label=_("Source of the lead"), max_length=200, required=False)
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(
            user, label=_("Area"), levels=tuple(Area.Level.values), action="enforcement.manage"
        )


class EnforcementCloseForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=EnforcementCase.Outcome.choices)
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class StationForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE)
    stars = forms.TypedChoiceField(
        label=_("Star rating"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *((n, "★" * n) for n in range(1, 6))],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(
            user, label=_("Township"), levels=(Area.Level.TOWNSHIP,), action="station.manage"
        )
        self.fields["villages"] = forms.ModelMultipleChoiceField(
            label=_("Villages and communities served"),
            queryset=policy.scope(user, Area.objects.filter(level=Area.Level.VILLAGE)),
            required=False,
            widget=forms.SelectMultiple(attrs={"class": "form-select"}),
        )


class StationUpdateForm(BootstrapForm):
    stars = forms.TypedChoiceField(
        label=_("Star rating"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *((n, "★" * n) for n in range(1, 6))],
    )

    def __init__(self, *args: Any, station: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["villages"] = forms.ModelMultipleChoiceField(
            label=_("Villages and communities served"),
            queryset=Area.objects.filter(parent=station.area),
            required=False,
            widget=forms.SelectMultiple(attrs={"class": "form-select"}),
        )


class StaffForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    qualification = forms.ChoiceField(
        label=_("Qualification"), choices=StationStaff.Qualification.choices
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)


class VolunteerForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    team = forms.CharField(label=_("Team"), max_length=200, required=False)
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(
            user, label=_("Area"), levels=tuple(Area.Level.values), action="volunteer.manage"
        )


class ServiceForm(BootstrapForm):
    served_on = forms.DateField(label=_("Served on"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), decimal_places=1)
    activity = forms.CharField(label=_("Activity"), max_length=200)


class SalesForm(BootstrapForm):
    month = MonthField(label=_("Month"))
    channel = forms.ChoiceField(label=_("Channel"), choices=LotterySales.Channel.choices)
    amount = forms.DecimalField(label=_("Sales (yuan)"), min_value=0, decimal_places=2)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(
            user, label=_("Area"), levels=tuple(Area.Level.values), action="lottery.manage"
        )


class FundUseForm(BootstrapForm):
    project = forms.CharField(label=_("Project"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (yuan)"), decimal_places=2)
    spent_on = forms.DateField(label=_("Spent on"), widget=DATE)
    beneficiaries = forms.IntegerField(label=_("People reached"), min_value=0, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(
            user, label=_("Area"), levels=tuple(Area.Level.values), action="lottery.manage"
        )
