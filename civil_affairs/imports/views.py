"""Pages of the staged import: upload → dry run (every bad row with its reasons) → confirm.

A big file is checked and saved by a job; its page shows a progress bar that htmx polls and
reloads itself when the job is done."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.spreadsheet import Echo, cell_safe
from civil_affairs.people import services as people_services

from . import forms, selectors, services, staged
from .models import StagedImport

SHOWN_ROWS = 500  # bad rows listed on the page; the error file has them all


def _spec(spec_key: str) -> staged.Spec:
    try:
        return staged.get(spec_key)
    except LookupError:
        raise Http404 from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    usable = [spec for spec in staged.specs() if spec.may_use(request.user)]
    recent = selectors.recent(user=request.user)
    return render(
        request,
        "imports/index.html",
        {"specs": usable, "recent": [(item, _label(item.spec_key)) for item in recent]},
    )


def _label(spec_key: str) -> str:
    try:
        return str(staged.get(spec_key).label)
    except LookupError:
        return spec_key


@login_required
def upload(request: HttpRequest, spec_key: str) -> HttpResponse:
    spec = _spec(spec_key)
    if not spec.may_use(request.user):
        raise PermissionDenied(_("Your role does not allow this import."))
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            item = services.staged_import_create(
                actor=request.user, spec_key=spec.key, file_name=file.name, data=file.read()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("imports:detail", pk=item.pk)
    return render(
        request,
        "imports/upload.html",
        {
            "spec": spec,
            "form": form,
            "columns": spec.columns,
            "recent": [
                (item, "") for item in selectors.recent(user=request.user, spec_key=spec.key)
            ],
            "max_rows": staged.max_rows(),
            "max_megabytes": staged.max_bytes() // (1024 * 1024),
        },
    )


def _dry_run(spec: staged.Spec, item: StagedImport) -> dict[str, Any]:
    result = staged.Result.from_json(item.result)
    columns = [(name, spec.header(name)) for name in result.columns]
    bad = []
    for number in sorted(result.errors)[:SHOWN_ROWS]:
        errors = result.errors[number]
        values = result.values.get(number, {})
        bad.append(
            {
                "number": number,
                "cells": [(values.get(name, ""), name in errors) for name, _h in columns],
                "reasons": [(spec.header(column), messages) for column, messages in errors.items()],
            }
        )
    return {
        "result": result,
        "columns": columns,
        "bad_rows": bad,
        "more_bad": max(0, len(result.errors) - SHOWN_ROWS),
        "skipped": len(result.skipped),
        "skipped_sample": sorted(result.skipped.items())[:20],
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.staged_import_get(user=request.user, pk=pk)
    spec = _spec(item.spec_key)
    context: dict[str, Any] = {"item": item, "spec": spec}
    if not item.running:
        context.update(_dry_run(spec, item))
    return render(request, "imports/detail.html", context)


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (htmx polls it); once the job ends the page reloads."""
    item = selectors.staged_import_get(user=request.user, pk=pk)
    response = render(request, "imports/_progress.html", {"item": item})
    if not item.running and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.staged_import_get(user=request.user, pk=pk)
    form = forms.ConfirmForm(request.POST)
    valid_only = bool(form.is_valid() and form.cleaned_data["valid_only"])
    try:
        item = services.import_confirm(actor=request.user, item=item, valid_only=valid_only)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if item.status == StagedImport.Status.SAVED:
            messages.success(request, _("%(n)d rows imported.") % {"n": item.rows_saved or 0})
        elif item.status == StagedImport.Status.CHECKED and item.message:
            messages.error(request, item.message)
    return redirect("imports:detail", pk=item.pk)


@login_required
def errors(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rows not imported, each with its reasons, for the clerk to correct and upload again
    (headers in the user's language: the import reads them back in either language)."""
    item = selectors.staged_import_get(user=request.user, pk=pk)
    spec = _spec(item.spec_key)
    result = staged.Result.from_json(item.result)
    numbers = sorted(set(result.errors) | set(result.skipped))
    people_services.export_logged(
        actor=request.user, what=f"import errors {item.spec_key}", rows=len(numbers)
    )

    def lines() -> Any:
        writer = csv.writer(Echo())
        yield "\ufeff"  # Excel opens UTF-8 with a BOM
        yield writer.writerow(
            [_("row"), *(spec.header(name) for name in result.columns), _("reason")]
        )
        for number in numbers:
            values = result.values.get(number, {})
            if number in result.errors:
                reason = "; ".join(
                    f"{spec.header(column)}: {' '.join(msgs)}"
                    for column, msgs in result.errors[number].items()
                )
            else:
                reason = _("Not imported: row %(row)d of the same group is wrong.") % {
                    "row": result.skipped[number]
                }
            cells = [cell_safe(values.get(name, "")) for name in result.columns]
            yield writer.writerow([number, *cells, cell_safe(reason)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-errors-{item.pk}.csv"'
    return response
