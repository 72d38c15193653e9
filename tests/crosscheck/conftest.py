"""Fixtures of the cross-check tests: beneficiaries with entitlements, list files, a worker."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from civil_affairs.crosscheck import loading, services
from civil_affairs.crosscheck.kinds import default_mapping
from civil_affairs.crosscheck.models import ExternalList, MatchRun
from relief.models import Entitlement, EntitlementPeriod, Household, HouseholdMember
from tests.factories import PersonFactory

MONTH = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_rules(request: Any) -> None:
    """The rules and the schedule the migration seeds. A transactional test (anyone's)
    empties every table when it ends; the migration's own functions put them back."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    import importlib

    from django.apps import apps

    seed = importlib.import_module(
        "civil_affairs.crosscheck.migrations.0002_functions_rules_schedule"
    )
    seed.add_rules(apps, None)
    seed.add_schedule(apps, None)
    importlib.import_module("civil_affairs.crosscheck.migrations.0007_benefit_refs").rules_forward(
        apps, None
    )


@pytest.fixture
def celery_in_process() -> Any:
    """The payroll engine's tasks run here (the worker tests use a real worker)."""
    from civil_affairs.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


def paid_payrolls(staff: Any, months: list[datetime.date], programs: list[str]) -> None:
    """A payroll per month, approved, every row come back paid from the bank (the bank's
    return file is payments' business)."""
    from civil_affairs.payments.models import Payment
    from tests.payments.factories import approved, generate

    for month in months:
        payroll = approved(generate(staff.finance, month=month, programs=programs), staff)
        Payment.objects.filter(payroll=payroll).update(status=Payment.Status.PAID)


@pytest.fixture
def registry(monkeypatch: Any) -> dict[str, Any]:
    """The benefit sources with relief's alone (apps merged later register theirs too: a test
    of what is registered must not depend on them). Tests add their own to it."""
    from civil_affairs import benefits

    only = {key: s for key, s in benefits._sources.items() if key == "relief.entitlement"}
    monkeypatch.setattr(benefits, "_sources", only)
    return only


@pytest.fixture
def paying_app(registry: dict[str, Any], monkeypatch: Any, db: Any) -> Any:
    """`paying_app("old_age_allowance")`: a paying app of the test's own (tests/crosscheck/
    sources.py) registered with the benefits and the payroll, for the test only."""
    from civil_affairs.payments import providers

    from .sources import TABLE, Allowances

    def install(*programs: str) -> Allowances:
        with connection.cursor() as cursor:
            cursor.execute(TABLE)
        app = Allowances(programs)
        registry[app.source().key] = app.source()
        for provider in app.providers():
            monkeypatch.setitem(providers._providers, provider.program, provider)
        return app

    return install


def entitle(
    person: Any,
    program: str = "dibao",
    amount: str = "600.00",
    *,
    start: datetime.date = MONTH,
    household: Any = None,
    area: Any = None,
) -> Entitlement:
    """An active entitlement with one open period (what relief's approval leaves behind)."""
    entitlement = Entitlement.objects.create(
        program=program,
        person=person,
        area=area or person.area,
        household=household,
        monthly_amount=Decimal(amount),
        start_month=start,
    )
    EntitlementPeriod.objects.create(
        entitlement=entitlement, valid_from=start, monthly_amount=Decimal(amount)
    )
    return entitlement


def ref(entitlement: Entitlement) -> str:
    """The benefit ref of a relief entitlement, as warnings name it."""
    return f"relief.entitlement:{entitlement.pk}"


def household_of(head: Any, *others: Any, registered_type: str = "rural") -> Household:
    household = Household.objects.create(area=head.area, registered_type=registered_type)
    HouseholdMember.objects.create(household=household, person=head, relationship="head")
    for other in others:
        HouseholdMember.objects.create(household=household, person=other, relationship="spouse")
    return household


def csv_bytes(rows: list[list[Any]], header: list[str], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


DEATH_HEADER = ["身份证号码", "姓名", "死亡日期", "备注"]


def upload(
    actor: Any,
    area: Any,
    kind: str,
    data: bytes,
    *,
    name: str = "list.csv",
    valid_on: datetime.date = datetime.date(2026, 3, 31),
    columns: dict[str, str] | None = None,
    load: bool = True,
    delimiter: str = ",",
) -> ExternalList:
    """Upload through the service, then load here (the worker tests load through Celery)."""
    lst = services.list_upload(
        actor=actor,
        kind=kind,
        area=area,
        valid_on=valid_on,
        source="县公安局",
        file=SimpleUploadedFile(name, data),
        file_name=name,
        columns=columns or default_mapping(kind),
        delimiter=delimiter,
    )
    return loading.list_load(external_list=lst) if load else lst


def deaths(actor: Any, area: Any, people: list[tuple[Any, str]], **kw: Any) -> ExternalList:
    rows = [[p.id_number, p.name, day, "火化"] for p, day in people]
    return upload(actor, area, "death", csv_bytes(rows, DEATH_HEADER), **kw)


def run(area: Any, checks: list[str] | None = None, as_of: datetime.date | None = None) -> MatchRun:
    """A whole matching run in this process (chunks run one after the other)."""
    return services.run_start(
        actor=None, area=area, checks=checks, as_of=as_of or datetime.date(2026, 4, 20), inline=True
    )


@pytest.fixture
def beneficiaries(areas: SimpleNamespace) -> SimpleNamespace:
    """A dibao household in township A (head paid dibao, spouse not paid) and one in B."""
    head_a = PersonFactory(area=areas.village_a, name="甲户主")
    spouse_a = PersonFactory(area=areas.village_a, name="甲配偶")
    head_b = PersonFactory(area=areas.village_b, name="乙户主")
    house_a = household_of(head_a, spouse_a)
    house_b = household_of(head_b)
    return SimpleNamespace(
        head_a=head_a,
        spouse_a=spouse_a,
        head_b=head_b,
        house_a=house_a,
        house_b=house_b,
        dibao_a=entitle(head_a, "dibao", "620.00", household=house_a),
        dibao_b=entitle(head_b, "dibao", "410.00", household=house_b),
    )
