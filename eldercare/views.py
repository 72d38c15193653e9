"""Elder care's pages. Views parse input, call one service, and render scoped selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.months import first_of_month
from civil_affairs.core.status import history
from civil_affairs.people.selectors import person_by_id_number

from . import forms, selectors, services
from .models import (
    CareWorker,
    Finding,
    HomeCareCentre,
    Inspection,
    Institution,
    Modification,
    OldAgeAllowance,
    Resident,
)

VIEW = "eldercare.view"


def _run(request: HttpRequest, form: Any, call: Callable[[], Any], to: str) -> HttpResponse | None:
    """Call the service if the form is valid; its errors go under the form's fields."""
    if not form.is_valid():
        return None
    try:
        call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, _("Saved."))
    return redirect(to)


def _bound(request: HttpRequest, name: str) -> Any:
    """The POST data for the form named `name` (pages with several forms), else None."""
    return request.POST if request.method == "POST" and request.POST.get("form") == name else None


def _filters(request: HttpRequest, qs: QuerySet[Any], date_field: str = "") -> QuerySet[Any]:
    """`?area=<code>` (within the user's areas: the queryset is scoped already) and
    `?from=&to=` on the list's date, as the report's figures link to them."""
    code = request.GET.get("area", "").strip()
    if code:
        lookup = policy.area_lookup(qs.model)
        qs = qs.filter(**{f"{lookup}__code__startswith": code})
    if date_field:
        first = parse_date(request.GET.get("from", "") or "")
        last = parse_date(request.GET.get("to", "") or "")
        if first:
            qs = qs.filter(**{f"{date_field}__gte": first})
        if last:
            qs = qs.filter(**{f"{date_field}__lte": last})
    return qs


def _safe_filters(request: HttpRequest, qs: QuerySet[Any], date_field: str = "") -> Any:
    try:
        return _filters(request, qs, date_field)
    except ValueError:  # an impossible date in the query: the whole list
        return qs


# ---- institutions and residents


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    rows = selectors.institutions(user=request.user, q=request.GET.get("q", "").strip()[:50])
    rows = _safe_filters(request, rows)
    return render(
        request,
        "eldercare/institution_list.html",
        {
            "rows": rows[:300],
            "q": request.GET.get("q", ""),
            "may_manage": policy.may(request.user, "institution.manage"),
            "may_import": policy.may(request.user, "institution.import"),
            "import_url": _import_url("eldercare.institutions"),
        },
    )


def _import_url(key: str) -> str:
    try:
        return reverse("imports:upload", args=[key])
    except NoReverseMatch:  # the staged import is not installed
        return ""


@login_required
def institution_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "institution.manage")
    form = forms.InstitutionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("eldercare:institution_detail", pk=institution.pk)
    return render(
        request,
        "eldercare/form.html",
        {
            "form": form,
            "title": _("New care institution"),
            "back": reverse("eldercare:institution_list"),
        },
    )


@login_required
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.get(request.user, Institution, pk)
    policy.require(request.user, "institution.manage", institution)
    initial = {
        f: getattr(institution, f)
        for f in (*services.institutions.INSTITUTION_FIELDS, "area", "credit_code")
    }
    form = forms.InstitutionForm(
        request.POST or None, user=request.user, institution=institution, initial=initial
    )
    if request.method == "POST":
        changes = lambda: {  # noqa: E731 - read after is_valid
            f: form.cleaned_data[f] for f in form.changed_data if f != "credit_code"
        }
        done = _run(
            request,
            form,
            lambda: services.institution_update(
                actor=request.user, institution=institution, **changes()
            ),
            reverse("eldercare:institution_detail", args=[pk]),
        )
        if done:
            return done
    return render(
        request,
        "eldercare/form.html",
        {
            "form": form,
            "title": institution.name,
            "back": reverse("eldercare:institution_detail", args=[pk]),
        },
    )


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.get(
        request.user, Institution, pk, Institution.objects.select_related("area")
    )
    here = reverse("eldercare:institution_detail", args=[pk])
    grade_form = forms.GradeForm(_bound(request, "grade"), prefix="grade")
    admit_form = forms.ResidentAdmitForm(_bound(request, "admit"), prefix="admit")
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "grade":
            policy.require(request.user, "institution.manage", institution)
            done = _run(
                request,
                grade_form,
                lambda: services.grade_record(
                    actor=request.user, institution=institution, **grade_form.cleaned_data
                ),
                here,
            )
        else:
            policy.require(request.user, "resident.manage", institution)
            done = _run(
                request,
                admit_form,
                lambda: services.resident_admit(
                    actor=request.user, institution=institution, **admit_form.cleaned_data
                ),
                here,
            )
        if done:
            return done
    residents = list(selectors.residents(user=request.user, institution=institution)[:500])
    return render(
        request,
        "eldercare/institution_detail.html",
        {
            "institution": institution,
            "grade": selectors.current_grade(institution),
            "grades": institution.grades.all(),
            "residents": residents,
            # the residents whom relief supports there as extreme poverty (centralised)
            "centralised": selectors.centralised_support([r.person_id for r in residents]),
            "inspections": selectors.inspections(user=request.user, institution=institution)[:50],
            "workers": selectors.care_workers(user=request.user).filter(institution=institution),
            "grade_form": grade_form,
            "admit_form": admit_form,
            "may_manage": policy.may(request.user, "institution.manage", institution),
            "may_residents": policy.may(request.user, "resident.manage", institution),
        },
    )


