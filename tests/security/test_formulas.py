"""Spreadsheet formulas (issue 14, item 10): refused at input in every free-text field of the
forms, the admin and the API; and neutralised in every CSV and xlsx export, so that a value
that got in by another path (an old row, a direct write) is shown and never run."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
import re
from typing import Any

import openpyxl
import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator
from import_export.admin import ExportMixin

from civil_affairs.core.forms import Form
from civil_affairs.core.resources import SafeResource
from civil_affairs.core.spreadsheet import FORMULA_STARTS
from civil_affairs.core.validators import validate_no_formula
from civil_affairs.people.models import Person

from .conftest import client_of

pytestmark = pytest.mark.django_db

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://example.com","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
]
OUR_PACKAGES = ["civil_affairs", *settings.DOMAIN_APPS]


def _our_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's packages (imported module by module)."""
    for package in OUR_PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if any(part in info.name for part in (".migrations", ".management", ".settings")):
                continue
            importlib.import_module(info.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type[Any]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in OUR_PACKAGES:
                found.append(sub)
    return found


def test_every_form_of_the_project_refuses_formulas_in_its_text_fields():
    checked = 0
    problems = []
    for form_class in _our_form_classes():
        if issubclass(form_class, forms.ModelForm):  # the admin's: see the next test
            continue
        texts = [  # what a user types (hidden fields carry the page's own values)
            f
            for f in form_class.base_fields.values()
            if isinstance(f, forms.CharField) and not isinstance(f.widget, forms.HiddenInput)
        ]
        if texts and not issubclass(form_class, Form):
            problems.append(f"{form_class.__module__}.{form_class.__name__} is no core.forms.Form")
            continue
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput | forms.HiddenInput
            ):
                checked += 1
                for formula in FORMULAS:
                    try:
                        field.run_validators(formula)
                    except forms.ValidationError:
                        continue
                    problems.append(f"{form_class.__name__}.{name} takes {formula!r}")
    assert checked > 30
    assert problems == [], "\n".join(problems)


def test_every_admin_form_refuses_formulas_in_its_text_fields(seeded):
    request = RequestFactory().get("/admin/")
    request.user = next(u for u in seeded if u.username == "admin")
    problems = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model.__module__.split(".")[0] not in OUR_PACKAGES:
            continue  # Django's users and groups, the job results: nothing of theirs is exported
        obj = model._default_manager.first()
        for instance in (None, obj):
            try:
                form_class = model_admin.get_form(request, instance)
            except Exception as exc:  # an admin without a form (read-only) is fine
                problems.append(f"{model.__name__}: {exc}")
                continue
            for name, field in form_class().fields.items():
                if isinstance(field, forms.CharField) and not isinstance(
                    field.widget, forms.PasswordInput
                ):
                    checked += 1
                    if validate_no_formula not in field.validators:
                        problems.append(f"{model.__name__} admin: {name}")
    assert checked > 20
    assert problems == []


def _string_properties(schema: dict[str, Any], components: dict[str, Any]) -> list[str]:
    ref = schema.get("$ref")
    if ref:
        schema = components[ref.rsplit("/", 1)[-1]]
    return [
        name
        for name, prop in schema.get("properties", {}).items()
        if prop.get("type") == "string"
        and not prop.get("readOnly")
        and "enum" not in prop
        and "format" not in prop
        and "$ref" not in prop
        and "allOf" not in prop
    ]


