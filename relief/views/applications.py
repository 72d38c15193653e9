"""Pages: applications, the case timeline with the steps a role may take, the approval queue."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civil_affairs.areas import policy
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.months import add_months, first_of_month

from .. import calc, forms, rules, selectors, services
from ..models import Application, VisitPhoto
from ..steps import STEP_BY_NAME, allowed_steps

S = Application.Status

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


def _estimate(application: Application) -> tuple[Any, str]:
    """The amount approval would give now, or why there would be none."""
    if (
        not application.is_open
        or application.program == Application.Kind.TEMPORARY
        or application.household is None
    ):
        return None, ""
    month = application.start_month or add_months(first_of_month(timezone.localdate()), 1)
    try:
        computed = calc.compute(
            program=application.program,
            household=application.household,
            person_id=application.person_id,
            month=month,
            coverage=application.coverage,
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
    steps = allowed_steps(request.user, application)
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
    due = rules.due_date(application) if application.is_open else None
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
            "due": due,
            "overdue": due is not None and due < timezone.localdate(),
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
    # a stored photo always has a name (the stubs allow None, for a field left empty)
    content_type = mimetypes.guess_type(photo.image.name or "")[0] or "application/octet-stream"
    return FileResponse(photo.image.open("rb"), content_type=content_type)


def _approvable(user: Any) -> list[Application]:
    """The reviewed cases in the user's areas, each marked `approvable` when the user may
    approve it (a township approves only where approval is delegated, up to its limit):
    only those get a checkbox, and only those are accepted by the bulk form."""
    queue = list(selectors.approval_queue(user=user))
    for application in queue:
        application.approvable = services.may_approve(user, application)  # type: ignore[attr-defined]
    return queue


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """Reviewed cases waiting for approval (with bulk approve), and submitted cases waiting
    for the township's review."""
    may_approve = policy.may(request.user, "application.approve") or policy.may(
        request.user, "application.approve_delegated"
    )
    if not may_approve and not policy.may(request.user, "application.review"):
        raise PermissionDenied(_("Your role does not approve or review cases."))
    queue = _approvable(request.user) if may_approve else []
    failed: list[tuple[Application, str]] = []
    if request.method == "POST":
        form = forms.BulkApproveForm(
            request.POST,
            queue=[a for a in queue if a.approvable],  # type: ignore[attr-defined]
        )
        if form.is_valid():
            chosen = [a for a in queue if a.pk in set(form.cleaned_data["applications"])]
            approved, failed = services.application_approve_many(
                actor=request.user, applications=chosen, note=form.cleaned_data["note"]
            )
            if approved:
                messages.success(request, _("%(n)d cases approved.") % {"n": len(approved)})
            if not failed:
                return redirect("relief:approval_queue")
            queue = _approvable(request.user)
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
