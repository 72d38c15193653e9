"""Pages: the warnings queue and a warning's evidence beside its case; list uploads and runs
with their progress bars (htmx polls a fragment until the work is done)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civil_affairs.areas import policy
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.http import safe_next
from civil_affairs.core.spreadsheet import Echo, cell_safe_value
from civil_affairs.payments.models import program_label
from civil_affairs.people.services import export_logged

from . import selectors, services
from .forms import BulkForm, ConfirmForm, DismissForm, ListUploadForm, QueueFilterForm, RunStartForm
from .kinds import LIST_KINDS, field_label, fields_of
from .models import ExternalList, MatchRun, RejectedRow, Warning

PAGE_SIZE = 50


# ---- the warnings queue --------------------------------------------------------------------


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "warning.view")
    filters = QueueFilterForm(request.GET or None)
    queue = selectors.warning_queue(user=request.user, filters=filters.filters())
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "crosscheck/warning_list.html",
        {
            "filters": filters,
            "page": page,
            "bulk": BulkForm(),
            "may_resolve": policy.may(request.user, "warning.resolve"),
        },
    )


@login_required
@require_POST
def warning_bulk(request: HttpRequest) -> HttpResponse:
    """Resolve the ticked warnings together (they must share their evidence)."""
    form = BulkForm(request.POST)
    try:
        ids = [int(v) for v in request.POST.getlist("ids")]
    except ValueError:
        ids = []
    warnings = selectors.warnings_by_ids(user=request.user, ids=ids)
    back = safe_next(request, reverse("crosscheck:warning_list"))
    if not form.is_valid() or not warnings:
        messages.error(request, _("Tick the warnings to resolve and choose a decision."))
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["decision"] == "dismiss":
            result = services.warnings_dismiss(
                actor=request.user, warnings=warnings, reason=data["reason"]
            )
        else:
            result = services.warnings_confirm(
                actor=request.user,
                warnings=warnings,
                action=data["action"],
                effective_month=data["effective_month"],
                note=data["reason"],
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("%(count)d warnings resolved.") % {"count": len(result.warnings)})
    return redirect(back)


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    warning = selectors.warning_get(user=request.user, pk=pk)
    case = selectors.warning_case(user=request.user, warning=warning)
    return _detail(request, warning, case)


def _detail(
    request: HttpRequest,
    warning: Warning,
    case: selectors.CaseView,
    confirm: ConfirmForm | None = None,
    dismiss: DismissForm | None = None,
    status: int = 200,
) -> HttpResponse:
    identical = selectors.identical_open(user=request.user, warning=warning)
    row = warning.list_row
    evidence_fields = []
    if row is not None:
        for field in fields_of(row.list.kind):
            value = getattr(row, field.name)
            if field.name == "id_number":
                value = warning.subject.masked_id_number
            evidence_fields.append((field.label, value))
    return render(
        request,
        "crosscheck/warning_detail.html",
        {
            "warning": warning,
            "case": case,
            "row": row,
            "evidence_fields": evidence_fields,
            "identical": identical,
            "overpayments": selectors.overpayments_of(warning),
            "changes": selectors.changes_of(warning),
            "evidence_programs": [
                program_label(p) for p in warning.evidence.get("programs", []) if p
            ],
            "confirm": confirm or ConfirmForm(warning=warning, affected=case.affected),
            "dismiss": dismiss or DismissForm(),
            "may_resolve": warning.status == Warning.Status.OPEN
            and policy.may(request.user, "warning.resolve", warning),
        },
        status=status,
    )


@login_required
@require_POST
def warning_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    warning = selectors.warning_get(user=request.user, pk=pk)
    policy.require(request.user, "warning.resolve", warning)
    case = selectors.warning_case(user=request.user, warning=warning)
    form = ConfirmForm(request.POST, warning=warning, affected=case.affected)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.warnings_confirm(
                actor=request.user,
                warnings=selectors.warning_group(
                    user=request.user, warning=warning, also_identical=data["also_identical"]
                ),
                action=data["action"],
                effective_month=data["effective_month"],
                new_amount=data["new_amount"],
                benefit_refs=data["benefits"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Confirmed: %(count)d warnings, %(over)d overpaid months listed for recovery.")
                % {"count": len(result.warnings), "over": len(result.overpayments)},
            )
            return redirect("crosscheck:warning_detail", pk=warning.pk)
    return _detail(request, warning, case, confirm=form, status=400)


@login_required
@require_POST
def warning_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    warning = selectors.warning_get(user=request.user, pk=pk)
    policy.require(request.user, "warning.resolve", warning)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            result = services.warnings_dismiss(
                actor=request.user,
                warnings=selectors.warning_group(
                    user=request.user,
                    warning=warning,
                    also_identical=form.cleaned_data["also_identical"],
                ),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Dismissed: %(count)d warnings.") % {"count": len(result.warnings)}
            )
            return redirect("crosscheck:warning_detail", pk=warning.pk)
    case = selectors.warning_case(user=request.user, warning=warning)
    return _detail(request, warning, case, dismiss=form, status=400)


# ---- lists ---------------------------------------------------------------------------------


@login_required
def list_upload(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "crosscheck.upload")
    kinds = [k.value for k in LIST_KINDS]
    kind = request.POST.get("kind") or request.GET.get("kind") or kinds[0]
    if kind not in kinds:
        kind = kinds[0]
    bound = request.method == "POST"
    form = ListUploadForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        user=request.user,
        kind=kind,
    )
    if bound and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            lst = services.list_upload(
                actor=request.user,
                kind=data["kind"],
                area=data["area"],
                valid_on=data["valid_on"],
                source=data["source"],
                file=upload,
                file_name=upload.name,
                columns=form.mapping(),
                delimiter=data["delimiter"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The list is being loaded."))
            return redirect("crosscheck:list_detail", pk=lst.pk)
    lists = selectors.list_list(user=request.user)[:20]
    return render(
        request,
        "crosscheck/list_upload.html",
        {"form": form, "lists": lists},
        status=400 if bound else 200,
    )


@login_required
def list_index(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "crosscheck.view")
    page = Paginator(selectors.list_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "crosscheck/list_index.html", {"page": page})


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lst = selectors.list_get(user=request.user, pk=pk)  # 404 outside the user's areas
    policy.require(request.user, "crosscheck.view", lst)
    rejected = Paginator(selectors.rejected_rows(external_list=lst), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    missing = [
        field_label(lst.kind, f.name) for f in fields_of(lst.kind) if f.name not in lst.columns
    ]
    return render(
        request,
        "crosscheck/list_detail.html",
        {
            "list": lst,
            "rejected": rejected,
            "rejected_rows": [_rejected_text(lst, r) for r in rejected],
            "missing_fields": missing,
            "done": lst.status not in {ExternalList.Status.PENDING, ExternalList.Status.LOADING},
            "may_manage": policy.may(request.user, "crosscheck.upload", lst),
            "may_run": policy.may(request.user, "crosscheck.run", area=lst.area),
        },
    )


def _rejected_text(lst: ExternalList, row: RejectedRow) -> dict[str, Any]:
    return {
        "row_number": row.row_number,
        "field": field_label(lst.kind, row.field) if row.field else _("whole row"),
        "problem": row.get_problem_display(),
        "value": row.value,
    }


@login_required
def list_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment; htmx polls it while the list loads, and reloads the page after."""
    lst = selectors.list_get(user=request.user, pk=pk)
    policy.require(request.user, "crosscheck.view", lst)
    done = lst.status not in {ExternalList.Status.PENDING, ExternalList.Status.LOADING}
    response = render(request, "crosscheck/_list_progress.html", {"list": lst, "done": done})
    if done and request.headers.get("HX-Request") and request.GET.get("was") == "busy":
        response["HX-Refresh"] = "true"
    return response


