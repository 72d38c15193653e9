"""Forms of the cross-check pages. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm, Form, MonthField

from . import selectors
from .kinds import LIST_KINDS, Kind, fields_of
from .models import Action, MatchRun, Severity, Warning

DELIMITER_CHOICES = [
    (",", _("comma (,)")),
    ("\t", _("tab")),
    (";", _("semicolon (;)")),
    ("|", _("vertical bar (|)")),
]


class ListUploadForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("kind of list"), choices=[(k.value, k.label) for k in LIST_KINDS]
    )
    area = forms.ModelChoiceField(
        label=_("area covered"), queryset=Area.objects.none(), empty_label=None
    )
    valid_on = forms.DateField(
        label=_("valid for"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    source = forms.CharField(label=_("source department"), max_length=200)
    file = forms.FileField(
        label=_("file"),
        help_text=_("CSV (UTF-8 or GBK) or Excel xlsx; the first row holds the column headings."),
    )
    delimiter = forms.ChoiceField(label=_("delimiter (CSV)"), choices=DELIMITER_CHOICES)

    def __init__(self, *args: Any, user: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = selectors.areas_for(user=user, action="crosscheck.upload").order_by("code")
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].widget.attrs["class"] = "form-select"
        mapping, delimiter = selectors.mapping_for(kind)
        self.list_kind = kind
        self.fields["kind"].initial = kind
        self.fields["kind"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-target": "#upload-form",
                "hx-select": "#upload-form",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )
        self.fields["delimiter"].initial = delimiter
        self.fields["area"].initial = areas.first()
        self.fields["valid_on"].initial = timezone.localdate()
        for field in fields_of(kind):
            name = f"col_{field.name}"
            self.fields[name] = forms.CharField(
                label=_("Column for: %(field)s") % {"field": field.label},
                required=field.required,
                initial=mapping.get(field.name, ""),
                help_text=_("required") if field.required else _("optional"),
            )
            self.fields[name].widget.attrs["class"] = "form-control"
            self.fields[name].widget.attrs["data-mapping"] = field.name

    def mapping(self) -> dict[str, str]:
        return {
            f.name: self.cleaned_data.get(f"col_{f.name}") or "" for f in fields_of(self.list_kind)
        }

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{f.name}"] for f in fields_of(self.list_kind)]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("kind", "area", "valid_on", "source", "file", "delimiter")]


class RunStartForm(BootstrapForm):
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.none(), empty_label=None)
    checks = forms.MultipleChoiceField(
        label=_("checks"),
        choices=MatchRun.Check.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=MatchRun.Check.values,
    )
    as_of = forms.DateField(
        label=_("as of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = selectors.areas_for(user=user, action="crosscheck.run").order_by("code")
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].initial = areas.first()
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["checks"].widget.attrs["class"] = "form-check-input"


class QueueFilterForm(Form):
    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("any status")), *Warning.Status.choices],
        required=False,
        initial=Warning.Status.OPEN,
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("any kind")), *Kind.choices], required=False
    )
    severity = forms.ChoiceField(
        label=_("severity"), choices=[("", _("any severity")), *Severity.choices], required=False
    )
    min_age_days = forms.IntegerField(
        label=_("at least days old"), min_value=0, max_value=36500, required=False
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    mine = forms.BooleanField(label=_("my households only"), required=False)
    area = forms.CharField(label=_("area code"), required=False, max_length=12)
    q = forms.CharField(label=_("name or ID number"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else (
                    "form-select form-select-sm"
                    if isinstance(field.widget, forms.Select)
                    else "form-control form-control-sm"
                )
            )
            field.widget.attrs["class"] = css
            field.widget.attrs["id"] = f"filter-{name}"

    def filters(self) -> selectors.QueueFilter:
        data = self.cleaned_data if self.is_valid() else {}
        # no status in the query: open warnings; an empty one: any status
        status = data.get("status", "") if "status" in self.data else Warning.Status.OPEN
        return selectors.QueueFilter(
            status=status,
            kind=data.get("kind") or "",
            severity=data.get("severity") or "",
            min_age_days=data.get("min_age_days"),
            overdue=bool(data.get("overdue")),
            area=data.get("area") or "",
            q=data.get("q") or "",
            mine=bool(data.get("mine")),
        )


class ConfirmForm(BootstrapForm):
    action = forms.ChoiceField(label=_("what happens to the benefit"), choices=[])
    effective_month = MonthField(
        label=_("from month"),
        help_text=_("The first month no longer paid (or paid at the new amount)."),
    )
    new_amount = forms.DecimalField(
        label=_("new monthly amount"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    benefits = forms.MultipleChoiceField(
        label=_("benefits"), choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    also_identical = forms.BooleanField(
        label=_("also resolve the other open warnings with the same evidence"), required=False
    )

    def __init__(
        self, *args: Any, warning: Warning, affected: list[selectors.BenefitRow], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        actions = [Action.STOP, Action.SUSPEND, Action.CHANGE_AMOUNT]
        if warning.suggested_action == Action.REVIEW:
            actions.append(Action.KEEP)
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [(a.value, a.label) for a in actions]
        self.fields["action"].initial = (
            warning.suggested_action if warning.suggested_action != Action.REVIEW else Action.KEEP
        )
        if warning.suggested_month:
            self.fields["effective_month"].initial = f"{warning.suggested_month:%Y-%m}"
        ticked = self.fields["benefits"]
        assert isinstance(ticked, forms.MultipleChoiceField)
        ticked.choices = [
            (
                row.benefit.ref,
                " · ".join(
                    str(part)
                    for part in (
                        row.benefit.program_label,
                        row.benefit.monthly_amount,
                        row.area_name,
                    )
                    if part is not None and part != ""
                ),
            )
            for row in affected
        ]
        ticked.initial = [row.benefit.ref for row in affected]
        ticked.widget.attrs["class"] = "form-check-input"


class DismissForm(BootstrapForm):
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    also_identical = forms.BooleanField(
        label=_("also dismiss the other open warnings with the same evidence"), required=False
    )


class BulkForm(BootstrapForm):
    """Resolve the warnings ticked in the queue (the service requires identical evidence)."""

    DECISIONS = [("dismiss", _("Dismiss")), ("confirm", _("Confirm"))]

    decision = forms.ChoiceField(label=_("decision"), choices=DECISIONS)
    reason = forms.CharField(label=_("reason or note"), required=False, max_length=2000)
    action = forms.ChoiceField(
        label=_("action (confirm)"),
        choices=[(a.value, a.label) for a in (Action.STOP, Action.SUSPEND, Action.KEEP)],
        required=False,
    )
    effective_month = MonthField(label=_("from month (confirm)"), required=False)
