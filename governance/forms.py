"""Forms of the governance pages: they parse input only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm

from .models import Committee, Deliberation, Disclosure, ListItem, Member, Sex, VillageRules

DATE = forms.DateInput(attrs={"type": "date"})
SELECT = {"class": "form-select"}


def area_field(user: Any, *, label: Any, action: str, levels: tuple[str, ...]) -> forms.Field:
    rows = policy.scope(user, Area.objects.filter(level__in=levels), action).order_by("code")
    return forms.ModelChoiceField(queryset=rows, label=label, widget=forms.Select(attrs=SELECT))


class _AreaForm(BootstrapForm):
    action = ""
    levels: tuple[str, ...] = (Area.Level.VILLAGE,)
    area_label: Any = _("Village or community")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "area": area_field(user, label=self.area_label, action=self.action, levels=self.levels),
            **self.fields,
        }


class CommitteeForm(_AreaForm):
    action = "committee.manage"
    kind = forms.ChoiceField(label=_("Committee"), choices=Committee.Kind.choices)
    elected_on = forms.DateField(label=_("Elected or formed on"), widget=DATE)


class MemberForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    post = forms.ChoiceField(label=_("Post"), choices=Member.Post.choices)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        required=False,
        help_text=_("Optional: links the member to the person on file."),
    )
    elected_on = forms.DateField(label=_("Elected on"), widget=DATE, required=False)


class LeaveForm(BootstrapForm):
    left_on = forms.DateField(label=_("Left on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class EligibilityForm(BootstrapForm):
    candidate_name = forms.CharField(label=_("Candidate"), max_length=50)
    candidate_sex = forms.ChoiceField(label=_("Candidate's sex"), choices=Sex.choices)
    candidate_id_number = forms.CharField(
        label=_("Candidate's ID number"), max_length=20, required=False
    )
    checked_on = forms.DateField(label=_("Eligibility checked on"), widget=DATE)
    eligible = forms.TypedChoiceField(
        label=_("Outcome of the joint check"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Eligible")), ("no", _("Not eligible"))],
    )
    note = forms.CharField(label=_("Findings"), max_length=500, required=False)


class ByElectionForm(BootstrapForm):
    held_on = forms.DateField(label=_("By-election held on"), widget=DATE)
    votes_cast = forms.IntegerField(label=_("Votes cast"), min_value=0)
    votes_for = forms.IntegerField(label=_("Votes for the candidate"), min_value=0)
    elected = forms.TypedChoiceField(
        label=_("Result"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Elected")), ("no", _("Not elected"))],
    )


class ListItemForm(_AreaForm):
    action = "village_list.manage"
    levels = (Area.Level.COUNTY, Area.Level.TOWNSHIP)
    area_label = _("Issued by")
    kind = forms.ChoiceField(label=_("List"), choices=ListItem.Kind.choices)
    title = forms.CharField(label=_("Item"), max_length=300)
    basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)
    listed_on = forms.DateField(label=_("Listed on"), widget=DATE)


class CancelForm(_AreaForm):
    action = "village_list.manage"
    levels = (Area.Level.COUNTY, Area.Level.TOWNSHIP)
    area_label = _("Decided by")
    item = forms.CharField(label=_("Certificate"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    cancelled_on = forms.DateField(label=_("Cancelled on"), widget=DATE)


class RequestForm(_AreaForm):
    action = "certificate.request"
    applicant = forms.CharField(label=_("Applicant"), max_length=50)
    item = forms.CharField(label=_("Certificate asked for"), max_length=200)
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE)


class RulesForm(_AreaForm):
    action = "village_rules.manage"
    title = forms.CharField(label=_("Title"), max_length=200)
    topics = forms.CharField(label=_("Topics covered"), max_length=500, required=False)
    meeting = forms.ChoiceField(label=_("Passed by"), choices=VillageRules.Meeting.choices)
    passed_on = forms.DateField(label=_("Passed on"), widget=DATE)
    attendance = forms.IntegerField(label=_("Present"), min_value=0)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class FileForm(BootstrapForm):
    filed_on = forms.DateField(label=_("Filed with the township on"), widget=DATE)


class CheckForm(BootstrapForm):
    checked_on = forms.DateField(label=_("Legality checked on"), widget=DATE)
    lawful = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Lawful")), ("no", _("Not lawful: return to the village"))],
    )
    note = forms.CharField(label=_("Findings"), max_length=500, required=False)


class DeliberationForm(_AreaForm):
    action = "deliberation.manage"
    subject = forms.CharField(label=_("Matter to decide"), max_length=300)
    proposed_on = forms.DateField(label=_("Proposed by the Party branch on"), widget=DATE)
    record = forms.CharField(label=_("Record"), widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(BootstrapForm):
    step = forms.TypedChoiceField(label=_("Step"), coerce=int, choices=Deliberation.Step.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    record = forms.CharField(label=_("Record"), widget=forms.Textarea(attrs={"rows": 2}))


class ImplementForm(BootstrapForm):
    on = forms.DateField(label=_("Implemented on"), widget=DATE)


class PlanForm(_AreaForm):
    action = "disclosure.manage"
    topic = forms.ChoiceField(label=_("Topic"), choices=Disclosure.Topic.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class DisclosureForm(BootstrapForm):
    disclosed_on = forms.DateField(label=_("Disclosed on"), widget=DATE)
    content = forms.CharField(
        label=_("What was disclosed"), widget=forms.Textarea(attrs={"rows": 3})
    )
