"""Pages of the national rules: open cases with their due dates, the standing public list of
approved households, non-residents' temporary assistance, spot checks, a new payee, and the
low-income monitoring."""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import BootstrapForm, MonthField, add_service_errors
from civil_affairs.core.months import first_of_month
from civil_affairs.core.validators import mask_id_number

from .. import forms, selectors, services
from ..models import (
    Entitlement,
    HouseholdMember,
    MonitoredHousehold,
    MonitoringAlert,
    Program,
    SpotCheck,
)

# ---- open cases and their due dates


@login_required
def open_cases(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "household.view")
    return render(
        request,
        "relief/open_cases.html",
        {"cases": selectors.open_cases(user=request.user), "today": timezone.localdate()},
    )


# ---- the standing public list (长期公示): no login, masked, by area in the address


def _masked_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1)


def public_list(request: HttpRequest) -> HttpResponse:
    """Households approved for dibao and extreme-poverty support in an area, as the bureau
    publishes them: surname only and a masked ID number, the amount and since when."""
    code = (request.GET.get("area") or "").strip()
    area = Area.objects.filter(code=code).first() if code.isdigit() else None
    rows: list[dict[str, Any]] = []
    month = first_of_month(timezone.localdate())
    if area is not None:
        paying = (
            Entitlement.objects.filter(
                program__in=(Program.DIBAO, Program.EXTREME_POVERTY),
                area__code__startswith=area.code,
                start_month__lte=month,
            )
            .exclude(status=Entitlement.Status.STOPPED)
            .select_related("person", "area", "household")
            .order_by("area__code", "program", "id")[:2000]
        )
        for e in paying:
            rows.append(
                {
                    "name": _masked_name(e.person.name),
                    "id": mask_id_number(e.person.id_number),
                    "area": e.area.name,
                    "program": e.get_program_display(),
                    "members": e.basis.get("members_covered") or 1,
                    "amount": e.monthly_amount,
                    "since": e.start_month,
                }
            )
    townships = Area.objects.filter(level=Area.Level.TOWNSHIP).order_by("code")
    return render(
        request,
        "relief/public_list.html",
        {"area": area, "rows": rows, "townships": townships, "code": code},
        status=404 if code and area is None else 200,
    )


# ---- temporary assistance for a non-resident


@login_required
def non_resident_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "application.create")
    form = forms.NonResidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create_non_resident(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application registered."))
            return redirect("relief:application_detail", pk=application.pk)
    return render(request, "relief/non_resident_form.html", {"form": form})


# ---- spot checks of delegated approvals


class DrawForm(BootstrapForm):
    since = djforms.DateField(label=gettext_lazy("approved from"), widget=forms.DateInput())
    until = djforms.DateField(label=gettext_lazy("approved until"), widget=forms.DateInput())


class CheckForm(BootstrapForm):
    result = djforms.ChoiceField(
        label=gettext_lazy("result"),
        choices=[c for c in SpotCheck.Result.choices if c[0] != SpotCheck.Result.PENDING],
    )
    note = djforms.CharField(
        label=gettext_lazy("what the check found"),
        required=False,
        widget=djforms.Textarea(attrs={"rows": 2}),
    )


@login_required
def spot_checks(request: HttpRequest) -> HttpResponse:
    if not policy.may(request.user, "spotcheck.manage"):
        raise PermissionDenied(_("Spot checks are the county approvers'."))
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drawn = services.spot_check_draw(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)d approvals drawn.") % {"n": len(drawn)})
            return redirect("relief:spot_checks")
    checks = policy.scope(
        request.user, SpotCheck.objects.select_related("application__person", "application__area")
    )[:500]
    return render(
        request,
        "relief/spot_checks.html",
        {"form": form, "checks": checks, "check_form": CheckForm()},
    )


@login_required
@require_POST
def spot_check_record(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(policy.scope(request.user, SpotCheck.objects.all()), pk=pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.spot_check_record(actor=request.user, check=check, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Check recorded."))
    else:
        messages.error(request, _("Choose the result."))
    return redirect("relief:spot_checks")


# ---- a new payee when the head dies


class PayeeForm(BootstrapForm):
    person = djforms.TypedChoiceField(label=gettext_lazy("new head and payee"), coerce=int)
    effective_month = MonthField(label=gettext_lazy("from month"))
    reason = djforms.CharField(label=gettext_lazy("reason"), max_length=200)

    def __init__(self, *args: Any, household: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (m.person_id, m.person.name)
            for m in household.members.select_related("person")
            if m.relationship != HouseholdMember.Relationship.HEAD
        ]


@login_required
def change_payee(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    policy.require(request.user, "household.change_payee", household)
    form = PayeeForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_change_payee(
                actor=request.user,
                household=household,
                person_id=form.cleaned_data["person"],
                effective_month=form.cleaned_data["effective_month"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The household has a new head and payee."))
            return redirect("relief:household_detail", pk=household.pk)
    return render(request, "relief/change_payee.html", {"form": form, "household": household})


# ---- low-income monitoring


class MonitorForm(BootstrapForm):
    kind = djforms.ChoiceField(label=gettext_lazy("kind"), choices=MonitoredHousehold.Kind.choices)
    monthly_expenses = djforms.DecimalField(
        label=gettext_lazy("necessary expenses each month"),
        required=False,
        decimal_places=2,
        max_digits=14,
    )
    note = djforms.CharField(label=gettext_lazy("note"), required=False, max_length=300)


class ActForm(BootstrapForm):
    note = djforms.CharField(label=gettext_lazy("what was done"), max_length=300)


@login_required
def monitoring(request: HttpRequest) -> HttpResponse:
    """The watched households, and those whose income fell below the standard (the monthly
    job's list) for a caseworker to act on."""
    policy.require(request.user, "household.view")
    alerts = policy.scope(
        request.user,
        MonitoringAlert.objects.filter(status=MonitoringAlert.Status.OPEN).select_related(
            "monitored__household__area"
        ),
    ).order_by("-month", "id")[:500]
    watched = policy.scope(
        request.user,
        MonitoredHousehold.objects.filter(ended_on__isnull=True).select_related("household__area"),
    )[:500]
    return render(
        request,
        "relief/monitoring.html",
        {
            "alerts": alerts,
            "watched": watched,
            "act_form": ActForm(),
            "may_manage": policy.may(request.user, "monitoring.manage"),
        },
    )


@login_required
def monitoring_register(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    policy.require(request.user, "monitoring.manage", household)
    form = MonitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_register(
                actor=request.user, household=household, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The household is watched."))
            return redirect("relief:monitoring")
    return render(request, "relief/monitoring_form.html", {"form": form, "household": household})


@login_required
@require_POST
def monitoring_act(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(policy.scope(request.user, MonitoringAlert.objects.all()), pk=pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
        return redirect("relief:monitoring")
    try:
        services.monitoring_act(actor=request.user, alert=alert, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded."))
    return redirect("relief:monitoring")