def test_the_api_refuses_formulas_in_every_text_field_it_reads(seeded):
    """Every string property of every request body in the schema, as the superuser on the
    first object: 400 naming the field, for each formula."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    client = client_of(next(u for u in seeded if u.username == "admin"))
    ids = {"/api/people/": Person.objects.order_by("pk").first().pk}
    tried = 0
    problems = []
    for path, item in schema["paths"].items():
        for verb, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json")
            if body is None:
                continue
            fields = _string_properties(body["schema"], components)
            url = re.sub(r"\{\w+\}", str(_an_id(path, ids)), path)
            for name in fields:
                for formula in FORMULAS:
                    response = getattr(client, verb)(
                        url, {name: formula}, content_type="application/json"
                    )
                    tried += 1
                    if response.status_code != 400 or name not in response.json():
                        problems.append(
                            f"{verb.upper()} {url} {name}={formula!r}: {response.status_code}"
                        )
    print(f"\nformulas into the API: {tried} requests")
    assert tried > 100
    assert problems == [], "\n".join(problems)


def _an_id(path: str, known: dict[str, int]) -> int:
    from django.urls import resolve

    from tests.security import walk

    sample = re.sub(r"\{\w+\}", "1", path)
    cls = getattr(resolve(sample).func, "cls", None)
    route = walk.Route("", path, [], resolve(sample).func)
    model = route.model() if cls is not None else None
    if model is None:
        return 1
    obj = model._default_manager.order_by("pk").first()
    return obj.pk if obj is not None else 1


# ---- exports: values that got in by another path are never live


def _live_csv_cells(text: str) -> list[str]:
    return [
        cell
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))
        for cell in row
        if cell[:1] in FORMULA_STARTS
    ]


def _live_xlsx_cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    live = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                formula = cell.data_type == "f" and not str(cell.value).startswith("=SUM(")
                text = cell.data_type == "s" and str(cell.value)[:1] in FORMULA_STARTS
                if formula or text:
                    live.append(f"{sheet.title}!{cell.coordinate} {cell.value}")
    return live


@pytest.fixture
def poisoned(seeded):
    """Every free-text column an export reads, set to a formula by a direct write."""
    from civil_affairs.areas.models import Area
    from civil_affairs.payments.models import Payment

    for index, person in enumerate(Person.objects.order_by("pk")):
        formula = FORMULAS[index % len(FORMULAS)]
        Person.objects.filter(pk=person.pk).update(
            name=formula, phone=formula[:20], address=formula, bank_name=formula
        )
    Payment.objects.update(bank_name=FORMULAS[1])
    Area.objects.filter(level=Area.Level.VILLAGE).update(name=FORMULAS[0])
    return seeded


def test_no_export_carries_a_live_formula(poisoned):
    from civil_affairs.payments import exports
    from civil_affairs.payments.models import Payroll

    users = {u.username: u for u in poisoned}
    finance = client_of(users["finance"])
    live: dict[str, list[str]] = {}

    people = client_of(users["admin"]).get("/people/export.csv")
    live["people.csv"] = _live_csv_cells(b"".join(people.streaming_content).decode())

    payroll = Payroll.objects.exclude(rows=0).order_by("pk").first()
    assert payroll is not None, "the demo has a payroll with rows"
    response = finance.get(f"/payments/{payroll.pk}/export.csv")
    if response.status_code == 200:  # the payroll's status allows an export
        live["payroll.csv"] = _live_csv_cells(b"".join(response.streaming_content).decode())
    stream = exports.csv_stream(payroll, full_id=False)
    live["payroll.csv (stream)"] = _live_csv_cells(b"".join(stream).decode())
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "payroll.xlsx"
        exports.write_xlsx(payroll, path, full_id=False)
        live["payroll.xlsx"] = _live_xlsx_cells(path.read_bytes())

    admin_client = client_of(users["admin"])
    chosen = {f"personresource_{f}": "on" for f in ("id_number", "name", "phone", "address")}
    for index, name in enumerate(("admin people.csv", "admin people.xlsx")):
        response = admin_client.post(
            "/admin/people/person/export/", {"format": str(index), "resource": "0", **chosen}
        )
        assert response.status_code == 200, name
        content = response.content
        live[name] = (
            _live_csv_cells(content.decode("utf-8-sig"))
            if index == 0
            else _live_xlsx_cells(content)
        )
    assert Person.objects.filter(name__in=FORMULAS).exists()
    assert {name: cells for name, cells in live.items() if cells} == {}


def test_every_export_resource_neutralises_its_cells():
    """The admin's import-export exports go through core.resources.SafeResource."""
    unsafe = [
        f"{model.__name__}: {resource.__name__}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
        for resource in model_admin.get_export_resource_classes(None)
        if not issubclass(resource, SafeResource)
    ]
    assert unsafe == []


def test_phone_and_bank_name_refuse_formulas_in_the_people_form_and_api(seeded):
    users = {u.username: u for u in seeded}
    client = client_of(users["caseworker_a"])
    from civil_affairs.areas.models import Area

    village = Area.objects.get(code="430922100201")
    for formula in FORMULAS:
        page = client.post(
            "/people/new/",
            {
                "id_number": "11010519491231002X",
                "name": "测试",
                "area": village.pk,
                "phone": formula,
                "bank_name": formula,
            },
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert 'data-field="phone"' in text
        assert 'data-field="bank_name"' in text
        api = client.post(
            "/api/people/",
            {
                "id_number": "11010519491231002X",
                "name": "测试",
                "area": village.code,
                "phone": formula,
            },
            content_type="application/json",
        )
        assert api.status_code == 400
        assert "phone" in api.json()
    assert not Person.objects.filter(id_number="11010519491231002X").exists()
