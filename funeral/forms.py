"""Forms of the funeral app's pages: they parse input; the rules are the services'. Each form's
fields are named as its service's keyword arguments."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm

from .models import (
    AgencyInspection,
    BoundaryMarker,
    CertificateReplacement,
    Death,
    EntryChange,
    Kinship,
    NamingDecision,
    PlaceName,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: Any, required: bool = True, today: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=required,
        initial=timezone.localdate if today else None,
    )


class AreaChoiceField(forms.ModelChoiceField):
    """An area offered as its code and name."""

    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.code} {obj.name}"


class AreaForm(BootstrapForm):
    """A form whose `area` field offers the user's areas only."""

    area = AreaChoiceField(label=_("area"), queryset=Area.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(AreaChoiceField, self.fields["area"])
        field.queryset = policy.scope(user, Area.objects.order_by("code"))


# ---- funerals


class DeathForm(AreaForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    name = forms.CharField(label=_("name"), max_length=100)
    died_on = _date(_("date of death"))
    handled_on = _date(_("handled on"))
    disposal = forms.ChoiceField(label=_("disposal"), choices=Death.Disposal.choices)
    facility = forms.CharField(
        label=_("funeral home or crematorium"), max_length=200, required=False
    )
    cremation_certificate = forms.CharField(
        label=_("cremation certificate number"), max_length=40, required=False
    )


class CemeteryForm(AreaForm):
    name = forms.CharField(label=_("name"), max_length=200)
    planned_plots = forms.IntegerField(label=_("planned plots"), min_value=0, initial=0)
    investment = forms.DecimalField(
        label=_("planned investment"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )


class CemeteryReportForm(BootstrapForm):
    reported_on = _date(_("reported on"))
    progress = forms.IntegerField(label=_("progress (percent)"), min_value=0, max_value=100)
    plots_built = forms.IntegerField(label=_("plots built"), min_value=0, initial=0)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class PlanForm(AreaForm):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    starts_on = _date(_("from"), today=False)
    ends_on = _date(_("to"), today=False)
    staff = forms.IntegerField(label=_("staff on duty"), min_value=0, initial=0)
    measures = forms.CharField(
        label=_("measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


# ---- marriage


class MarriageForm(AreaForm):
    registered_on = _date(_("registered on"))
    party_a_name = forms.CharField(label=_("first party's name"), max_length=100)
    party_a_id_number = forms.CharField(label=_("first party's ID number"), max_length=18)
    party_b_name = forms.CharField(label=_("second party's name"), max_length=100)
    party_b_id_number = forms.CharField(label=_("second party's ID number"), max_length=18)
    certificate_no = forms.CharField(label=_("certificate number"), max_length=40)
    both_present = forms.BooleanField(
        label=_("both parties present in person"), required=False, initial=True
    )


class KinshipForm(AreaForm):
    id_number_a = forms.CharField(label=_("first person's ID number"), max_length=18)
    id_number_b = forms.CharField(label=_("second person's ID number"), max_length=18)
    degree = forms.ChoiceField(label=_("relation"), choices=Kinship.Degree.choices)
    evidence = forms.CharField(label=_("evidence"), max_length=300, required=False)


class DivorceForm(BootstrapForm):
    applied_on = _date(_("applied on"))
    both_present = forms.BooleanField(
        label=_("both parties present in person"), required=False, initial=True
    )


class WithdrawForm(BootstrapForm):
    party_id_number = forms.ChoiceField(label=_("withdrawn by"))
    on = _date(_("date"))

    def __init__(self, *args: Any, parties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["party_id_number"]).choices = parties


class CertifyForm(BootstrapForm):
    on = _date(_("date"))
    certificate_no = forms.CharField(label=_("divorce certificate number"), max_length=40)
    both_present = forms.BooleanField(
        label=_("both parties present in person"), required=False, initial=True
    )


class ReplacementForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("certificate"), choices=CertificateReplacement.Kind.choices)
    party_id_number = forms.ChoiceField(label=_("party"))
    issued_on = _date(_("issued on"))
    certificate_no = forms.CharField(label=_("new certificate number"), max_length=40)
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args: Any, parties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["party_id_number"]).choices = parties


class AgencyForm(AreaForm):
    name = forms.CharField(label=_("name"), max_length=200)
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=18)
    manager = forms.CharField(label=_("person in charge"), max_length=100, required=False)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)


class AgencyInspectionForm(BootstrapForm):
    inspected_on = _date(_("inspected on"))
    result = forms.ChoiceField(label=_("result"), choices=AgencyInspection.Result.choices)
    findings = forms.CharField(label=_("findings"), max_length=1000, required=False)
    rectify_by = _date(_("rectify by"), required=False, today=False)


# ---- place names


class PlaceNameForm(AreaForm):
    name = forms.CharField(label=_("name"), max_length=100)
    pinyin = forms.CharField(label=_("pinyin"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=PlaceName.Kind.choices)
    longitude = forms.CharField(label=_("longitude"), max_length=20, required=False)
    latitude = forms.CharField(label=_("latitude"), max_length=20, required=False)
    meaning = forms.CharField(label=_("origin and meaning"), max_length=300, required=False)


class NamingForm(AreaForm):
    kind = forms.ChoiceField(label=_("kind"), choices=NamingDecision.Kind.choices)
    place = forms.ModelChoiceField(
        label=_("name to change"), queryset=PlaceName.objects.none(), required=False
    )
    place_kind = forms.ChoiceField(
        label=_("kind of place"), choices=[("", "---"), *PlaceName.Kind.choices], required=False
    )
    new_name = forms.CharField(label=_("new name"), max_length=100)
    new_pinyin = forms.CharField(label=_("pinyin"), max_length=200)
    procedure = forms.ChoiceField(label=_("procedure"), choices=NamingDecision.Procedure.choices)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        cast(forms.ModelChoiceField, self.fields["place"]).queryset = places


class DecideForm(BootstrapForm):
    approve = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Approved or filed")), ("0", _("Rejected"))],
        coerce=lambda v: v == "1",
    )
    decided_on = _date(_("decided on"))
    document_no = forms.CharField(label=_("document number"), max_length=100, required=False)
    notice_on = _date(_("public notice on"), required=False, today=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class CorrectionForm(AreaForm):
    place = forms.ModelChoiceField(
        label=_("place name"), queryset=PlaceName.objects.none(), required=False
    )
    found_on = _date(_("found on"))
    problem = forms.CharField(label=_("problem"), max_length=300)

    def __init__(self, *args: Any, user: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        cast(forms.ModelChoiceField, self.fields["place"]).queryset = places


class CorrectionCloseForm(BootstrapForm):
    corrected_on = _date(_("corrected on"))
    correction = forms.CharField(label=_("correction"), max_length=300)


class EntryChangeForm(AreaForm):
    change = forms.ChoiceField(label=_("change"), choices=EntryChange.Change.choices)
    entry_name = forms.CharField(label=_("entry name"), max_length=100)
    entry_code = forms.CharField(label=_("12-digit code"), max_length=12)
    effective_on = _date(_("effective on"))
    detail = forms.CharField(label=_("what changed"), max_length=300, required=False)
    document_no = forms.CharField(label=_("document number"), max_length=100, required=False)


class BoundaryForm(AreaForm):
    name = forms.CharField(label=_("name"), max_length=200)
    parties = forms.CharField(label=_("the two sides"), max_length=200)
    length_km = forms.DecimalField(
        label=_("length (km)"), min_value=0, max_digits=8, decimal_places=2, initial=0
    )


class MarkerForm(BootstrapForm):
    number = forms.CharField(label=_("marker number"), max_length=40)
    longitude = forms.CharField(label=_("longitude"), max_length=20, required=False)
    latitude = forms.CharField(label=_("latitude"), max_length=20, required=False)
    condition = forms.ChoiceField(label=_("condition"), choices=BoundaryMarker.Condition.choices)


class BoundaryInspectionForm(BootstrapForm):
    inspected_on = _date(_("inspected on"))
    parties = forms.CharField(label=_("parties taking part"), max_length=300)
    markers_checked = forms.IntegerField(label=_("markers checked"), min_value=0)
    disputes = forms.CharField(
        label=_("disputes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
