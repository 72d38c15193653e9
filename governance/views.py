"""Pages of governance. Views parse input and call one service; reads go through the
selectors (the access policy); every form's errors come back under its fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.status import history

from . import forms, selectors, services
from .models import Committee, Deliberation, ListItem, Vacancy, VillageRules


def _bound(request: HttpRequest, name: str) -> Any:
    """The POST data when this form was the one submitted (its button is `form=name`)."""
    return request.POST if request.method == "POST" and request.POST.get("form") == name else None


def _submit(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any]) -> Any:
    """Call the service with the form's data; its errors go under the fields. Returns what
    the service returned, or None when nothing was saved."""
    if form is None or not form.is_bound or not form.is_valid():
        return None
    try:
        result = call(dict(form.cleaned_data))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, _("Saved."))
    return result if result is not None else True


def _area_filter(request: HttpRequest) -> Area | None:
    code = request.GET.get("area", "").strip()
    return Area.objects.filter(code=code).first() if code.isdigit() else None


def _year(request: HttpRequest, default: int) -> int:
    try:
        return int(request.GET.get("year", default))
    except ValueError:
        return default


# ---- committees, members, vacancies


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "committee.view")
    may = policy.may(request.user, "committee.manage")
    form = forms.CommitteeForm(request.POST or None, user=request.user) if may else None
    if request.method == "POST":
        policy.require(request.user, "committee.manage")
        committee = _submit(
            request, form, lambda d: services.committee_elect(actor=request.user, **d)
        )
        if committee:
            return redirect("governance:committee_detail", pk=committee.pk)
    rows = selectors.committees(user=request.user).order_by("area__code", "kind")
    kind = request.GET.get("kind", "")
    if kind in Committee.Kind.values:
        rows = rows.filter(kind=kind)
    area = _area_filter(request)
    if area is not None:
        rows = rows.filter(area__code__startswith=area.code)
    return render(
        request,
        "governance/committee_list.html",
        {
            "rows": rows[:500],
            "kind": kind,
            "kinds": Committee.Kind.choices,
            "without_women": selectors.without_women(user=request.user),
            "lacking": selectors.villages_lacking(user=request.user),
            "form": form,
            "may_import": policy.may(request.user, "committee.import"),
        },
    )


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(user=request.user, pk=pk)
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "committee.manage", committee)
        if _submit(
            request,
            form,
            lambda d: services.member_add(actor=request.user, committee=committee, **d),
        ):
            return redirect("governance:committee_detail", pk=committee.pk)
    may = policy.may(request.user, "committee.manage", committee)
    return render(
        request,
        "governance/committee_detail.html",
        {
            "committee": committee,
            "members": committee.members.order_by("left_on", "post", "name"),
            "subcommittees": committee.subcommittees.all(),
            "warnings": services.committee_warnings(committee),
            "vacancies": committee.vacancies.filter(status__in=Vacancy.PENDING),
            "form": form if may and committee.dissolved_on is None else None,
            "may_manage": may,
        },
    )


@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    form = forms.LeaveForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "committee.manage", member)
        vacancy = _submit(
            request, form, lambda d: services.member_leave(actor=request.user, member=member, **d)
        )
        if vacancy:
            return redirect("governance:vacancy_detail", pk=vacancy.pk)
    return render(
        request,
        "governance/simple_form.html",
        {"form": form, "title": _("%(name)s leaves the committee") % {"name": member.name}},
    )


@login_required
def vacancy_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "committee.view")
    return render(
        request,
        "governance/vacancy_list.html",
        {"rows": selectors.vacancies(user=request.user).order_by("arose_on", "pk")[:500]},
    )


@login_required
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    check = forms.EligibilityForm(_bound(request, "check"), prefix="check")
    election = forms.ByElectionForm(_bound(request, "election"), prefix="election")
    if request.method == "POST":
        policy.require(request.user, "committee.manage", vacancy)
        if request.POST.get("form") == "election":
            done = _submit(
                request,
                election,
                lambda d: services.vacancy_record_by_election(
                    actor=request.user, vacancy=vacancy, **d
                ),
            )
        else:
            done = _submit(
                request,
                check,
                lambda d: services.vacancy_check_eligibility(
                    actor=request.user, vacancy=vacancy, **d
                ),
            )
        if done:
            if vacancy.status == Vacancy.Status.FILLED:
                return redirect("governance:vacancy_list")
            return redirect("governance:vacancy_detail", pk=vacancy.pk)
    may = policy.may(request.user, "committee.manage", vacancy)
    return render(
        request,
        "governance/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "check_form": check
            if may and (vacancy.status in Vacancy.PENDING or check.is_bound)
            else None,
            "election_form": election
            if may and (vacancy.status == Vacancy.Status.CHECKED or election.is_bound)
            else None,
            "changes": history(vacancy),
        },
    )


# ---- the three lists and certificates


@login_required
def list_items(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "committee.view")
    may = policy.may(request.user, "village_list.manage")
    form = forms.ListItemForm(request.POST or None, user=request.user) if may else None
    if request.method == "POST":
        policy.require(request.user, "village_list.manage")
        if _submit(request, form, lambda d: services.list_item_add(actor=request.user, **d)):
            return redirect("governance:list_items")
    rows = selectors.list_items(user=request.user)
    return render(
        request,
        "governance/list_items.html",
        {
            "lists": [(label, rows.filter(kind=kind)) for kind, label in ListItem.Kind.choices],
            "form": form,
        },
    )


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "committee.view")
    may_cancel = policy.may(request.user, "village_list.manage")
    may_request = policy.may(request.user, "certificate.request")
    cancel = (
        forms.CancelForm(_bound(request, "cancel"), prefix="cancel", user=request.user)
        if may_cancel
        else None
    )
    ask = (
        forms.RequestForm(_bound(request, "request"), prefix="request", user=request.user)
        if may_request
        else None
    )
    if request.method == "POST":
        if request.POST.get("form") == "cancel":
            policy.require(request.user, "village_list.manage")
            if _submit(
                request, cancel, lambda d: services.certificate_cancel(actor=request.user, **d)
            ):
                return redirect("governance:certificate_list")
        else:
            policy.require(request.user, "certificate.request")
            result = _submit(
                request, ask, lambda d: services.certificate_request(actor=request.user, **d)
            )
            if result:
                if result.outcome == result.Outcome.REFUSED:
                    messages.warning(
                        request,
                        _("Refused: “%(item)s” is no longer issued. %(basis)s")
                        % {"item": result.item, "basis": result.basis},
                    )
                return redirect("governance:certificate_list")
    cancelled = selectors.cancelled_certificates(user=request.user)
    area = _area_filter(request)
    if area is not None:
        cancelled = cancelled.filter(area__code__startswith=area.code)
    start = parse_date(request.GET.get("from", "") or "")
    end = parse_date(request.GET.get("to", "") or "")
    if start and end:
        cancelled = cancelled.filter(cancelled_on__gte=start, cancelled_on__lte=end)
    return render(
        request,
        "governance/certificate_list.html",
        {
            "cancelled": cancelled[:500],
            "requests": selectors.certificate_requests(user=request.user)[:200],
            "cancel_form": cancel,
            "request_form": ask,
        },
    )


# ---- village rules


@login_required
def rules_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "committee.view")
    may = policy.may(request.user, "village_rules.manage")
    form = forms.RulesForm(request.POST or None, user=request.user) if may else None
    if request.method == "POST":
        policy.require(request.user, "village_rules.manage")
        rules = _submit(request, form, lambda d: services.rules_pass(actor=request.user, **d))
        if rules:
            return redirect("governance:rules_detail", pk=rules.pk)
    return render(
        request,
        "governance/rules_list.html",
        {
            "current": selectors.current_rules(user=request.user),
            "versions": selectors.rules(user=request.user).order_by("area__code", "-version")[:500],
            "form": form,
        },
    )


@login_required
def rules_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rules = selectors.rules_get(user=request.user, pk=pk)
    file_form = forms.FileForm(_bound(request, "file"), prefix="file")
    check_form = forms.CheckForm(_bound(request, "check"), prefix="check")
    if request.method == "POST":
        policy.require(request.user, "village_rules.manage", rules)
        if request.POST.get("form") == "file":
            done = _submit(
                request,
                file_form,
                lambda d: services.rules_file(actor=request.user, rules=rules, **d),
            )
        else:
            done = _submit(
                request,
                check_form,
                lambda d: services.rules_check(actor=request.user, rules=rules, **d),
            )
        if done:
            return redirect("governance:rules_detail", pk=rules.pk)
    may = policy.may(request.user, "village_rules.manage", rules)
    return render(
        request,
        "governance/rules_detail.html",
        {
            "rules": rules,
            "file_form": file_form
            if may and (rules.status == VillageRules.Status.PASSED or file_form.is_bound)
            else None,
            "check_form": check_form
            if may and (rules.status == VillageRules.Status.FILED or check_form.is_bound)
            else None,
            "changes": history(rules),
        },
    )


# ---- four deliberations, two disclosures; the disclosure calendar


@login_required
def deliberation_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "committee.view")
    may = policy.may(request.user, "deliberation.manage")
    form = forms.DeliberationForm(request.POST or None, user=request.user) if may else None
    if request.method == "POST":
        policy.require(request.user, "deliberation.manage")
        made = _submit(
            request, form, lambda d: services.deliberation_start(actor=request.user, **d)
        )
        if made:
            return redirect("governance:deliberation_detail", pk=made.pk)
    return render(
        request,
        "governance/deliberation_list.html",
        {"rows": selectors.deliberations(user=request.user)[:500], "form": form},
    )


@login_required
def deliberation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(user=request.user, pk=pk)
    done_steps = list(deliberation.steps.order_by("step"))
    following = len(done_steps) + 1
    step_form = forms.StepForm(
        _bound(request, "step"), prefix="step", initial={"step": min(following, 6)}
    )
    implement_form = forms.ImplementForm(_bound(request, "implement"), prefix="implement")
    if request.method == "POST":
        policy.require(request.user, "deliberation.manage", deliberation)
        if request.POST.get("form") == "implement":
            done = _submit(
                request,
                implement_form,
                lambda d: services.deliberation_implement(
                    actor=request.user, deliberation=deliberation, **d
                ),
            )
        else:
            done = _submit(
                request,
                step_form,
                lambda d: services.deliberation_step(
                    actor=request.user, deliberation=deliberation, **d
                ),
            )
        if done:
            return redirect("governance:deliberation_detail", pk=deliberation.pk)
    may = policy.may(request.user, "deliberation.manage", deliberation)
    return render(
        request,
        "governance/deliberation_detail.html",
        {
            "deliberation": deliberation,
            "steps": [
                (step, next((s for s in done_steps if s.step == step.value), None))
                for step in Deliberation.Step
            ],
            "step_form": step_form if may and following <= len(Deliberation.Step) else None,
            "implement_form": implement_form
            if may and (deliberation.implemented_on is None or implement_form.is_bound)
            else None,
        },
    )


@login_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "committee.view")
    today = timezone.localdate()
    year = _year(request, today.year)
    may = policy.may(request.user, "disclosure.manage")
    form = (
        forms.PlanForm(request.POST or None, user=request.user, initial={"year": year})
        if may
        else None
    )
    if request.method == "POST":
        policy.require(request.user, "disclosure.manage")
        if _submit(request, form, lambda d: services.disclosure_plan(actor=request.user, **d)):
            return redirect(f"{reverse('governance:disclosure_list')}?year={year}")
    return render(
        request,
        "governance/disclosure_list.html",
        {
            "year": year,
            "today": today,
            "rows": selectors.disclosures(user=request.user, year=year).order_by(
                "due_on", "area__code"
            )[:1000],
            "overdue": selectors.overdue_disclosures(user=request.user, on=today),
            "form": form,
        },
    )


@login_required
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = selectors.disclosure_get(user=request.user, pk=pk)
    form = forms.DisclosureForm(request.POST or None)
    if request.method == "POST":
        policy.require(request.user, "disclosure.manage", disclosure)
        if _submit(
            request,
            form,
            lambda d: services.disclosure_record(actor=request.user, disclosure=disclosure, **d),
        ):
            return redirect("governance:disclosure_list")
    return render(
        request,
        "governance/simple_form.html",
        {
            "form": form
            if disclosure.disclosed_on is None
            and policy.may(request.user, "disclosure.manage", disclosure)
            else None,
            "title": str(disclosure),
            "text": disclosure.content,
        },
    )
