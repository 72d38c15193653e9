"""The children's pages: each parses a form, calls one service and shows scoped reads."""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.spreadsheet import Echo, cell_safe_value
from civil_affairs.core.status import history
from civil_affairs.people.services import export_logged

from . import forms, selectors, services
from .models import Allowance, Category, FollowUp, MandatoryReport, Risk

LIST_LIMIT = 200


def _area_param(request: HttpRequest) -> Area | None:
    code = request.GET.get("area", "").strip()
    if not code:
        return None
    return policy.scope(request.user, Area.objects.filter(code=code)).first()


def _date_param(request: HttpRequest, name: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def _import_url() -> str:
    return reverse("imports:upload", args=["children.registry"])


def _handle(form: Any, call: Any) -> Any:
    """Run a service with a valid form's data; its errors go onto the form."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# ---- the registry


@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "child.view")
    query = request.GET.get("q", "")
    category = request.GET.get("category", "")
    rows = selectors.children(
        user=request.user,
        query=query,
        category=category if category in Category.values else "",
        area=_area_param(request),
        risk_level=request.GET.get("risk", "") if request.GET.get("risk") in Risk.values else "",
    )
    return render(
        request,
        "children/child_list.html",
        {
            "children": rows[:LIST_LIMIT],
            "query": query,
            "category": category,
            "categories": Category.choices,
            "counts": selectors.registry_counts(user=request.user),
            "may_register": policy.may(request.user, "child.register"),
            "may_import": policy.may(request.user, "child.import"),
            "import_url": _import_url(),
        },
    )


@login_required
def child_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "child.register")
    form = forms.ChildForm(request.POST or None, user=request.user)
    if request.method == "POST":
        child = _handle(
            form, lambda data: services.child_register(actor=request.user, **form.service_input())
        )
        if child is not None:
            messages.success(request, _("The child is on the registry."))
            return redirect("children:child_detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form})


@login_required
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_get(user=request.user, pk=pk)
    which = request.POST.get("form", "")
    posted = request.POST if request.method == "POST" else None

    def bound(name: str, form_class: Any, **kwargs: Any) -> Any:
        return form_class(posted if which == name else None, prefix=name, **kwargs)

    update_form = bound(
        "update",
        forms.ChildUpdateForm,
        initial={
            "school": child.school,
            "in_full_time_education": child.in_full_time_education,
            "left_school_on": child.left_school_on,
            "risk_level": child.risk_level,
        },
    )
    guardian_form = bound("guardian", forms.GuardianForm)
    end_form = bound("end", forms.SituationEndForm)
    grant_form = bound("grant", forms.AllowanceGrantForm)
    change_form = bound("change", forms.AllowanceChangeForm)
    visit_form = bound("visit", forms.VisitForm)
    allowance = child.allowances.exclude(status=Allowance.Status.STOPPED).first()
    if request.method == "POST":
        user = request.user
        done: Any = None
        if which == "update":
            done = _handle(
                update_form, lambda d: services.child_update(actor=user, child=child, **d)
            )
        elif which == "guardian":
            done = _handle(
                guardian_form, lambda d: services.guardian_add(actor=user, child=child, **d)
            )
        elif which == "end":

            def end(d: dict[str, Any]) -> Any:
                situation = child.parents.filter(pk=d["situation"]).first()
                if situation is None:
                    raise Http404
                return services.parent_situation_end(
                    actor=user, situation=situation, ended_on=d["ended_on"], note=d["note"]
                )

            done = _handle(end_form, end)
        elif which == "grant":
            done = _handle(
                grant_form, lambda d: services.allowance_grant(actor=user, child=child, **d)
            )
        elif which == "change" and allowance is not None:
            done = _handle(change_form, lambda d: _change_allowance(user, allowance, d))
        elif which == "visit":
            done = _handle(
                visit_form, lambda d: services.visit_record(actor=user, child=child, **d)
            )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("children:child_detail", pk=child.pk)
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            "parents": child.parents.all(),
            "guardians": child.guardians.all(),
            "allowances": child.allowances.order_by("-start_month"),
            "allowance": allowance,
            "visits": child.visits.select_related("visitor")[:50],
            "follow_ups": child.follow_ups.order_by("-deadline"),
            "changes": history(child),
            "update_form": update_form,
            "guardian_form": guardian_form,
            "end_form": end_form,
            "grant_form": grant_form,
            "change_form": change_form,
            "visit_form": visit_form,
            "may_register": policy.may(request.user, "child.register", child),
            "may_grant": policy.may(request.user, "child_allowance.manage", child),
            "may_visit": policy.may(request.user, "child_visit.record", child),
        },
    )


def _change_allowance(user: Any, allowance: Allowance, data: dict[str, Any]) -> Allowance:
    action, month, reason = data["action"], data["effective_month"], data["reason"]
    if action == "resume":
        return services.allowance_resume(actor=user, allowance=allowance, reason=reason)
    if month is None:
        raise ValidationError({"effective_month": _("Give the month it takes effect.")})
    change = services.allowance_stop if action == "stop" else services.allowance_suspend
    return change(actor=user, allowance=allowance, effective_month=month, reason=reason)


@login_required
def child_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the registry the user may see, ID numbers masked; logged."""
    policy.require(request.user, "child.view")
    rows = selectors.children(user=request.user, query=request.GET.get("q", ""))
    export_logged(actor=request.user, what="children.csv", rows=rows.count())
    writer = csv.writer(Echo())
    header = [
        _("ID number"),
        _("name"),
        _("category"),
        _("village or community"),
        _("school"),
        _("in full-time education"),
        _("risk level"),
    ]

    def lines() -> Any:
        yield "\ufeff"
        yield writer.writerow(header)
        for child in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                map(
                    cell_safe_value,
                    [
                        child.person.masked_id_number,
                        child.person.name,
                        child.get_category_display(),
                        child.area.name,
                        child.school,
                        _("yes") if child.in_full_time_education else _("no"),
                        child.get_risk_level_display(),
                    ],
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="children.csv"'
    return response


# ---- follow-ups and overdue visits


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "child.view")
    open_only = request.GET.get("all") != "1"
    return render(
        request,
        "children/follow_up_list.html",
        {
            "follow_ups": selectors.follow_ups(user=request.user, open_only=open_only)[:LIST_LIMIT],
            "open_only": open_only,
            "today": timezone.localdate(),
        },
    )


@login_required
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(user=request.user, pk=pk)
    form = forms.FollowUpCloseForm(request.POST or None)
    if request.method == "POST":
        done = _handle(
            form,
            lambda d: services.follow_up_close(actor=request.user, follow_up=follow_up, **d),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("children:follow_up_list")
    return render(
        request,
        "children/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "form": form,
            "open": follow_up.status == FollowUp.Status.OPEN,
            "may_close": policy.may(request.user, "child_followup.close", follow_up),
        },
    )


@login_required
def overdue_visits(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "child.view")
    return render(
        request,
        "children/overdue_visits.html",
        {"rows": selectors.overdue_visits(user=request.user)},
    )


# ---- directors and supervisors


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "child.view")
    form = forms.AppointmentForm(request.POST or None, user=request.user)
    if request.method == "POST":
        policy.require(request.user, "child_staff.manage")
        done = _handle(form, lambda d: services.appointment_create(actor=request.user, **d))
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("children:staff")
    return render(
        request,
        "children/staff.html",
        {
            "appointments": selectors.appointments(user=request.user),
            "villages_without": selectors.areas_without(user=request.user, post="director"),
            "townships_without": selectors.areas_without(user=request.user, post="supervisor"),
            "form": form,
            "may_manage": policy.may(request.user, "child_staff.manage"),
        },
    )


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    which = request.POST.get("form", "")
    posted = request.POST if request.method == "POST" else None
    training_form = forms.TrainingForm(posted if which == "training" else None, prefix="training")
    end_form = forms.AppointmentEndForm(posted if which == "end" else None, prefix="end")
    if request.method == "POST":
        user = request.user
        done: Any = None
        if which == "training":
            done = _handle(
                training_form,
                lambda d: services.training_record(actor=user, appointment=appointment, **d),
            )
        elif which == "end":
            done = _handle(
                end_form,
                lambda d: services.appointment_end(actor=user, appointment=appointment, **d),
            )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("children:appointment_detail", pk=appointment.pk)
    return render(
        request,
        "children/appointment_detail.html",
        {
            "appointment": appointment,
            "trainings": appointment.trainings.all(),
            "training_form": training_form,
            "end_form": end_form,
            "may_manage": policy.may(request.user, "child_staff.manage", appointment),
        },
    )


