"""Pages of social_orgs. Views parse input and call one service; reads go through the
selectors (the access policy); every form's errors come back under its fields."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import add_service_errors

from . import forms, selectors, services
from .models import ListEntry, LotterySales, Organisation


def _bound(request: HttpRequest, name: str) -> Any:
    """The POST data when this form was the one submitted (its button is `form=name`)."""
    return request.POST if request.method == "POST" and request.POST.get("form") == name else None


def _submit(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any]) -> bool:
    if not form.is_bound or not form.is_valid():
        return False
    try:
        call(dict(form.cleaned_data))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("Saved."))
    return True


def _day(request: HttpRequest, name: str) -> datetime.date | None:
    """A date of the query string (YYYY-MM-DD), or None when absent or not a real date."""
    try:
        return datetime.date.fromisoformat(request.GET.get(name, "")[:10])
    except ValueError:
        return None


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 1990 <= year <= 2100 else default


def _area_filter(request: HttpRequest) -> Area | None:
    code = request.GET.get("area", "").strip()
    return Area.objects.filter(code=code).first() if code.isdigit() else None


# ---- the registry


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    status = request.GET.get("status", "")
    rows = selectors.organisations(
        user=request.user,
        query=query,
        status=status if status in Organisation.Status.values else "",
    ).order_by("name", "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "social_orgs/organisation_list.html",
        {
            "page": page,
            "q": query,
            "status": status,
            "statuses": Organisation.Status.choices,
            "may_register": policy.may(request.user, "organisation.register")
            or policy.may(request.user, "organisation.file"),
            "may_import": policy.may(request.user, "organisation.import"),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not (
        policy.may(request.user, "organisation.register")
        or policy.may(request.user, "organisation.file")
    ):
        policy.require(request.user, "organisation.register")
    form = forms.OrganisationForm(request.POST or None, user=request.user)
    created: list[Organisation] = []
    if request.method == "POST" and _submit(
        request,
        form,
        lambda d: created.append(services.organisation_register(actor=request.user, **d)),
    ):
        return redirect("social_orgs:organisation_detail", pk=created[0].pk)
    return render(request, "social_orgs/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_get(user=request.user, pk=pk)
    user = request.user
    change = forms.ChangeForm(_bound(request, "change"), prefix="change")
    status = forms.StatusForm(_bound(request, "status"), prefix="status")
    inspection = forms.InspectionForm(_bound(request, "inspection"), prefix="inspection")
    evaluation = forms.EvaluationForm(_bound(request, "evaluation"), prefix="evaluation")
    listing = forms.ListEnterForm(_bound(request, "list"), prefix="list")
    charity = forms.CharityForm(_bound(request, "charity"), prefix="charity")
    calls: dict[str, tuple[Any, str, Callable[[dict[str, Any]], Any]]] = {
        "change": (
            change,
            "organisation.change",
            lambda d: services.organisation_change(
                actor=user, organisation=org, **change.changes()
            ),
        ),
        "status": (
            status,
            "organisation.change",
            lambda d: services.organisation_set_status(actor=user, organisation=org, **d),
        ),
        "inspection": (
            inspection,
            "annual_inspection.record",
            lambda d: services.inspection_record(actor=user, organisation=org, **d),
        ),
        "evaluation": (
            evaluation,
            "evaluation.record",
            lambda d: services.evaluation_record(actor=user, organisation=org, **d),
        ),
        "list": (
            listing,
            "orglist.manage",
            lambda d: services.list_enter(actor=user, organisation=org, **d),
        ),
        "charity": (
            charity,
            "charity.manage",
            lambda d: services.charity_recognise(actor=user, organisation=org, **d),
        ),
    }
    if request.method == "POST":
        name = request.POST.get("form", "")
        if name not in calls:
            policy.require(user, "organisation.change", org)
        else:
            form, action, call = calls[name]
            policy.require(user, action, org)
            if _submit(request, form, call):
                return redirect("social_orgs:organisation_detail", pk=org.pk)
    charity_row = getattr(org, "charity", None)
    return render(
        request,
        "social_orgs/organisation_detail.html",
        {
            "org": org,
            "changes": org.changes.all(),
            "inspections": org.inspections.all(),
            "evaluations": org.evaluations.all(),
            "entries": org.list_entries.all(),
            "charity": charity_row,
            "forms": [
                (name, form, _FORM_TITLES[name])
                for name, (form, action, _call) in calls.items()
                if policy.may(user, action, org)
                and (org.status == Organisation.Status.ACTIVE)
                and not (name == "charity" and charity_row is not None)
            ],
        },
    )


_FORM_TITLES = {
    "change": gettext_lazy("Record a change"),
    "status": gettext_lazy("Deregister or revoke"),
    "inspection": gettext_lazy("Record the annual inspection"),
    "evaluation": gettext_lazy("Record an evaluation grade"),
    "list": gettext_lazy("Put on a list"),
    "charity": gettext_lazy("Recognise as a charity"),
}


# ---- inspections and the lists


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    today = timezone.localdate()
    year = _year(request, today.year - 1)
    rows = selectors.inspections(user=request.user, year=None)
    area = _area_filter(request)
    rows = policy.within(rows, area)
    start, end = _day(request, "from"), _day(request, "to")
    if start and end:
        rows = rows.filter(reported_on__gte=start, reported_on__lte=end)
    else:
        rows = rows.filter(year=year)
    overdue = forms.OverdueForm(
        _bound(request, "overdue"), prefix="overdue", initial={"year": year, "on": today}
    )
    if request.method == "POST":
        policy.require(request.user, "orglist.manage")
        added: list[Any] = []
        if _submit(
            request,
            overdue,
            lambda d: added.extend(services.abnormal_list_overdue(actor=request.user, **d)),
        ):
            messages.info(
                request,
                _("%(n)d organisations put on the abnormal-activity list.") % {"n": len(added)},
            )
            return redirect("social_orgs:inspection_list")
    revocation: list[Organisation] = []
    revocation_error = ""
    try:
        revocation = selectors.revocation_candidates(user=request.user, year=year)
    except ValidationError as exc:
        revocation_error = " ".join(exc.messages)
    return render(
        request,
        "social_orgs/inspection_list.html",
        {
            "year": year,
            "rows": rows.order_by("organisation__name")[:500],
            "missing": policy.within(selectors.not_inspected(user=request.user, year=year), area),
            "revocation": revocation,
            "revocation_error": revocation_error,
            "overdue": overdue,
            "may_list": policy.may(request.user, "orglist.manage"),
        },
    )


@login_required
def list_entries(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    kind = request.GET.get("kind", ListEntry.Kind.ABNORMAL)
    if kind not in ListEntry.Kind.values:
        kind = ListEntry.Kind.ABNORMAL
    return render(
        request,
        "social_orgs/list_entries.html",
        {
            "kind": kind,
            "kinds": ListEntry.Kind.choices,
            "rows": selectors.list_entries(user=request.user, kind=kind)[:500],
            "may_manage": policy.may(request.user, "orglist.manage"),
        },
    )


@login_required
def list_entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.list_entry_get(user=request.user, pk=pk)
    form = forms.ListRemoveForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "orglist.manage", entry)
        if _submit(
            request, form, lambda d: services.list_remove(actor=request.user, entry=entry, **d)
        ):
            return redirect(f"{reverse('social_orgs:list_entries')}?kind={entry.kind}")
    return render(request, "social_orgs/simple_form.html", {"form": form, "title": str(entry)})


# ---- enforcement, charities


@login_required
def enforcement_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    may = policy.may(request.user, "enforcement.manage")
    form = forms.EnforcementForm(request.POST or None, user=request.user) if may else None
    if request.method == "POST":
        policy.require(request.user, "enforcement.manage")
        if _submit(request, form, lambda d: services.enforcement_open(actor=request.user, **d)):
            return redirect("social_orgs:enforcement_list")
    return render(
        request,
        "social_orgs/enforcement_list.html",
        {"rows": selectors.enforcement_cases(user=request.user)[:500], "form": form},
    )


@login_required
def enforcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.enforcement_case_get(user=request.user, pk=pk)
    form = forms.EnforcementCloseForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "enforcement.manage", case)
        if _submit(
            request, form, lambda d: services.enforcement_close(actor=request.user, case=case, **d)
        ):
            return redirect("social_orgs:enforcement_detail", pk=case.pk)
    return render(
        request,
        "social_orgs/enforcement_detail.html",
        {
            "case": case,
            "form": form
            if case.status == "open" and policy.may(request.user, "enforcement.manage", case)
            else None,
        },
    )


@login_required
def charity_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    year = _year(request, timezone.localdate().year)
    return render(
        request,
        "social_orgs/charity_list.html",
        {
            "rows": selectors.charities(user=request.user),
            "year": year,
            "total": selectors.donations_total(user=request.user, year=year),
        },
    )


@login_required
def charity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    charity = selectors.charity_get(user=request.user, pk=pk)
    form = forms.DonationForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "charity.manage", charity)
        if _submit(
            request,
            form,
            lambda d: services.donation_record(actor=request.user, charity=charity, **d),
        ):
            return redirect("social_orgs:charity_detail", pk=charity.pk)
    return render(
        request,
        "social_orgs/charity_detail.html",
        {
            "charity": charity,
            "donations": charity.donations.all(),
            "form": form if policy.may(request.user, "charity.manage", charity) else None,
        },
    )


# ---- stations, volunteers, the lottery


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    may = policy.may(request.user, "station.manage")
    form = forms.StationForm(request.POST or None, user=request.user) if may else None
    if request.method == "POST":
        policy.require(request.user, "station.manage")
        if _submit(request, form, lambda d: services.station_create(actor=request.user, **d)):
            return redirect("social_orgs:station_list")
    county = _area_filter(request) or Area.objects.filter(level=Area.Level.COUNTY).first()
    coverage = (
        selectors.station_coverage(user=request.user, area=county, on=timezone.localdate())
        if county
        else None
    )
    return render(
        request,
        "social_orgs/station_list.html",
        {"rows": selectors.stations(user=request.user), "form": form, "coverage": coverage},
    )


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(user=request.user, pk=pk)
    staff_form = forms.StaffForm(_bound(request, "staff"), prefix="staff")
    update_form = forms.StationUpdateForm(
        _bound(request, "update"),
        prefix="update",
        station=station,
        initial={"stars": station.stars, "villages": list(station.villages.all())},
    )
    if request.method == "POST":
        policy.require(request.user, "station.manage", station)
        if request.POST.get("form") == "staff":
            done = _submit(
                request,
                staff_form,
                lambda d: services.station_staff_add(actor=request.user, station=station, **d),
            )
        else:
            done = _submit(
                request,
                update_form,
                lambda d: services.station_update(actor=request.user, station=station, **d),
            )
        if done:
            return redirect("social_orgs:station_detail", pk=station.pk)
    may = policy.may(request.user, "station.manage", station)
    return render(
        request,
        "social_orgs/station_detail.html",
        {
            "station": station,
            "staff_form": staff_form if may else None,
            "update_form": update_form if may else None,
        },
    )


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    may = policy.may(request.user, "volunteer.manage")
    form = forms.VolunteerForm(request.POST or None, user=request.user) if may else None
    if request.method == "POST":
        policy.require(request.user, "volunteer.manage")
        if _submit(request, form, lambda d: services.volunteer_register(actor=request.user, **d)):
            return redirect("social_orgs:volunteer_list")
    rows = selectors.volunteers(user=request.user)
    return render(
        request,
        "social_orgs/volunteer_list.html",
        {"page": Paginator(rows, 50).get_page(request.GET.get("page")), "form": form},
    )


@login_required
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_get(user=request.user, pk=pk)
    form = forms.ServiceForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "volunteer.manage", volunteer)
        if _submit(
            request,
            form,
            lambda d: services.volunteer_service_record(
                actor=request.user, volunteer=volunteer, **d
            ),
        ):
            return redirect("social_orgs:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "social_orgs/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "services_given": volunteer.services.all(),
            "form": form if policy.may(request.user, "volunteer.manage", volunteer) else None,
        },
    )


@login_required
def lottery(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organisation.view")
    year = _year(request, timezone.localdate().year)
    may = policy.may(request.user, "lottery.manage")
    sales = forms.SalesForm(_bound(request, "sales"), prefix="sales", user=request.user)
    fund = forms.FundUseForm(_bound(request, "fund"), prefix="fund", user=request.user)
    if request.method == "POST":
        policy.require(request.user, "lottery.manage")
        if request.POST.get("form") == "sales":
            done = _submit(
                request, sales, lambda d: services.lottery_sales_record(actor=request.user, **d)
            )
        else:
            done = _submit(
                request, fund, lambda d: services.fund_use_record(actor=request.user, **d)
            )
        if done:
            return redirect(f"{reverse('social_orgs:lottery')}?year={year}")
    return render(
        request,
        "social_orgs/lottery.html",
        {
            "year": year,
            "by_channel": [
                {**row, "channel": LotterySales.Channel(row["channel"]).label}
                for row in selectors.lottery_by_channel(user=request.user, year=year)
            ],
            "sales": selectors.lottery_sales(user=request.user, year=year),
            "by_project": selectors.fund_by_project(user=request.user, year=year),
            "sales_form": sales if may else None,
            "fund_form": fund if may else None,
        },
    )
