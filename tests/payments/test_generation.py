"""Payroll generation: rows and totals from the providers, reruns, locks, scope."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.core.status import history
from civil_affairs.payments import selectors, services
from civil_affairs.payments.models import Payment, Payroll
from relief.models import Entitlement

from .factories import NOV, beneficiary, generate

pytestmark = pytest.mark.django_db

PROGRAMS = ["dibao", "extreme_poverty", "disability_living", "disability_care"]


@pytest.fixture
def county_data(areas):
    """Beneficiaries in the four demo villages, every program, and a few that must not pay."""
    people = []
    amounts = {
        "dibao": "530.00",
        "extreme_poverty": "1100.00",
        "disability_living": "90.00",
        "disability_care": "120.00",
    }
    villages = [
        areas.by_code[c] for c in ("430922100201", "430922100001", "430922101201", "430922101001")
    ]
    for i, village in enumerate(villages):
        for program in PROGRAMS[: i + 1]:
            people.append(beneficiary(village, program, amounts[program]))
    # not payable in November
    beneficiary(villages[0], "dibao", "400.00", start=NOV.replace(month=12))
    beneficiary(
        villages[1], "dibao", "400.00", start=NOV.replace(month=9), end=NOV.replace(month=10)
    )
    beneficiary(villages[2], "dibao", "400.00", status="suspended", suspended_from=NOV)
    return people


def expected_by_program_township(month=NOV):
    """What the entitlements owe up to `month` (each has one amount), per program and
    township: the month itself and every earlier month owed (none was paid before)."""
    from civil_affairs.core.months import add_months

    totals = {}
    for e in Entitlement.objects.select_related("area__parent"):
        last = min(month, e.end_month or month)
        if e.status == "suspended" and e.suspended_from:
            last = min(last, add_months(e.suspended_from, -1))
        m = e.start_month
        while m <= last:
            key = (e.area.parent.name, e.program)
            totals[key] = totals.get(key, Decimal("0.00")) + e.monthly_amount
            m = add_months(m, 1)
    return totals


def test_total_equals_what_is_owed_per_program_and_township(staff, county_data):
    payroll = generate(staff.finance, chunk_persons=3)
    assert payroll.status == Payroll.Status.DRAFT
    assert payroll.chunks.count() > 1
    expected = expected_by_program_township()
    summary = {
        (row.township, row.program): row.amount for row in selectors.payroll_summary(payroll)
    }
    from civil_affairs.payments.models import program_label

    assert summary == {(t, program_label(p)): a for (t, p), a in expected.items()}
    assert payroll.amount == sum(expected.values())
    # 10 months of November, and the two months of the one that ended in October
    assert payroll.rows == Payment.objects.filter(payroll=payroll).count() == 12


def test_second_generation_pays_the_same(staff, county_data):
    """A draft generated again pays what is owed now: nothing changed, the same rows."""
    payroll = generate(staff.finance, chunk_persons=3)
    key = ("person", "program", "month", "amount", "kind")
    before = sorted(Payment.objects.values_list(*key))
    again = generate(staff.finance, chunk_persons=2)
    assert again.pk == payroll.pk
    assert again.status == Payroll.Status.DRAFT
    assert sorted(Payment.objects.values_list(*key)) == before
    assert again.amount == payroll.amount
    assert [c.new_status for c in history(again)] == ["generating", "draft", "generating", "draft"]


def test_rerun_of_a_draft_adds_what_was_approved_since(staff, areas, county_data):
    payroll = generate(staff.finance)
    late = beneficiary(areas.village_a, "dibao", "610.00")
    again = generate(staff.finance)
    assert again.rows == payroll.rows + 1
    assert Payment.objects.get(person=late).amount == Decimal("610.00")


def test_second_start_while_running_is_refused(staff, county_data):
    first = services.payroll_generate(actor=staff.finance, month=NOV, programs=PROGRAMS)
    assert first.status == Payroll.Status.GENERATING
    with pytest.raises(ValidationError) as refused:
        services.payroll_generate(actor=staff.finance, month=NOV, programs=PROGRAMS)
    assert f"#{first.pk}" in str(refused.value)
    assert Payroll.objects.count() == 1


def test_overlapping_payroll_is_refused_but_other_programs_are_not(staff, county_data):
    generate(staff.finance, programs=["dibao", "extreme_poverty"])
    with pytest.raises(ValidationError):
        generate(staff.finance, programs=["dibao"])
    other = generate(staff.finance, programs=["disability_living", "disability_care"])
    assert set(other.programs) == {"disability_living", "disability_care"}
    assert (
        Payment.objects.filter(payroll=other)
        .exclude(program__in=["disability_living", "disability_care"])
        .count()
        == 0
    )


def test_township_payrolls_side_by_side(staff, areas, county_data):
    a = generate(staff.finance, areas=[areas.a])
    b = generate(staff.finance, areas=[areas.b])
    assert a.area == areas.a
    assert {p.area.parent_id for p in Payment.objects.filter(payroll=a)} == {areas.a.pk}
    assert {p.area.parent_id for p in Payment.objects.filter(payroll=b)} == {areas.b.pk}
    with pytest.raises(ValidationError):
        generate(staff.finance)  # the county overlaps both


def test_only_finance_generates_and_only_in_its_areas(staff, areas, county_data):
    with pytest.raises(PermissionDenied):
        services.payroll_generate(actor=staff.approver, month=NOV, programs=["dibao"])
    with pytest.raises(PermissionDenied):
        services.payroll_generate(
            actor=staff.caseworker_a, month=NOV, programs=["dibao"], areas=[areas.a]
        )
    with pytest.raises(Http404):
        services.payroll_generate(
            actor=staff.caseworker_a, month=NOV, programs=["dibao"], areas=[areas.b]
        )
    assert not Payroll.objects.exists()


def test_bad_input_names_the_field(staff, county_data):
    with pytest.raises(ValidationError) as bad:
        services.payroll_generate(actor=staff.finance, month=NOV, programs=["lottery"])
    assert "programs" in bad.value.message_dict
    with pytest.raises(ValidationError) as bad:
        services.payroll_generate(actor=staff.finance, month="2026-13", programs=["dibao"])
    assert "month" in bad.value.message_dict
    assert not Payroll.objects.exists()


def test_chunk_run_twice_inserts_once(staff, county_data):
    payroll = services.payroll_generate(
        actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=4
    )
    chunks = list(payroll.chunks.all())
    first = [services.payroll_chunk_generate(chunk_id=c.pk) for c in chunks]
    again = [services.payroll_chunk_generate(chunk_id=c.pk) for c in chunks]
    assert sum(first) == 12
    assert again == [0] * len(chunks)
    services.payroll_generation_finish(payroll_id=payroll.pk)
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.DRAFT
    assert payroll.rows == 12


def test_finish_waits_for_every_chunk(staff, county_data):
    payroll = services.payroll_generate(
        actor=staff.finance, month=NOV, programs=PROGRAMS, chunk_persons=4
    )
    first = payroll.chunks.first()
    services.payroll_chunk_generate(chunk_id=first.pk)
    services.payroll_generation_finish(payroll_id=payroll.pk)
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.GENERATING
    assert selectors.generation_progress(payroll).done == 1


def test_discard_a_draft_deletes_its_rows(staff, county_data):
    payroll = generate(staff.finance)
    with pytest.raises(ValidationError):
        services.payroll_discard(actor=staff.finance, payroll=payroll, note=" ")
    services.payroll_discard(actor=staff.finance, payroll=payroll, note="错误的月份")
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.CANCELLED
    assert not Payment.objects.exists()
    fresh = generate(staff.finance)
    assert fresh.pk != payroll.pk
    assert fresh.rows == 12


def test_a_dead_generation_can_be_started_again(staff, county_data):
    import datetime

    from django.utils import timezone

    first = services.payroll_generate(actor=staff.finance, month=NOV, programs=PROGRAMS)
    an_hour_ago = timezone.now() - datetime.timedelta(seconds=3601)
    Payroll.objects.filter(pk=first.pk).update(generation_started_at=an_hour_ago)
    again = generate(staff.finance)
    assert again.pk == first.pk
    assert again.status == Payroll.Status.DRAFT
    assert again.rows == 12


def test_a_failed_generation_unlocks_the_payroll(staff, county_data):
    first = services.payroll_generate(actor=staff.finance, month=NOV, programs=PROGRAMS)
    services.payroll_generation_failed(payroll_id=first.pk, error="chunk 2: connection lost")
    first.refresh_from_db()
    assert first.status == Payroll.Status.FAILED
    assert history(first).last().note == "chunk 2: connection lost"
    with pytest.raises(ValidationError):
        services.payroll_submit(actor=staff.finance, payroll=first)
    again = generate(staff.finance)
    assert (again.pk, again.status, again.rows) == (first.pk, Payroll.Status.DRAFT, 12)