# ---- mandatory reports: only for those who handle them


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    rows = selectors.mandatory_reports(user=request.user, query=query)
    form = forms.ReportForm(request.POST or None, user=request.user)
    if request.method == "POST":
        report = _handle(form, lambda d: services.mandatory_report_receive(actor=request.user, **d))
        if report is not None:
            messages.success(request, _("Saved."))
            return redirect("children:report_detail", pk=report.pk)
    return render(
        request,
        "children/report_list.html",
        {
            "reports": rows[:LIST_LIMIT],
            "query": query,
            "form": form,
            "may_manage": policy.may(request.user, "mandatory_report.manage"),
        },
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.mandatory_report_get(user=request.user, pk=pk)
    which = request.POST.get("form", "")
    posted = request.POST if request.method == "POST" else None
    refer_form = forms.ReportReferForm(posted if which == "refer" else None, prefix="refer")
    close_form = forms.ReportCloseForm(posted if which == "close" else None, prefix="close")
    if request.method == "POST":
        user = request.user
        done: Any = None
        if which == "refer":
            done = _handle(
                refer_form,
                lambda d: services.mandatory_report_refer(actor=user, report=report, **d),
            )
        elif which == "close":
            done = _handle(
                close_form,
                lambda d: services.mandatory_report_close(actor=user, report=report, **d),
            )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("children:report_detail", pk=report.pk)
    return render(
        request,
        "children/report_detail.html",
        {
            "report": report,
            "refer_form": refer_form,
            "close_form": close_form,
            "may_manage": policy.may(request.user, "mandatory_report.manage", report),
            "Status": MandatoryReport.Status,
            "changes": history(report),
        },
    )


@login_required
def report_export(request: HttpRequest) -> StreamingHttpResponse:
    rows = selectors.mandatory_reports(user=request.user, query=request.GET.get("q", ""))
    export_logged(actor=request.user, what="mandatory_reports.csv", rows=rows.count())
    writer = csv.writer(Echo())
    header = [
        _("received at"),
        _("area"),
        _("reporter"),
        _("child's name"),
        _("status"),
        _("referred to"),
        _("outcome"),
    ]

    def lines() -> Any:
        yield "\ufeff"
        yield writer.writerow(header)
        for report in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                map(
                    cell_safe_value,
                    [
                        f"{report.received_at:%Y-%m-%d %H:%M}",
                        report.area.name,
                        report.reporter,
                        report.child_name,
                        report.get_status_display(),
                        report.referred_to,
                        report.outcome,
                    ],
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mandatory_reports.csv"'
    return response


# ---- care activities


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "care_activity.view")
    form = forms.ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST":
        policy.require(request.user, "care_activity.record")
        done = _handle(form, lambda d: services.care_activity_record(actor=request.user, **d))
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("children:activity_list")
    rows = selectors.care_activities(
        user=request.user,
        area=_area_param(request),
        first=_date_param(request, "first"),
        last=_date_param(request, "last"),
    )
    return render(
        request,
        "children/activity_list.html",
        {
            "activities": rows[:LIST_LIMIT],
            "form": form,
            "may_record": policy.may(request.user, "care_activity.record"),
        },
    )
