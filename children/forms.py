"""The children's forms: they parse input; the services hold every rule."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm, MonthField

from .models import Appointment, Category, ParentSituation, Risk

Situation = ParentSituation.Situation
SITUATION_CHOICES = [("", "—"), *Situation.choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _areas(form: forms.Form, user: Any, action: str, level: str | None) -> None:
    rows = Area.objects.all() if level is None else Area.objects.filter(level=level)
    field = cast(forms.ModelChoiceField, form.fields["area"])
    field.queryset = policy.scope(user, rows, action).order_by("code")


class ChildForm(BootstrapForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    name = forms.CharField(label=_("name"), max_length=50)
    area = forms.ModelChoiceField(label=_("village or community"), queryset=Area.objects.none())
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    registered_on = forms.DateField(label=_("registered on"), widget=DateInput())
    school = forms.CharField(label=_("school"), max_length=100, required=False)
    in_full_time_education = forms.BooleanField(label=_("in full-time education"), required=False)
    father_situation = forms.ChoiceField(
        label=_("father's situation"), choices=SITUATION_CHOICES, required=False
    )
    father_evidence = forms.CharField(label=_("evidence"), max_length=300, required=False)
    mother_situation = forms.ChoiceField(
        label=_("mother's situation"), choices=SITUATION_CHOICES, required=False
    )
    mother_evidence = forms.CharField(label=_("evidence"), max_length=300, required=False)
    guardian_name = forms.CharField(label=_("guardian's name"), max_length=50, required=False)
    guardian_relationship = forms.CharField(
        label=_("guardian's relationship"), max_length=30, required=False
    )
    guardian_phone = forms.CharField(label=_("guardian's phone"), max_length=20, required=False)
    guardian_entrusted = forms.BooleanField(label=_("entrusted guardian"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _areas(self, user, "child.register", Area.Level.VILLAGE)

    def service_input(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        parents = []
        for parent in ("father", "mother"):
            situation = data.pop(f"{parent}_situation")
            evidence = data.pop(f"{parent}_evidence")
            if situation:
                parents.append({"parent": parent, "situation": situation, "evidence": evidence})
        guardian = {
            "name": data.pop("guardian_name"),
            "relationship": data.pop("guardian_relationship"),
            "phone": data.pop("guardian_phone"),
            "entrusted": data.pop("guardian_entrusted"),
        }
        data["parents"] = parents
        data["guardians"] = [guardian] if guardian["name"] else []
        return data


class ChildUpdateForm(BootstrapForm):
    school = forms.CharField(label=_("school"), max_length=100, required=False)
    in_full_time_education = forms.BooleanField(label=_("in full-time education"), required=False)
    left_school_on = forms.DateField(label=_("left school on"), widget=DateInput(), required=False)
    risk_level = forms.ChoiceField(label=_("risk level"), choices=Risk.choices)


class GuardianForm(BootstrapForm):
    name = forms.CharField(label=_("name"), max_length=50)
    relationship = forms.CharField(label=_("relationship"), max_length=30)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    entrusted = forms.BooleanField(label=_("entrusted guardian"), required=False)


class SituationEndForm(BootstrapForm):
    situation = forms.IntegerField(widget=forms.HiddenInput())
    ended_on = forms.DateField(label=_("ended on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AllowanceGrantForm(BootstrapForm):
    start_month = MonthField(label=_("first month"))


class AllowanceChangeForm(BootstrapForm):
    ACTIONS = [
        ("suspend", _("Suspend")),
        ("resume", _("Resume")),
        ("stop", _("Stop")),
    ]
    action = forms.ChoiceField(label=_("action"), choices=ACTIONS)
    effective_month = MonthField(label=_("from month"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=300)


class VisitForm(BootstrapForm):
    visited_on = forms.DateField(label=_("visited on"), widget=DateInput())
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 3}))
    risk_level = forms.ChoiceField(label=_("risk level"), choices=Risk.choices)
    referral = forms.CharField(label=_("referral"), max_length=200, required=False)


class FollowUpCloseForm(BootstrapForm):
    done_on = forms.DateField(label=_("done on"), widget=DateInput())
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class AppointmentForm(BootstrapForm):
    post = forms.ChoiceField(label=_("post"), choices=Appointment.Post.choices)
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.none())
    name = forms.CharField(label=_("name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    appointed_on = forms.DateField(label=_("appointed on"), widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["area"])
        rows = Area.objects.exclude(level=Area.Level.COUNTY)
        field.queryset = policy.scope(user, rows, "child_staff.manage").order_by("code")


class TrainingForm(BootstrapForm):
    trained_on = forms.DateField(label=_("date"), widget=DateInput())
    topic = forms.CharField(label=_("topic"), max_length=200)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1)


class AppointmentEndForm(BootstrapForm):
    ended_on = forms.DateField(label=_("ended on"), widget=DateInput())


class ReportForm(BootstrapForm):
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.none())
    received_at = forms.DateTimeField(
        label=_("received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reporter = forms.CharField(label=_("reporter"), max_length=100)
    reporter_unit = forms.CharField(label=_("reporter's unit"), max_length=100, required=False)
    child_name = forms.CharField(label=_("child's name"), max_length=50)
    description = forms.CharField(
        label=_("what was reported"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _areas(self, user, "mandatory_report.manage", None)


class ReportReferForm(BootstrapForm):
    referred_to = forms.CharField(label=_("referred to"), max_length=100)
    referred_on = forms.DateField(label=_("referred on"), widget=DateInput())
    police_case_number = forms.CharField(
        label=_("police case number"), max_length=50, required=False
    )


class ReportCloseForm(BootstrapForm):
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class ActivityForm(BootstrapForm):
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.none())
    held_on = forms.DateField(label=_("date"), widget=DateInput())
    theme = forms.CharField(label=_("theme"), max_length=200)
    organiser = forms.CharField(label=_("organiser"), max_length=100, required=False)
    children_reached = forms.IntegerField(label=_("children reached"), min_value=0, initial=0)
    funds_raised = forms.DecimalField(
        label=_("funds raised (yuan)"), max_digits=14, decimal_places=2, min_value=0, initial=0
    )
    goods_value = forms.DecimalField(
        label=_("goods raised (yuan)"), max_digits=14, decimal_places=2, min_value=0, initial=0
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _areas(self, user, "care_activity.record", None)
