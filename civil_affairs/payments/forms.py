"""Forms parse input only; the rules are the services'."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm, MonthField
from civil_affairs.core.months import add_months, first_of_month

from . import providers
from .models import Payment


def program_choices() -> list[tuple[str, str]]:
    return [(p, providers.label_of(p)) for p in providers.payroll_programs()]


def next_payroll_month() -> datetime.date:
    """The month the generate form proposes: the first month without a regular payroll,
    after the latest one generated (or from next month when there is none yet)."""
    from .models import Payroll

    made = set(
        Payroll.objects.filter(kind=Payroll.Kind.REGULAR)
        .exclude(status=Payroll.Status.CANCELLED)
        .values_list("month", flat=True)
    )
    month = (
        add_months(max(made), 1) if made else add_months(first_of_month(timezone.localdate()), 1)
    )
    while month in made:
        month = add_months(month, 1)
    return month


class GenerateForm(BootstrapForm):
    month = MonthField(label=_("payroll month"))
    programs = forms.MultipleChoiceField(
        label=_("programs"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("areas"),
        queryset=Area.objects.none(),
        help_text=_("The county, or some townships."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programs = cast(forms.MultipleChoiceField, self.fields["programs"])
        programs.choices = program_choices()
        programs.widget.attrs["class"] = ""
        areas = policy.scope(
            user,
            Area.objects.filter(level__in=[Area.Level.COUNTY, Area.Level.TOWNSHIP]),
            "payroll.generate",
        )
        cast(forms.ModelMultipleChoiceField, self.fields["areas"]).queryset = areas.order_by("code")
        if not self.is_bound:
            self.initial.setdefault("month", next_payroll_month())
            self.initial.setdefault("programs", [c for c, _label in program_choices()])
            top = areas.order_by("code").first()
            if top is not None:
                self.initial.setdefault("areas", [top.pk])


class NoteForm(BootstrapForm):
    note = forms.CharField(
        label=_("note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HoldForm(BootstrapForm):
    reason = forms.CharField(label=_("reason held"), max_length=300)


class BankReturnForm(BootstrapForm):
    file = forms.FileField(
        label=_("the bank's result file"),
        help_text=_("Fixed-width GB18030 text as the bank returns it (see the layout)."),
    )
    encoding = forms.ChoiceField(
        label=_("the file's encoding"),
        required=False,
        choices=[
            ("", _("detect (GB18030, or UTF-8 when the whole file is UTF-8)")),
            ("gb18030", "GB18030 / GBK"),
            ("utf-8", "UTF-8"),
        ],
    )


class AccountForm(BootstrapForm):
    bank_name = forms.CharField(label=_("bank"), max_length=100)
    bank_account = forms.CharField(label=_("new bank account"), max_length=40)


class ReissueForm(BootstrapForm):
    payments = forms.ModelMultipleChoiceField(
        label=_("rows"), queryset=Payment.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    month = MonthField(label=_("payroll month"), required=False)
    same_account = forms.BooleanField(
        label=_("pay to the same account again (the bank's problem was not the account)"),
        required=False,
    )
    note = forms.CharField(label=_("note"), required=False, max_length=1000)

    def __init__(self, *args: Any, rows: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        payments = cast(forms.ModelMultipleChoiceField, self.fields["payments"])
        payments.queryset = rows
        payments.widget.attrs["class"] = ""


class AllocationForm(BootstrapForm):
    program = forms.ChoiceField(label=_("program"), choices=())
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=14, decimal_places=2)
    booked_on = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    reference = forms.CharField(label=_("document number"), max_length=100)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["program"]).choices = program_choices()


class RecoverForm(BootstrapForm):
    amount = forms.DecimalField(label=_("amount recovered"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("reason"), max_length=300)
