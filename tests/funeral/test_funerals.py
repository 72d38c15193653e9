"""Funerals: deaths handled reach the cross-check as a death list; fee waivers for dibao and
extreme-poverty families paid through the ledger; cemeteries and tomb-sweeping plans."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.crosscheck import loading
from civil_affairs.crosscheck import services as crosscheck
from civil_affairs.crosscheck.models import ExternalList, Warning
from civil_affairs.payments.models import LedgerEntry
from funeral import services
from funeral.models import Cemetery, Death, FeeWaiver
from relief.models import Entitlement
from tests.factories import PersonFactory
from tests.payments.factories import beneficiary, fund

pytestmark = pytest.mark.django_db
D = datetime.date
JAN, APR = D(2026, 1, 1), D(2026, 4, 1)
MARCH_10 = D(2026, 3, 10)


@pytest.fixture(autouse=True)
def _match_rules(db: Any) -> None:
    """The cross-check's rules as its migrations seed them (a transactional test elsewhere
    may have emptied the tables)."""
    from django.apps import apps

    seed = importlib.import_module(
        "civil_affairs.crosscheck.migrations.0002_functions_rules_schedule"
    )
    seed.add_rules(apps, None)
    importlib.import_module("civil_affairs.crosscheck.migrations.0007_benefit_refs").rules_forward(
        apps, None
    )


def record(actor: Any, person: Any, died: D = MARCH_10, **kw: Any) -> Death:
    return services.death_record(
        actor=actor,
        area=person.area,
        id_number=person.id_number,
        name=person.name,
        died_on=died,
        handled_on=died + datetime.timedelta(days=2),
        facility="县殡仪馆",
        **kw,
    )


def test_a_cremation_recorded_here_reaches_the_cross_check_and_stops_the_benefit(areas, officers):
    member = beneficiary(areas.village_a, "dibao", "620.00", start=JAN)
    other = beneficiary(areas.village_b, "dibao", "410.00", start=JAN)
    death = record(officers.funeral, member, cremation_certificate="HH-2026-001")
    assert death.person == member
    assert death.cremated
    with pytest.raises(PermissionDenied):  # lists are sent by those who upload them
        services.deaths_send(actor=officers.funeral, area=areas.county)

    sent = services.deaths_send(actor=officers.approver, area=areas.county)
    assert (sent.kind, sent.area, sent.status) == ("death", areas.county, "pending")
    death.refresh_from_db()
    assert death.sent_list == sent
    with pytest.raises(ValidationError) as nothing_new:
        services.deaths_send(actor=officers.approver, area=areas.county)
    assert nothing_new.value.messages == [
        "There is no death recorded since the last list was sent."
    ]

    loaded = loading.list_load(external_list=sent)  # the worker's job
    assert (loaded.status, loaded.rows_loaded, loaded.rows_rejected) == ("loaded", 1, 0)
    row = loaded.rows.get()
    assert (row.id_number, row.name, row.event_date) == (
        member.id_number,
        member.name,
        "2026-03-10",
    )

    run = crosscheck.run_start(actor=None, area=areas.county, inline=True)
    assert run.warnings_created == 1
    warning = Warning.objects.get()
    assert warning.person == member
    assert warning.suggested_month == APR
    crosscheck.warnings_confirm(
        actor=officers.approver, warnings=[warning], action="stop", effective_month=APR
    )
    stopped = Entitlement.objects.get(person=member)
    assert (stopped.status, stopped.end_month) == ("stopped", D(2026, 3, 1))
    assert Entitlement.objects.get(person=other).status == "active"
    assert ExternalList.objects.count() == 1


def test_recording_a_death_checks_its_fields(areas, officers):
    person = PersonFactory(area=areas.village_a)
    with pytest.raises(ValidationError) as bad:
        services.death_record(
            actor=officers.funeral,
            area=areas.village_a,
            id_number="11010519491231002X"[:-1] + "1",
            name="某",
            died_on=D(2026, 3, 10),
            handled_on=D(2026, 3, 9),
        )
    assert set(bad.value.message_dict) == {"id_number"}
    with pytest.raises(ValidationError) as bad:
        record(officers.funeral, person, died=D(2026, 3, 10), disposal="sea")
    assert bad.value.message_dict == {"disposal": ["Choose cremation or burial."]}
    record(officers.funeral, person)
    with pytest.raises(ValidationError) as twice:
        record(officers.funeral, person)
    assert twice.value.message_dict == {
        "id_number": ["The death of this person is already recorded."]
    }
    with pytest.raises(PermissionDenied):
        record(officers.caseworker_a, PersonFactory(area=areas.village_a))
    assert Death.objects.count() == 1


def test_a_dibao_family_has_its_fees_waived_through_the_ledger(areas, officers, rules):
    member = beneficiary(areas.village_a, "dibao", "620.00", start=JAN)
    death = record(officers.funeral, member)
    with pytest.raises(ValidationError) as empty:  # the fund holds nothing yet
        services.fee_waiver_pay(actor=officers.funeral, death=death, paid_on=D(2026, 3, 15))
    assert "allocate money first" in empty.value.message_dict["amount"][0]
    assert not FeeWaiver.objects.exists()
    fund(officers.finance, "funeral_fee_waiver", "5000.00")

    waiver = services.fee_waiver_pay(actor=officers.funeral, death=death, paid_on=D(2026, 3, 15))
    assert (waiver.amount, waiver.basis) == (Decimal("1200.00"), "dibao")
    entry = LedgerEntry.objects.get(program="funeral_fee_waiver", kind="one_off")
    assert (entry.amount, entry.person, entry.source) == (
        Decimal("-1200.00"),
        member,
        f"funeral.death:{death.pk}",
    )
    with pytest.raises(ValidationError):
        services.fee_waiver_pay(actor=officers.funeral, death=death)


def test_no_waiver_for_a_family_without_dibao_or_extreme_poverty(areas, officers, rules):
    fund(officers.finance, "funeral_fee_waiver", "5000.00")
    unpaid = PersonFactory(area=areas.village_a, name="普通居民")
    death = record(officers.funeral, unpaid)
    with pytest.raises(ValidationError) as refused:
        services.fee_waiver_pay(actor=officers.funeral, death=death)
    assert refused.value.message_dict == {
        "death": [
            "In 2026-03 the deceased's family received neither dibao nor extreme-poverty "
            "support: the fees cannot be waived."
        ]
    }
    poor = beneficiary(areas.village_b, "extreme_poverty", "900.00", start=JAN)
    waiver = services.fee_waiver_pay(actor=officers.funeral, death=record(officers.funeral, poor))
    assert waiver.basis == "extreme_poverty"
    assert LedgerEntry.objects.filter(program="funeral_fee_waiver", kind="one_off").count() == 1


def test_cemetery_progress_never_goes_back(areas, officers):
    cemetery = services.cemetery_create(
        actor=officers.funeral,
        area=areas.a,
        name="甲镇公益性公墓",
        planned_plots=800,
        investment="2600000",
    )
    services.cemetery_report(
        actor=officers.funeral,
        cemetery=cemetery,
        reported_on=D(2026, 5, 1),
        progress=40,
        plots_built=300,
    )
    cemetery.refresh_from_db()
    assert (cemetery.status, cemetery.progress) == ("under_construction", 40)
    with pytest.raises(ValidationError) as back:
        services.cemetery_report(
            actor=officers.funeral, cemetery=cemetery, reported_on=D(2026, 6, 1), progress=30
        )
    assert back.value.message_dict == {"progress": ["Progress cannot go back: it was 40%."]}
    services.cemetery_report(
        actor=officers.funeral, cemetery=cemetery, reported_on=D(2026, 9, 1), progress=100
    )
    cemetery.refresh_from_db()
    assert cemetery.status == Cemetery.Status.COMPLETED
    with pytest.raises(ValidationError):
        services.cemetery_create(actor=officers.funeral, area=areas.a, name="甲镇公益性公墓")


def test_one_tomb_sweeping_plan_per_area_and_year(areas, officers):
    services.plan_create(
        actor=officers.funeral,
        area=areas.county,
        year=2026,
        title="2026年清明节祭扫工作方案",
        starts_on=D(2026, 3, 28),
        ends_on=D(2026, 4, 6),
        staff=120,
    )
    with pytest.raises(ValidationError) as twice:
        services.plan_create(
            actor=officers.funeral,
            area=areas.county,
            year=2026,
            title="重复",
            starts_on=D(2026, 3, 28),
            ends_on=D(2026, 4, 6),
        )
    assert twice.value.message_dict == {"year": ["This area already has a plan for this year."]}


def test_reads_follow_the_policy(areas, officers):
    from funeral import selectors

    death = record(officers.funeral, PersonFactory(area=areas.village_a))
    assert list(selectors.deaths(user=officers.approver)) == [death]
    with pytest.raises(PermissionDenied):
        selectors.deaths(user=officers.registrar)
    with pytest.raises(Http404):
        selectors.death_get(user=officers.clerk_a, pk=death.pk + 1000)