@login_required
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.get(
        request.user, Resident, pk, Resident.objects.select_related("person", "institution")
    )
    here = reverse("eldercare:resident_detail", args=[pk])
    care_form = forms.ResidentCareForm(
        _bound(request, "care"),
        prefix="care",
        initial={
            "ability_level": resident.ability_level,
            "assessed_on": resident.assessed_on,
            "vaccinated": resident.vaccinated,
            "vaccinated_on": resident.vaccinated_on,
        },
    )
    discharge_form = forms.DischargeForm(_bound(request, "discharge"), prefix="discharge")
    if request.method == "POST":
        policy.require(request.user, "resident.manage", resident)
        if request.POST.get("form") == "care":
            done = _run(
                request,
                care_form,
                lambda: services.resident_update(
                    actor=request.user, resident=resident, **care_form.cleaned_data
                ),
                here,
            )
        else:
            done = _run(
                request,
                discharge_form,
                lambda: services.resident_discharge(
                    actor=request.user, resident=resident, **discharge_form.cleaned_data
                ),
                here,
            )
        if done:
            return done
    return render(
        request,
        "eldercare/resident_detail.html",
        {
            "resident": resident,
            "centralised": resident.person_id
            in selectors.centralised_support([resident.person_id]),
            "care_form": care_form,
            "discharge_form": discharge_form,
            "may_manage": policy.may(request.user, "resident.manage", resident),
        },
    )


# ---- inspections and findings


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    form = forms.InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST":
        policy.require(request.user, "inspection.record")
        if form.is_valid():
            try:
                inspection = services.inspection_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("eldercare:inspection_detail", pk=inspection.pk)
    rows = _safe_filters(request, selectors.inspections(user=request.user), "inspected_on")
    return render(
        request,
        "eldercare/inspection_list.html",
        {
            "rows": rows[:300],
            "form": form,
            "may_record": policy.may(request.user, "inspection.record"),
        },
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.get(
        request.user, Inspection, pk, Inspection.objects.select_related("institution")
    )
    form = forms.FindingForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "inspection.record", inspection)
        done = _run(
            request,
            form,
            lambda: services.finding_add(
                actor=request.user, inspection=inspection, **form.cleaned_data
            ),
            reverse("eldercare:inspection_detail", args=[pk]),
        )
        if done:
            return done
    return render(
        request,
        "eldercare/inspection_detail.html",
        {
            "inspection": inspection,
            "findings": inspection.findings.select_related("verified_by"),
            "form": form,
            "today": timezone.localdate(),
            "may_record": policy.may(request.user, "inspection.record", inspection),
        },
    )


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.get(
        request.user,
        Finding,
        pk,
        Finding.objects.select_related("inspection__institution", "verified_by"),
    )
    form = forms.FindingCloseForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "finding.close", finding)
        done = _run(
            request,
            form,
            lambda: services.finding_close(
                actor=request.user, finding=finding, **form.cleaned_data
            ),
            reverse("eldercare:finding_detail", args=[pk]),
        )
        if done:
            return done
    return render(
        request,
        "eldercare/finding_detail.html",
        {
            "finding": finding,
            "form": form,
            "overdue": finding.status == Finding.Status.OPEN
            and finding.deadline < timezone.localdate(),
            "may_close": finding.status == Finding.Status.OPEN
            and policy.may(request.user, "finding.close", finding),
            "changes": history(finding),
        },
    )


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    rows = _safe_filters(request, selectors.overdue_findings(user=request.user))
    return render(
        request,
        "eldercare/overdue_list.html",
        {"rows": rows[:500], "today": timezone.localdate()},
    )


# ---- fund-raising screening


@login_required
def screening_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    form = forms.ScreeningForm(request.POST or None, user=request.user)
    if request.method == "POST":
        policy.require(request.user, "screening.record")
        done = _run(
            request,
            form,
            lambda: services.screening_record(actor=request.user, **form.service_values()),
            reverse("eldercare:screening_list"),
        )
        if done:
            return done
    rows = _safe_filters(request, selectors.screenings(user=request.user), "screened_on")
    return render(
        request,
        "eldercare/screening_list.html",
        {
            "rows": rows[:500],
            "form": form,
            "may_record": policy.may(request.user, "screening.record"),
        },
    )


