"""Pages of the relief app. Views parse input, call one service, and render; reads go through
selectors (always scoped by the access policy)."""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civil_affairs.areas import policy
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.core.status import history
from civil_affairs.people.models import Person

from . import calc, forms, selectors, services
from .models import Application, Entitlement, HomelessCase, Review, VisitPhoto

S = Application.Status


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


# ---- households and the case search


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    """The case search: a full ID number or the start of a name; recent households otherwise."""
    policy.require(request.user, "household.view")
    query = request.GET.get("q", "").strip()
    page = _page_number(request)
    limit = selectors.SEARCH_LIMIT
    offset = (page - 1) * limit
    if query:
        rows: list[Any] = selectors.case_search(
            user=request.user, query=query, limit=limit, offset=offset
        )
    else:
        rows = selectors.recent_households(user=request.user, limit=limit, offset=offset)
    has_next = len(rows) > limit
    return render(
        request,
        "relief/household_list.html",
        {
            "query": query,
            "rows": rows[:limit],
            "page_number": page,
            "has_next": has_next,
            "may_create": policy.may(request.user, "household.create"),
        },
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "household.create")
    form = forms.HouseholdForm(request.POST or None, user=request.user)
    formset = forms.MemberFormSet(request.POST or None, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            household = services.household_create(
                actor=request.user,
                members=forms.member_rows(formset),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Household saved."))
            return redirect("relief:household_detail", pk=household.pk)
    return render(request, "relief/household_form.html", {"form": form, "formset": formset})


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    policy.require(request.user, "household.update", household)
    initial = {
        "area": household.area,
        "address": household.address,
        "registered_type": household.registered_type,
        "category": household.category,
    }
    form = forms.HouseholdForm(
        request.POST or None, user=request.user, household=household, initial=initial
    )
    formset = forms.MemberFormSet(
        request.POST or None, prefix="members", initial=forms.member_initial(household)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "area"}
        try:
            with transaction.atomic():
                services.household_update(actor=request.user, household=household, **data)
                services.household_set_members(
                    actor=request.user, household=household, members=forms.member_rows(formset)
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Household saved."))
            return redirect("relief:household_detail", pk=household.pk)
    return render(
        request,
        "relief/household_form.html",
        {"form": form, "formset": formset, "household": household},
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    means = calc.household_means(household)
    month = add_months(first_of_month(timezone.localdate()), 1)
    try:
        assets = calc.asset_failures(household, means, month)
    except ValidationError as exc:
        assets = exc.messages
    return render(
        request,
        "relief/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "means": means,
            "asset_failures": assets,
            "applications": selectors.household_applications(
                user=request.user, household=household
            ),
            "entitlements": selectors.household_entitlements(
                user=request.user, household=household
            ),
            "reviews": household.reviews.order_by("-due_date")[:5],
            "may_edit": policy.may(request.user, "household.update", household),
            "may_apply": policy.may(request.user, "application.create", household),
        },
    )


# ---- applications


@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    policy.require(request.user, "application.create", household)
    form = forms.ApplicationForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["person_id"] = data.pop("person")
        if not data.get("applied_on"):
            data.pop("applied_on")
        try:
            application = services.application_create(
                actor=request.user, household=household, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application registered."))
            return redirect("relief:application_detail", pk=application.pk)
    return render(request, "relief/application_form.html", {"form": form, "household": household})


@dataclass(frozen=True)
class Step:
    name: str
    label: Any
    form: type[Any]
    statuses: frozenset[str]
    actions: tuple[str, ...]
    call: Callable[..., Any]
    style: str = "primary"


def _visit(actor: Any, application: Application, data: dict[str, Any], files: Any) -> Any:
    return services.application_record_visit(
        actor=actor,
        application=application,
        visited_on=data["visited_on"],
        visitors=data["visitors"],
        findings=data["findings"],
        photos=data.get("photos") or [],
    )


CASEWORK = ("application.casework",)
APPROVERS = ("application.approve", "application.approve_delegated")
STEPS = [
    Step(
        "accept",
        gettext_lazy("Accept"),
        forms.AcceptForm,
        frozenset({S.APPLIED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_accept(
            actor=actor, application=a, note=d["note"]
        ),
    ),
    Step(
        "visit",
        gettext_lazy("Record the home visit"),
        forms.VisitForm,
        frozenset({S.ACCEPTED}),
        CASEWORK,
        _visit,
    ),
    Step(
        "request_crosscheck",
        gettext_lazy("Request the cross-check"),
        forms.AcceptForm,
        frozenset({S.VISITED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_request_crosscheck(
            actor=actor, application=a, note=d["note"]
        ),
    ),
    Step(
        "clear_crosscheck",
        gettext_lazy("Record the cross-check result"),
        forms.CrosscheckResultForm,
        frozenset({S.CROSSCHECK_REQUESTED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_clear_crosscheck(
            actor=actor, application=a, result=d["result"]
        ),
    ),
    Step(
        "start_notice",
        gettext_lazy("Start the public notice"),
        forms.NoticeForm,
        frozenset({S.CROSSCHECK_CLEARED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_start_notice(
            actor=actor, application=a, start=d["start"]
        ),
    ),
    Step(
        "submit",
        gettext_lazy("Submit to the township"),
        forms.SubmitForm,
        frozenset({S.IN_NOTICE}),
        CASEWORK,
        lambda actor, a, d, f: services.application_submit(
            actor=actor, application=a, objections=d["objections"]
        ),
    ),
    Step(
        "review",
        gettext_lazy("Pass the township review"),
        forms.ReviewForm,
        frozenset({S.SUBMITTED}),
        ("application.review",),
        lambda actor, a, d, f: services.application_review(
            actor=actor, application=a, opinion=d["opinion"]
        ),
    ),
    Step(
        "approve",
        gettext_lazy("Approve"),
        forms.ApproveForm,
        frozenset({S.REVIEWED}),
        APPROVERS,
        lambda actor, a, d, f: services.application_approve(
            actor=actor, application=a, note=d["note"]
        ),
        "success",
    ),
    Step(
        "pay_first",
        gettext_lazy("Pay first (urgent)"),
        forms.ApproveForm,
        frozenset({S.APPLIED}),
        APPROVERS,
        lambda actor, a, d, f: services.application_pay_first(
            actor=actor, application=a, note=d["note"]
        ),
        "warning",
    ),
    Step(
        "refuse",
        gettext_lazy("Refuse"),
        forms.ReasonForm,
        frozenset(Application.OPEN),
        ("application.refuse",),
        lambda actor, a, d, f: services.application_refuse(
            actor=actor, application=a, reason=d["reason"]
        ),
        "danger",
    ),
    Step(
        "withdraw",
        gettext_lazy("Withdraw"),
        forms.ReasonForm,
        frozenset(Application.OPEN),
        ("application.withdraw",),
        lambda actor, a, d, f: services.application_withdraw(
            actor=actor, application=a, reason=d["reason"]
        ),
        "secondary",
    ),
]
STEP_BY_NAME = {step.name: step for step in STEPS}


def _step_applies(step: Step, application: Application) -> bool:
    if step.name == "visit" and application.documents_pending:
        return True
    if step.name == "submit" and application.program == Application.Kind.TEMPORARY:
        return application.status in (S.IN_NOTICE, S.VISITED)
    if step.name == "pay_first":
        return (
            application.status == S.APPLIED
            and application.urgent
            and application.program == Application.Kind.TEMPORARY
        )
    return application.status in step.statuses


def _allowed_steps(user: Any, application: Application) -> list[Step]:
    return [
        step
        for step in STEPS
        if _step_applies(step, application)
        and any(policy.may(user, action, application) for action in step.actions)
    ]


def _estimate(application: Application) -> tuple[Any, str]:
    """The amount approval would give now, or why there would be none."""
    if not application.is_open or application.program == Application.Kind.TEMPORARY:
        return None, ""
    month = application.start_month or add_months(first_of_month(timezone.localdate()), 1)
    try:
        computed = calc.compute(
            program=application.program,
            household=application.household,
            person_id=application.person_id,
            month=month,
            coverage=application.coverage,
            self_care=application.self_care,
        )
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    return computed.amount, ""


def _application_page(
    request: HttpRequest,
    application: Application,
    bound: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    steps = _allowed_steps(request.user, application)
    step_forms = []
    for step in steps:
        if bound and bound["name"] == step.name:
            step_forms.append((step, bound["form"]))
        else:
            step_forms.append((step, step.form(prefix=step.name)))
    if bound and bound["name"] not in {step.name for step in steps}:
        # a step the case is not at (out of order): say why on the page
        error = " ".join(str(m) for messages in bound["form"].errors.values() for m in messages)
    estimate, estimate_problem = _estimate(application)
    return render(
        request,
        "relief/application_detail.html",
        {
            "application": application,
            "timeline": selectors.application_timeline(application=application),
            "steps": step_forms,
            "estimate": estimate,
            "estimate_problem": estimate_problem,
            "entitlements": application.entitlements.all(),
            "error": error,
        },
        status=status,
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, selectors.application_get(user=request.user, pk=pk))


@login_required
@require_POST
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    if step not in STEP_BY_NAME:
        raise Http404
    definition = STEP_BY_NAME[step]
    form = definition.form(request.POST, request.FILES, prefix=step)
    if not form.is_valid():
        return _application_page(request, application, {"name": step, "form": form}, status=400)
    try:
        definition.call(request.user, application, form.cleaned_data, request.FILES)
    except ValidationError as exc:
        add_service_errors(form, exc)
        application.refresh_from_db()
        return _application_page(request, application, {"name": step, "form": form}, status=400)
    except PermissionDenied as exc:
        application.refresh_from_db()
        return _application_page(request, application, error=str(exc), status=403)
    messages.success(request, _("Done: %(step)s.") % {"step": definition.label})
    return redirect("relief:application_detail", pk=application.pk)


@login_required
def visit_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(policy.scope(request.user, VisitPhoto.objects.all()), pk=pk)
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    return FileResponse(photo.image.open("rb"), content_type=content_type)


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """Reviewed cases waiting for approval (with bulk approve), and submitted cases waiting
    for the township's review."""
    may_approve = policy.may(request.user, "application.approve") or policy.may(
        request.user, "application.approve_delegated"
    )
    if not may_approve and not policy.may(request.user, "application.review"):
        raise PermissionDenied(_("Your role does not approve or review cases."))
    queue = list(selectors.approval_queue(user=request.user)) if may_approve else []
    failed: list[tuple[Application, str]] = []
    if request.method == "POST":
        form = forms.BulkApproveForm(request.POST, queue=queue)
        if form.is_valid():
            chosen = [a for a in queue if a.pk in set(form.cleaned_data["applications"])]
            approved, failed = services.application_approve_many(
                actor=request.user, applications=chosen, note=form.cleaned_data["note"]
            )
            if approved:
                messages.success(request, _("%(n)d cases approved.") % {"n": len(approved)})
            if not failed:
                return redirect("relief:approval_queue")
            queue = list(selectors.approval_queue(user=request.user))
        else:
            messages.error(request, _("Choose the cases to approve."))
    return render(
        request,
        "relief/approval_queue.html",
        {
            "queue": queue,
            "review_queue": selectors.review_queue(user=request.user)
            if policy.may(request.user, "application.review")
            else [],
            "failed": failed,
            "may_approve": may_approve,
        },
    )


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
    preview = []
    for entitlement in services.reviews.household_entitlements(household):
        try:
            computed = calc.compute_for_entitlement(entitlement, month)
            preview.append((entitlement, computed.amount, ""))
        except ValidationError as exc:
            preview.append((entitlement, None, " ".join(exc.messages)))
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
    rows = selectors.entitlement_list(user=request.user, program=program, status=status)
    return render(
        request,
        "relief/entitlement_list.html",
        {
            "rows": rows[:200],
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
            "open": case.status in (HomelessCase.Status.IN_STATION, HomelessCase.Status.LONG_STAY),
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
            person = (
                policy.scope(request.user, Person.objects.all())
                .filter(id_number=data.pop("id_number").strip().upper())
                .first()
            )
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
        month = (
            datetime.date.fromisoformat(f"{month_text}-01")
            if month_text
            else first_of_month(timezone.localdate())
        )
    except ValueError:
        month = first_of_month(timezone.localdate())
    return render(
        request,
        "relief/figures.html",
        {"figures": selectors.program_figures(user=request.user, month=month)},
    )
