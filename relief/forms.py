"""Forms of the relief pages. They parse input; the rules are the services' (a member row is
checked with services.clean_member, the same function the import uses)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm, Form, MonthField, add_service_errors
from civil_affairs.core.validators import mask_certificate

from . import services
from .models import (
    Application,
    HomelessCase,
    HomelessService,
    Household,
    HouseholdMember,
    IncomeKind,
    Review,
    Supporter,
)

Member = HouseholdMember


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class HouseholdForm(BootstrapForm):
    area = forms.ModelChoiceField(label=_("village or community"), queryset=Area.objects.none())
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    registered_type = forms.ChoiceField(
        label=_("registered type"), choices=Household.RegisteredType.choices
    )
    category = forms.ChoiceField(
        label=_("review category"), choices=Household.Category.choices, initial="A"
    )

    def __init__(self, *args: Any, user: Any, household: Household | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = policy.scope(
            user, Area.objects.filter(level=Area.Level.VILLAGE)
        )
        if household is not None:
            self.fields["area"].disabled = True


class MemberForm(BootstrapForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    name = forms.CharField(label=_("name"), max_length=50)
    relationship = forms.ChoiceField(
        label=_("relationship to the head"), choices=Member.Relationship.choices
    )
    work_capacity = forms.ChoiceField(
        label=_("work capacity"), choices=Member.WorkCapacity.choices, initial="full"
    )
    health = forms.ChoiceField(
        label=_("health condition"), choices=Member.Health.choices, initial="healthy"
    )
    disability_certificate = forms.CharField(
        label=_("disability certificate number"), max_length=20, required=False
    )
    income_wages = forms.DecimalField(label=_("monthly wages"), initial=0, min_value=None)
    income_business = forms.DecimalField(label=_("monthly business income"), initial=0)
    income_farming = forms.DecimalField(label=_("monthly farming income"), initial=0)
    income_property = forms.DecimalField(label=_("monthly property income"), initial=0)
    income_transfer = forms.DecimalField(label=_("monthly pensions and transfers"), initial=0)
    income_other = forms.DecimalField(label=_("other monthly income"), initial=0)
    vehicles = forms.IntegerField(label=_("vehicles owned"), initial=0)
    real_estate = forms.IntegerField(label=_("homes owned"), initial=0)
    deposits = forms.DecimalField(label=_("bank deposits"), initial=0)
    bank_name = forms.CharField(label=_("bank"), max_length=100, required=False)
    bank_account = forms.CharField(
        label=_("bank account for benefits"),
        max_length=40,
        required=False,
        help_text=_("Where the monthly benefits are paid."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a member on file (member_initial): the ID number cannot change and is shown masked;
        # the certificate is shown masked and kept while it comes back unchanged; the account
        # on file is never sent to the page: its field stays empty, and a number typed there
        # replaces it (README, Security)
        self.known_id_number = self.initial.get("known_id_number", "")
        self.known_certificate = self.initial.get("known_certificate", "")
        if self.known_id_number:
            self.fields["id_number"].disabled = True
        masked = self.initial.get("masked_account", "")
        if masked:
            self.fields["bank_account"].help_text = _(
                "On file: %(account)s. Leave empty to keep it; a number typed here replaces it."
            ) % {"account": masked}

    def clean_id_number(self) -> str:
        return self.known_id_number or str(self.cleaned_data["id_number"])

    def clean_disability_certificate(self) -> str:
        value = str(self.cleaned_data.get("disability_certificate") or "")
        if self.known_certificate and value == mask_certificate(self.known_certificate):
            return str(self.known_certificate)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or not data or data.get("DELETE"):
            return data
        try:
            data.update(services.clean_member(data))
        except ValidationError as exc:
            add_service_errors(self, exc)
        return data


MemberFormSet = formset_factory(MemberForm, extra=0, min_num=1, validate_min=True, can_delete=True)


def member_rows(formset: Any) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def member_initial(household: Household) -> list[dict[str, Any]]:
    """The members as the edit page shows them: ID numbers and certificates masked (their
    whole values stay on the server, under keys no field renders)."""
    rows = []
    for m in household.members.select_related("person"):
        row = {f: getattr(m, f) for f in MemberForm.base_fields if hasattr(m, f)}
        row.update(
            {
                "id_number": m.person.masked_id_number,
                "known_id_number": m.person.id_number,
                "name": m.person.name,
                "disability_certificate": mask_certificate(m.disability_certificate),
                "known_certificate": m.disability_certificate,
                "bank_name": m.person.bank_name,
                "bank_account": "",
                "masked_account": m.person.masked_bank_account,
            }
        )
        rows.append(row)
    return rows


class ApplicationForm(BootstrapForm):
    program = forms.ChoiceField(label=_("program"), choices=Application.Kind.choices)
    person = forms.TypedChoiceField(label=_("applicant"), coerce=int, choices=())
    statement = forms.CharField(
        label=_("what the applicant says"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    applied_on = forms.DateField(label=_("applied on"), widget=DateInput(), required=False)
    coverage = forms.ChoiceField(
        label=_("coverage (dibao)"),
        choices=[("", "—"), *Application.Coverage.choices],
        required=False,
    )
    support_mode = forms.ChoiceField(
        label=_("support mode (extreme poverty)"),
        choices=[("", "—"), *Application.SupportMode.choices],
        required=False,
    )
    assistance_kind = forms.ChoiceField(
        label=_("assistance kind (temporary)"),
        choices=[("", "—"), *Application.AssistanceKind.choices],
        required=False,
    )
    requested_amount = forms.DecimalField(
        label=_("amount asked for (temporary)"), required=False, decimal_places=2, max_digits=14
    )
    urgent = forms.BooleanField(label=_("urgent: pay first, document after"), required=False)
    finance_check_authorised = forms.BooleanField(
        label=_("signed authorisation to check finances (核对授权书)"), required=False
    )
    staff_relative = forms.BooleanField(
        label=_("close relative of staff or village cadres (近亲属备案)"), required=False
    )
    staff_relative_note = forms.CharField(label=_("whose relative"), max_length=200, required=False)
    special_case = forms.BooleanField(
        label=_("special case: the longer time limit"), required=False
    )
    start_month = MonthField(
        label=_("first month"),
        required=False,
        help_text=_("Leave empty to start the month after approval."),
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [
            (m.person_id, f"{m.person.name}（{m.get_relationship_display()}）")
            for m in household.members.select_related("person")
        ]


class AcceptForm(BootstrapForm):
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class VisitForm(BootstrapForm):
    visited_on = forms.DateField(label=_("visited on"), widget=DateInput())
    visitors = forms.CharField(label=_("visitors"), max_length=200)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label=_("photos"), required=False)


class CrosscheckResultForm(BootstrapForm):
    result = forms.CharField(
        label=_("cross-check result"), widget=forms.Textarea(attrs={"rows": 2})
    )


class NoticeForm(BootstrapForm):
    start = forms.DateField(label=_("notice from"), widget=DateInput())


class AcceptanceForm(BootstrapForm):
    note = forms.CharField(label=_("note"), required=False, max_length=300)
    finance_check_authorised = forms.BooleanField(
        label=_("signed authorisation to check finances (核对授权书)"), required=False
    )
    staff_relative = forms.BooleanField(
        label=_("close relative of staff or village cadres (近亲属备案)"), required=False
    )
    staff_relative_note = forms.CharField(label=_("whose relative"), max_length=200, required=False)


class ObjectionForm(BootstrapForm):
    objection = forms.CharField(
        label=_("objection with grounds"), widget=forms.Textarea(attrs={"rows": 2})
    )


class GradeForm(BootstrapForm):
    grade = forms.TypedChoiceField(
        label=_("confirmed grade"), coerce=int, choices=[(g, g) for g in (1, 2, 3, 4)]
    )
    disability_type = forms.ChoiceField(label=_("disability type"), choices=())
    note = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from civil_affairs.core.validators import DISABILITY_TYPES

        cast(forms.ChoiceField, self.fields["disability_type"]).choices = [
            (value, value) for value in DISABILITY_TYPES.values()
        ]


class NonResidentForm(BootstrapForm):
    area = forms.ModelChoiceField(
        label=_("where the emergency happened"), queryset=Area.objects.none()
    )
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    name = forms.CharField(label=_("name"), max_length=50)
    assistance_kind = forms.ChoiceField(
        label=_("assistance kind"), choices=Application.AssistanceKind.choices
    )
    requested_amount = forms.DecimalField(
        label=_("amount asked for"), decimal_places=2, max_digits=14
    )
    statement = forms.CharField(
        label=_("what the applicant says"), widget=forms.Textarea(attrs={"rows": 3})
    )
    urgent = forms.BooleanField(label=_("urgent: pay first, document after"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = policy.scope(
            user, Area.objects.filter(level=Area.Level.VILLAGE)
        )


class SubmitForm(BootstrapForm):
    objections = forms.CharField(
        label=_("objections during the notice"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReviewForm(BootstrapForm):
    opinion = forms.CharField(
        label=_("township opinion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ApproveForm(BootstrapForm):
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("reason"), max_length=300)


class BulkApproveForm(Form):
    applications = forms.TypedMultipleChoiceField(coerce=int, choices=())
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, queue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["applications"]).choices = [(a.pk, a.pk) for a in queue]


class ReviewCompleteForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Review.Outcome.choices)
    effective_month = MonthField(label=_("effective month"), required=False)
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EntitlementActionForm(BootstrapForm):
    ACTIONS = [
        ("change_amount", _("Change the amount")),
        ("suspend", _("Suspend")),
        ("resume", _("Resume")),
        ("stop", _("Stop")),
        ("gradual_exit", _("Gradual exit")),
    ]
    action = forms.ChoiceField(label=_("action"), choices=ACTIONS)
    effective_month = MonthField(label=_("effective month"))
    monthly_amount = forms.DecimalField(
        label=_("new monthly amount"), required=False, decimal_places=2, max_digits=14
    )
    reason = forms.CharField(label=_("reason"), max_length=300)


class CarePayeeForm(BootstrapForm):
    """Whom extreme-poverty support is paid to: the care home (centralised) or the contracted
    caregiver (dispersed); the service says which the case needs."""

    payee_name = forms.CharField(label=_("care home"), max_length=100, required=False)
    payee_bank_name = forms.CharField(label=_("care home's bank"), max_length=100, required=False)
    payee_account = forms.CharField(label=_("care home's account"), max_length=40, required=False)
    caregiver = forms.CharField(
        label=_("caregiver's ID number"),
        max_length=18,
        required=False,
        help_text=_("A person on file in your areas."),
    )
    caregiver_from = MonthField(label=_("agreement from month"), required=False)
    caregiver_to = MonthField(
        label=_("agreement to month"),
        required=False,
        help_text=_("Empty while the agreement runs."),
    )

    def __init__(self, *args: Any, dispersed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # only the fields of the case's support mode
        care_home = ("payee_name", "payee_bank_name", "payee_account")
        for name in care_home if dispersed else ("caregiver", "caregiver_from", "caregiver_to"):
            del self.fields[name]


class HomelessIntakeForm(BootstrapForm):
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.none())
    name = forms.CharField(label=_("name or description"), max_length=100)
    found_on = forms.DateField(
        label=_("taken in on"), widget=DateInput(), initial=timezone.localdate
    )
    found_place = forms.CharField(label=_("found at"), max_length=200, required=False)
    zone = forms.ModelChoiceField(
        label=_("found in patrol zone"), queryset=HomelessCase.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, zones: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = policy.scope(user, Area.objects.all())
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas
        cast(forms.ModelChoiceField, self.fields["zone"]).queryset = zones


class HomelessServiceForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("service"), choices=HomelessService.Kind.choices)
    given_on = forms.DateField(label=_("given on"), widget=DateInput(), initial=timezone.localdate)
    cost = forms.DecimalField(label=_("cost"), initial=0, decimal_places=2, max_digits=14)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class HomelessCloseForm(BootstrapForm):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (s.value, s.label)
            for s in HomelessCase.Status
            if s not in (HomelessCase.Status.IN_STATION,)
        ],
    )
    on = forms.DateField(label=_("on"), widget=DateInput(), initial=timezone.localdate)
    destination = forms.CharField(label=_("destination"), max_length=200, required=False)


class MedicalAidForm(BootstrapForm):
    id_number = forms.CharField(label=_("patient's ID number"), max_length=18)
    hospital = forms.CharField(label=_("hospital"), max_length=100)
    treated_on = forms.DateField(label=_("treated on"), widget=DateInput())
    total_cost = forms.DecimalField(label=_("total cost"), decimal_places=2, max_digits=14)
    insurance_paid = forms.DecimalField(
        label=_("paid by medical insurance"), decimal_places=2, max_digits=14, initial=0
    )
    aid_amount = forms.DecimalField(label=_("aid paid"), decimal_places=2, max_digits=14)


# ---- a member's means: income entries, supporters, the self-care assessment


class IncomeEntryForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("kind"), choices=IncomeKind.choices)
    first_month = MonthField(label=_("from month"))
    last_month = MonthField(label=_("to month"))
    monthly_amount = forms.DecimalField(
        label=_("each month"), max_digits=14, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class SupporterForm(BootstrapForm):
    name = forms.CharField(label=_("name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    relationship = forms.ChoiceField(
        label=_("relationship"), choices=Supporter.Relationship.choices
    )
    situation = forms.ChoiceField(label=_("situation"), choices=Supporter.Situation.choices)
    evidence = forms.CharField(
        label=_("evidence"),
        max_length=300,
        required=False,
        help_text=_("What shows the supporter cannot support (required unless able)."),
    )
    maintenance_owed = forms.DecimalField(
        label=_("maintenance owed each month"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )


class SelfCareForm(BootstrapForm):
    """The six activities: tick those the person does unaided."""

    assessed_on = forms.DateField(label=_("assessed on"), widget=DateInput())
    eating = forms.BooleanField(label=_("eats unaided"), required=False)
    dressing = forms.BooleanField(label=_("dresses unaided"), required=False)
    transfer = forms.BooleanField(label=_("gets in and out of bed unaided"), required=False)
    toilet = forms.BooleanField(label=_("uses the toilet unaided"), required=False)
    walking = forms.BooleanField(label=_("walks indoors unaided"), required=False)
    bathing = forms.BooleanField(label=_("bathes unaided"), required=False)
