"""Pages: homeless relief, charity medical aid, figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.months import first_of_month, parse_month
from civil_affairs.core.status import history
from civil_affairs.people.selectors import person_by_id_number

from .. import forms, selectors, services
from ..models import HomelessCase

# ---- homeless relief, medical aid, figures


@login_required
def homeless_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "household.view")
    zones = selectors.patrol_zones(user=request.user)
    may_manage = policy.may(request.user, "homeless.manage")
    form = forms.HomelessIntakeForm(request.POST or None, user=request.user, zones=zones)
    if request.method == "POST":
        policy.require(request.user, "homeless.manage")
        if form.is_valid():
            try:
                case = services.homeless_intake(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Taken in."))
                return redirect("relief:homeless_detail", pk=case.pk)
    return render(
        request,
        "relief/homeless_list.html",
        {
            "cases": selectors.homeless_cases(user=request.user)[:200],
            "zones": zones,
            "form": form,
            "may_manage": may_manage,
        },
    )


@login_required
def homeless_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.homeless_case_get(user=request.user, pk=pk)
    service_form = forms.HomelessServiceForm(
        request.POST if request.POST.get("form") == "service" else None, prefix="service"
    )
    close_form = forms.HomelessCloseForm(
        request.POST if request.POST.get("form") == "close" else None, prefix="close"
    )
    if request.method == "POST":
        policy.require(request.user, "homeless.manage", case)
        form: Any = service_form if request.POST.get("form") == "service" else close_form
        if form.is_valid():
            try:
                if form is service_form:
                    services.homeless_give_service(
                        actor=request.user, case=case, **form.cleaned_data
                    )
                else:
                    services.homeless_close(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("relief:homeless_detail", pk=case.pk)
    return render(
        request,
        "relief/homeless_detail.html",
        {
            "case": case,
            "services_given": case.services.all(),
            "service_form": service_form,
            "close_form": close_form,
            "open": case.status in HomelessCase.OPEN,
            "may_manage": policy.may(request.user, "homeless.manage", case),
            "changes": history(case),
        },
    )


@login_required
def medical_aid(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "household.view")
    form = forms.MedicalAidForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "medical_aid.record")
        if form.is_valid():
            data = dict(form.cleaned_data)
            person = person_by_id_number(user=request.user, id_number=data.pop("id_number"))
            if person is None:
                form.add_error("id_number", _("Nobody with this ID number in your areas."))
            else:
                try:
                    services.medical_aid_record(actor=request.user, person=person, **data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("relief:medical_aid")
    year = timezone.localdate().year
    rows = selectors.medical_aid_list(user=request.user)
    return render(
        request,
        "relief/medical_aid.html",
        {
            "rows": rows.order_by("-treated_on", "-id")[:200],
            "form": form,
            "figures": selectors.program_figures(user=request.user),
            "year": year,
            "may_record": policy.may(request.user, "medical_aid.record"),
        },
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "household.view")
    month_text = request.GET.get("month", "")
    try:
        month = parse_month(month_text) if month_text else first_of_month(timezone.localdate())
    except ValueError:
        month = first_of_month(timezone.localdate())
    return render(
        request,
        "relief/figures.html",
        {"figures": selectors.program_figures(user=request.user, month=month)},
    )
