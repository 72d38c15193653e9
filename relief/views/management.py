"""Pages: reviews due and their outcome, entitlements and their changes."""

from __future__ import annotations

from collections.abc import Callable
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
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.core.status import history
from civil_affairs.people.selectors import person_by_id_number

from .. import forms, selectors, services
from ..models import Application, Entitlement, Review
from .households import page_number

# ---- reviews


@login_required
def due_reviews(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "household.view")
    mine = request.GET.get("mine", "1") == "1" and policy.CASEWORKER in policy.roles(request.user)
    return render(
        request,
        "relief/due_reviews.html",
        {
            "reviews": selectors.due_reviews(user=request.user, mine=mine)[:500],
            "mine": mine,
            "today": timezone.localdate(),
        },
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    household = review.household
    form = forms.ReviewCompleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_complete(actor=request.user, review=review, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Review recorded."))
                return redirect("relief:household_detail", pk=household.pk)
        else:
            status = 400
    month = add_months(first_of_month(timezone.localdate()), 1)
    preview = selectors.review_preview(household=household, month=month)
    return render(
        request,
        "relief/review_detail.html",
        {
            "review": review,
            "household": household,
            "form": form,
            "preview": preview,
            "month": month,
            "may_complete": policy.may(request.user, "entitlement.review", review)
            and review.status != Review.Status.DONE,
        },
        status=status,
    )


# ---- entitlements


@login_required
def entitlement_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "household.view")
    program = request.GET.get("program", "")
    status = request.GET.get("status", "")
    page = page_number(request)
    limit = selectors.SEARCH_LIMIT
    offset = (page - 1) * limit
    rows = list(
        selectors.entitlement_list(user=request.user, program=program, status=status)[
            offset : offset + limit + 1
        ]
    )
    return render(
        request,
        "relief/entitlement_list.html",
        {
            "rows": rows[:limit],
            "page_number": page,
            "has_next": len(rows) > limit,
            "program": program,
            "status": status,
            "programs": Entitlement._meta.get_field("program").choices,
            "statuses": Entitlement.Status.choices,
        },
    )


ENTITLEMENT_ACTIONS: dict[str, Callable[..., Any]] = {
    "suspend": services.entitlement_suspend,
    "resume": services.entitlement_resume,
    "stop": services.entitlement_stop,
}


@login_required
def entitlement_payee(request: HttpRequest, pk: int) -> HttpResponse:
    """The care home or the contracted caregiver of extreme-poverty support."""
    entitlement = selectors.entitlement_get(user=request.user, pk=pk)
    policy.require(request.user, "entitlement.manage", entitlement)
    centralised = Application.SupportMode.CENTRALISED
    dispersed = entitlement.basis.get("support_mode") != centralised
    form = forms.CarePayeeForm(
        request.POST or None,
        dispersed=dispersed,
        initial={
            "payee_name": entitlement.payee_name,
            "payee_bank_name": entitlement.payee_bank_name,
            "payee_account": entitlement.payee_account,
            "caregiver": entitlement.caregiver.id_number if entitlement.caregiver else "",
            "caregiver_from": entitlement.caregiver_from or first_of_month(timezone.localdate()),
            "caregiver_to": entitlement.caregiver_to,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            caregiver = None
            if data.get("caregiver"):  # the number to a person; the service checks whose
                caregiver = person_by_id_number(user=request.user, id_number=data["caregiver"])
                if caregiver is None:
                    raise ValidationError(
                        {"caregiver": _("No one with this ID number is on file in your areas.")}
                    )
            services.entitlement_set_payee(
                actor=request.user,
                entitlement=entitlement,
                payee_name=data.get("payee_name", ""),
                payee_bank_name=data.get("payee_bank_name", ""),
                payee_account=data.get("payee_account", ""),
                caregiver_id=caregiver.pk if caregiver else None,
                caregiver_from=data.get("caregiver_from"),
                caregiver_to=data.get("caregiver_to"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("relief:entitlement_detail", pk=entitlement.pk)
    return render(
        request,
        "relief/entitlement_payee.html",
        {"entitlement": entitlement, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def entitlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entitlement = selectors.entitlement_get(user=request.user, pk=pk)
    form = forms.EntitlementActionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            common = {
                "actor": request.user,
                "entitlement": entitlement,
                "effective_month": data["effective_month"],
                "reason": data["reason"],
            }
            try:
                if data["action"] == "change_amount":
                    if data["monthly_amount"] is None:
                        raise ValidationError({"monthly_amount": _("Give the new amount.")})
                    services.entitlement_change_amount(
                        monthly_amount=data["monthly_amount"], **common
                    )
                elif data["action"] == "gradual_exit":
                    services.entitlement_gradual_exit(**common)
                else:
                    ENTITLEMENT_ACTIONS[data["action"]](**common)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return redirect("relief:entitlement_detail", pk=entitlement.pk)
        else:
            status = 400
    return render(
        request,
        "relief/entitlement_detail.html",
        {
            "entitlement": entitlement,
            "periods": entitlement.periods.order_by("valid_from"),
            "changes": history(entitlement),
            "form": form,
            "may_manage": policy.may(request.user, "entitlement.manage", entitlement),
        },
        status=status,
    )