# ---- home-care centres


@login_required
def centre_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    form = forms.CentreForm(request.POST or None, user=request.user)
    if request.method == "POST":
        policy.require(request.user, "centre.manage")
        if form.is_valid():
            try:
                centre = services.centre_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("eldercare:centre_detail", pk=centre.pk)
    status = request.GET.get("status", "")
    if status not in HomeCareCentre.Status.values:
        status = ""
    rows = _safe_filters(request, selectors.centres(user=request.user, status=status))
    return render(
        request,
        "eldercare/centre_list.html",
        {
            "rows": rows[:500],
            "form": form,
            "statuses": HomeCareCentre.Status.choices,
            "status": status,
            "may_manage": policy.may(request.user, "centre.manage"),
        },
    )


@login_required
def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.get(
        request.user, HomeCareCentre, pk, HomeCareCentre.objects.select_related("area")
    )
    form = forms.CentreAdvanceForm(request.POST or None, centre=centre)
    if request.method == "POST":
        policy.require(request.user, "centre.manage", centre)
        done = _run(
            request,
            form,
            lambda: services.centre_advance(actor=request.user, centre=centre, **form.cleaned_data),
            reverse("eldercare:centre_detail", args=[pk]),
        )
        if done:
            return done
    return render(
        request,
        "eldercare/centre_detail.html",
        {
            "centre": centre,
            "form": form,
            "may_manage": centre.status != HomeCareCentre.Status.OPERATING
            and policy.may(request.user, "centre.manage", centre),
            "changes": history(centre),
            "workers": selectors.care_workers(user=request.user).filter(centre=centre),
        },
    )


# ---- home modification