@login_required
def list_rejected_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rejected rows as CSV, for the department to correct; the export is logged."""
    lst = selectors.list_get(user=request.user, pk=pk)
    policy.require(request.user, "crosscheck.view", lst)
    rows = selectors.rejected_rows(external_list=lst)
    export_logged(
        actor=request.user, what=f"crosscheck list {lst.pk} rejected rows", rows=rows.count()
    )
    writer = csv.writer(Echo())

    def lines() -> Any:
        yield "\ufeff"
        yield writer.writerow([_("row"), _("field"), _("problem"), _("value")])
        for row in rows.iterator(chunk_size=2000):
            text = _rejected_text(lst, row)
            yield writer.writerow(
                map(
                    cell_safe_value,
                    [text["row_number"], str(text["field"]), str(text["problem"]), text["value"]],
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="list-{lst.pk}-rejected.csv"'
    return response


@login_required
@require_POST
def list_retire(request: HttpRequest, pk: int) -> HttpResponse:
    lst = selectors.list_get(user=request.user, pk=pk)
    try:
        services.list_retire(actor=request.user, external_list=lst)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The list is left out of future runs."))
    return redirect("crosscheck:list_detail", pk=lst.pk)


@login_required
@require_POST
def list_reload(request: HttpRequest, pk: int) -> HttpResponse:
    lst = selectors.list_get(user=request.user, pk=pk)
    try:
        services.list_reload(actor=request.user, external_list=lst)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The list is being loaded again."))
    return redirect("crosscheck:list_detail", pk=lst.pk)


# ---- runs ----------------------------------------------------------------------------------


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "crosscheck.view")
    may_run = policy.may(request.user, "crosscheck.run")
    form = RunStartForm(request.POST or None, user=request.user) if may_run else None
    if request.method == "POST":
        policy.require(request.user, "crosscheck.run")
        assert form is not None
        if form.is_valid():
            try:
                run = services.run_start(
                    actor=request.user,
                    area=form.cleaned_data["area"],
                    checks=form.cleaned_data["checks"],
                    as_of=form.cleaned_data["as_of"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The run is queued."))
                return redirect("crosscheck:run_detail", pk=run.pk)
    page = Paginator(selectors.run_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "crosscheck/run_list.html",
        {"form": form, "page": page},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    policy.require(request.user, "crosscheck.view", run)
    done = run.status in {MatchRun.Status.DONE, MatchRun.Status.FAILED}
    return render(request, "crosscheck/run_detail.html", {"run": run, "done": done})


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, pk=pk)
    policy.require(request.user, "crosscheck.view", run)
    done = run.status in {MatchRun.Status.DONE, MatchRun.Status.FAILED}
    response = render(request, "crosscheck/_run_progress.html", {"run": run, "done": done})
    if done and request.headers.get("HX-Request") and request.GET.get("was") == "busy":
        response["HX-Refresh"] = "true"
    return response
