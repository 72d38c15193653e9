import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civil_affairs.areas import policy
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.spreadsheet import Echo, cell_safe_value

from . import selectors, services
from .forms import PersonForm
from .models import Person


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = Paginator(selectors.person_search(user=request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "query": query,
            "may_create": policy.may(request.user, "person.create"),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "may_reveal": policy.may(request.user, "person.view_full_id", person),
            "may_edit": policy.may(request.user, "person.update", person),
        },
    )


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    number = services.person_reveal_id(actor=request.user, person=person)
    return render(request, "people/_id_number.html", {"number": number})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "person.create")
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    policy.require(request.user, "person.update", person)
    initial = {f: getattr(person, f) for f in ("name", "phone", "address", "bank_name")}
    initial["area"] = person.area
    form = PersonForm(request.POST or None, user=request.user, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "id_number"}
        if not data["bank_account"]:  # left empty: the account on file stays
            del data["bank_account"]
        try:
            services.person_update(actor=request.user, person=person, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
def person_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the people the user may see; masked unless the role may export whole numbers."""
    policy.require(request.user, "person.export")
    people = selectors.person_search(user=request.user, query=request.GET.get("q", ""))
    full = policy.may(request.user, "person.export_full_id")
    services.export_logged(actor=request.user, what="people.csv", rows=people.count())
    writer = csv.writer(Echo())

    def rows() -> Any:
        yield "\ufeff"  # so that Excel reads UTF-8
        yield writer.writerow([_("ID number"), _("name"), _("sex"), _("birth date"), _("area")])
        person: Person
        for person in people.iterator(chunk_size=2000):
            number = person.id_number if full else person.masked_id_number
            yield writer.writerow(
                map(
                    cell_safe_value,
                    [
                        number,
                        person.name,
                        person.get_sex_display(),
                        person.birth_date,
                        person.area.code,
                    ],
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response