@login_required
def modification_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    form = forms.ModificationApplyForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "modification.apply")
        if form.is_valid():
            data = dict(form.cleaned_data)
            person = person_by_id_number(user=request.user, id_number=data.pop("id_number"))
            if person is None:
                form.add_error("id_number", _("Nobody with this ID number in your areas."))
            else:
                try:
                    modification = services.modification_apply(
                        actor=request.user, person=person, **data
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("eldercare:modification_detail", pk=modification.pk)
    status = request.GET.get("status", "")
    if status not in Modification.Status.values:
        status = ""
    rows = _safe_filters(
        request, selectors.modifications(user=request.user, status=status), "accepted_on"
    )
    return render(
        request,
        "eldercare/modification_list.html",
        {
            "rows": rows[:500],
            "form": form,
            "statuses": Modification.Status.choices,
            "status": status,
            "may_apply": policy.may(request.user, "modification.apply"),
        },
    )


@login_required
def modification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    modification = selectors.get(
        request.user, Modification, pk, Modification.objects.select_related("person", "area")
    )
    here = reverse("eldercare:modification_detail", args=[pk])
    assess_form = forms.ModificationAssessForm(_bound(request, "assess"), prefix="assess")
    works_form = forms.WorksForm(_bound(request, "works"), prefix="works")
    accept_form = forms.AcceptForm(_bound(request, "accept"), prefix="accept")
    refuse_form = forms.ReasonForm(_bound(request, "refuse"), prefix="refuse")
    if request.method == "POST":
        which = request.POST.get("form")
        actor = request.user
        calls: dict[str, tuple[Any, str, Callable[[], Any]]] = {
            "assess": (
                assess_form,
                "modification.manage",
                lambda: services.modification_assess(
                    actor=actor,
                    modification=modification,
                    assessed_on=assess_form.cleaned_data["assessed_on"],
                    lines=assess_form.lines(),
                ),
            ),
            "works": (
                works_form,
                "modification.manage",
                lambda: services.modification_start_works(
                    actor=actor, modification=modification, **works_form.cleaned_data
                ),
            ),
            "accept": (
                accept_form,
                "modification.accept",
                lambda: services.modification_accept(
                    actor=actor, modification=modification, **accept_form.cleaned_data
                ),
            ),
            "refuse": (
                refuse_form,
                "modification.manage",
                lambda: services.modification_refuse(
                    actor=actor, modification=modification, **refuse_form.cleaned_data
                ),
            ),
        }
        if which in calls:
            form, action, call = calls[which]
            policy.require(actor, action, modification)
            done = _run(request, form, call, here)
            if done:
                return done
    status = modification.status
    S = Modification.Status  # noqa: N806 - short for the table below
    return render(
        request,
        "eldercare/modification_detail.html",
        {
            "m": modification,
            "lines": modification.lines.select_related("item"),
            "assess_form": assess_form if status == S.APPLIED else None,
            "works_form": works_form if status == S.ASSESSED else None,
            "accept_form": accept_form if status == S.WORKS else None,
            "refuse_form": refuse_form if status in (S.APPLIED, S.ASSESSED) else None,
            "may_manage": policy.may(request.user, "modification.manage", modification),
            "may_accept": policy.may(request.user, "modification.accept", modification),
            "changes": history(modification),
        },
    )


# ---- care workers


@login_required
def careworker_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    form = forms.CareWorkerForm(request.POST or None, user=request.user)
    if request.method == "POST":
        policy.require(request.user, "careworker.manage")
        if form.is_valid():
            try:
                worker = services.careworker_create(actor=request.user, **form.service_values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("eldercare:careworker_detail", pk=worker.pk)
    rows = _safe_filters(request, selectors.care_workers(user=request.user))
    return render(
        request,
        "eldercare/careworker_list.html",
        {
            "rows": rows[:500],
            "form": form,
            "may_manage": policy.may(request.user, "careworker.manage"),
            "import_url": _import_url("eldercare.care_workers"),
        },
    )


@login_required
def careworker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.get(
        request.user,
        CareWorker,
        pk,
        CareWorker.objects.select_related("person", "institution", "centre"),
    )
    here = reverse("eldercare:careworker_detail", args=[pk])
    training_form = forms.TrainingForm(_bound(request, "training"), prefix="training")
    leave_form = forms.LeaveForm(_bound(request, "leave"), prefix="leave")
    if request.method == "POST":
        policy.require(request.user, "careworker.manage", worker)
        if request.POST.get("form") == "training":
            done = _run(
                request,
                training_form,
                lambda: services.training_record(
                    actor=request.user, worker=worker, **training_form.cleaned_data
                ),
                here,
            )
        else:
            done = _run(
                request,
                leave_form,
                lambda: services.careworker_leave(
                    actor=request.user, worker=worker, **leave_form.cleaned_data
                ),
                here,
            )
        if done:
            return done
    return render(
        request,
        "eldercare/careworker_detail.html",
        {
            "worker": worker,
            "trainings": worker.trainings.all(),
            "training_form": training_form,
            "leave_form": leave_form if worker.employed_until is None else None,
            "may_manage": policy.may(request.user, "careworker.manage", worker),
        },
    )


# ---- old-age allowance


@login_required
def allowance_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, VIEW)
    form = forms.AllowanceEnrolForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "allowance.enrol")
        if form.is_valid():
            person = person_by_id_number(
                user=request.user, id_number=form.cleaned_data["id_number"]
            )
            if person is None:
                form.add_error("id_number", _("Nobody with this ID number in your areas."))
            else:
                try:
                    allowance = services.allowance_enrol(
                        actor=request.user,
                        person=person,
                        applied_on=form.cleaned_data["applied_on"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("eldercare:allowance_detail", pk=allowance.pk)
    status = request.GET.get("status", "")
    if status not in OldAgeAllowance.Status.values:
        status = ""
    rows = list(
        _safe_filters(request, selectors.allowances(user=request.user, status=status))[:300]
    )
    month = first_of_month(timezone.localdate())
    for row in rows:
        row.tier = services.tier_in(row.person, row.area, month)
    return render(
        request,
        "eldercare/allowance_list.html",
        {
            "rows": rows,
            "form": form,
            "month": month,
            "statuses": OldAgeAllowance.Status.choices,
            "status": status,
            "may_enrol": policy.may(request.user, "allowance.enrol"),
        },
    )


@login_required
def allowance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allowance = selectors.get(
        request.user, OldAgeAllowance, pk, OldAgeAllowance.objects.select_related("person", "area")
    )
    form = forms.AllowanceActionForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "allowance.manage", allowance)

        def act() -> None:
            data = form.cleaned_data
            if data["action"] == "resume":
                services.allowance_resume(
                    actor=request.user, allowance=allowance, reason=data["reason"]
                )
                return
            call = (
                services.allowance_stop if data["action"] == "stop" else services.allowance_suspend
            )
            call(
                actor=request.user,
                allowance=allowance,
                effective_month=data["effective_month"],
                reason=data["reason"],
            )

        done = _run(request, form, act, reverse("eldercare:allowance_detail", args=[pk]))
        if done:
            return done
    month = first_of_month(timezone.localdate())
    return render(
        request,
        "eldercare/allowance_detail.html",
        {
            "a": allowance,
            "tier": services.tier_in(allowance.person, allowance.area, month),
            "tiers": services.allowances.tiers_of(allowance.person, allowance.area, month),
            "month": month,
            "form": form,
            "may_manage": allowance.status != OldAgeAllowance.Status.STOPPED
            and policy.may(request.user, "allowance.manage", allowance),
            "changes": history(allowance),
        },
    )
