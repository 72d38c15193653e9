"""Confirming a warning: the benefit changes through relief's services, the months already
paid become overpayments through payments' service, and the next payroll follows."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.crosscheck import services
from civil_affairs.crosscheck.models import Warning
from civil_affairs.payments.models import Overpayment, Payment
from relief.models import Entitlement
from tests.conftest import login
from tests.factories import PersonFactory
from tests.payments.factories import beneficiary, generate

from .conftest import csv_bytes, deaths, entitle, household_of, paid_payrolls, ref, run, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_in_process")]

JAN, APR, MAY, JUN, JUL = (datetime.date(2026, m, 1) for m in (1, 4, 5, 6, 7))


def test_death_of_a_dibao_member_stops_the_benefit_and_lists_paid_months(staff, areas):
    """The issue's must-show: a death record dated 2026-03-10 for a dibao member."""
    member = beneficiary(areas.village_a, "dibao", "620.00", start=JAN)
    household_of(member)
    paid_payrolls(
        staff, [JAN, datetime.date(2026, 2, 1), datetime.date(2026, 3, 1), APR, MAY, JUN], ["dibao"]
    )

    deaths(staff.approver, areas.county, [(member, "2026-03-10")])
    assert run(areas.county).warnings_created == 1
    warning = Warning.objects.get()
    assert warning.suggested_month == APR

    result = services.warnings_confirm(
        actor=staff.caseworker_a, warnings=[warning], action="stop", effective_month=APR
    )
    entitlement = Entitlement.objects.get(person=member)
    assert entitlement.status == "stopped"
    assert entitlement.end_month == datetime.date(2026, 3, 1)
    assert [(o.month, o.amount, o.status) for o in result.overpayments] == [
        (APR, Decimal("620.00"), "to_recover"),
        (MAY, Decimal("620.00"), "to_recover"),
        (JUN, Decimal("620.00"), "to_recover"),
    ]
    assert Overpayment.objects.filter(person=member).count() == 3
    assert {o.source for o in Overpayment.objects.all()} == {f"crosscheck.warning:{warning.pk}"}
    warning.refresh_from_db()
    assert warning.status == "confirmed"
    assert warning.resolution_action == "stop"
    assert warning.effective_month == APR
    assert [o["month"] for o in warning.outcome["overpayments"]] == [
        "2026-04-01",
        "2026-05-01",
        "2026-06-01",
    ]
    member.refresh_from_db()
    assert member.death_date == datetime.date(2026, 3, 10)

    july = generate(staff.finance, month=JUL, programs=["dibao"])
    assert not Payment.objects.filter(payroll=july, person=member).exists()
    # the queue's page shows the overpayments to recover
    page = login(staff.caseworker_a).get(f"/crosscheck/warnings/{warning.pk}/").content.decode()
    listed = page.split('id="overpayments"')[1].split("</table>")[0]
    assert re.findall(r"<td>(2026-0\d)</td><td>[^<]*</td><td>([\d.]+)</td>", listed) == [
        ("2026-04", "620.00"),
        ("2026-05", "620.00"),
        ("2026-06", "620.00"),
    ]
    assert run(areas.county).warnings_created == 0  # a rerun raises nothing new


def test_a_death_lists_the_care_subsidy_paid_to_the_caregiver_after_it(staff, areas):
    """Dispersed extreme-poverty support of 1288 a month, 300 of it to the caregiver: a death
    in March stops both parts from April and lists both as overpaid."""
    from relief import services as relief_services

    elder = beneficiary(areas.village_a, "extreme_poverty", "1288.00", start=JAN)
    household_of(elder)
    support = Entitlement.objects.get(person=elder)
    support.basis = {"support_mode": "dispersed"}
    support.save(update_fields=["basis"])
    support.periods.update(basis={"care": "300.00"})
    caregiver = PersonFactory(
        area=areas.village_a, bank_name="农商银行", bank_account="6217000000007001"
    )
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=caregiver.pk, caregiver_from=JAN
    )
    paid_payrolls(staff, [JAN, APR], ["extreme_poverty"])  # April also pays Feb and Mar

    deaths(staff.approver, areas.county, [(elder, "2026-03-10")])
    assert run(areas.county).warnings_created == 1
    result = services.warnings_confirm(
        actor=staff.caseworker_a,
        warnings=[Warning.objects.get()],
        action="stop",
        effective_month=APR,
    )
    assert sorted((o.program, o.month, o.amount) for o in result.overpayments) == [
        ("extreme_poverty", APR, Decimal("988.00")),
        ("extreme_poverty_care", APR, Decimal("300.00")),
    ]
    may = generate(staff.finance, month=MAY, programs=["extreme_poverty"])
    assert not Payment.objects.filter(payroll=may, person=elder).exists()
    # what is recovered of the caregiver's April goes back to the extreme-poverty fund
    from civil_affairs.payments import services as payments_services

    care = next(o for o in result.overpayments if o.program == "extreme_poverty_care")
    entry = payments_services.overpayment_recover(
        actor=staff.finance, overpayment=care, amount=Decimal("300.00")
    )
    assert (entry.program, entry.amount) == ("extreme_poverty", Decimal("300.00"))


def test_confirm_through_the_page(staff, areas, beneficiaries):
    b = beneficiaries
    deaths(staff.approver, areas.county, [(b.head_a, "2026-03-10")])
    run(areas.county)
    warning = Warning.objects.get()
    response = login(staff.caseworker_a).post(
        f"/crosscheck/warnings/{warning.pk}/confirm/",
        {
            "action": "stop",
            "effective_month": "2026-04",
            "benefits": [ref(b.dibao_a)],
            "note": "殡葬管理所火化记录",
        },
    )
    assert response.status_code == 302
    b.dibao_a.refresh_from_db()
    assert (b.dibao_a.status, b.dibao_a.end_month) == ("stopped", datetime.date(2026, 3, 1))
    warning.refresh_from_db()
    assert warning.resolution_note == "殡葬管理所火化记录"
    assert warning.rule.name in b.dibao_a.status_reason
    assert b.dibao_a.status_reason.endswith(": 殡葬管理所火化记录")


def test_a_vehicle_suspends_the_household_dibao(staff, areas, beneficiaries):
    b = beneficiaries
    data = csv_bytes(
        [[b.spouse_a.id_number, "", "200000", "湘H88888"]],
        ["身份证号码", "姓名", "车辆价值", "号牌号码"],
    )
    upload(staff.approver, areas.county, "vehicle", data)
    run(areas.county)
    warning = Warning.objects.get()
    services.warnings_confirm(
        actor=staff.approver, warnings=[warning], action="suspend", effective_month=MAY
    )
    b.dibao_a.refresh_from_db()
    assert (b.dibao_a.status, b.dibao_a.suspended_from) == ("suspended", MAY)


def test_a_review_may_change_the_amount_or_keep_it(staff, areas, beneficiaries):
    b = beneficiaries
    header = ["身份证号码", "姓名", "工作单位"]
    upload(
        staff.approver,
        areas.county,
        "public_payroll",
        csv_bytes([[b.head_a.id_number, "", "县水利局"]], header),
    )
    upload(
        staff.approver,
        areas.county,
        "company",
        csv_bytes(
            [[b.head_b.id_number, "", "某某商贸有限公司"]], ["身份证号码", "姓名", "企业名称"]
        ),
    )
    run(areas.county)
    job = Warning.objects.get(kind="public_payroll")
    company = Warning.objects.get(kind="company")
    services.warnings_confirm(
        actor=staff.caseworker_a,
        warnings=[job],
        action="change_amount",
        effective_month=MAY,
        new_amount=Decimal("300"),
        note="配偶收入计入后重新核定",
    )
    b.dibao_a.refresh_from_db()
    assert b.dibao_a.periods.get(valid_from=MAY).monthly_amount == Decimal("300.00")
    assert b.dibao_a.status == "active"
    services.warnings_confirm(
        actor=staff.caseworker_b, warnings=[company], action="keep", effective_month=MAY
    )
    company.refresh_from_db()
    assert (company.status, company.resolution_action) == ("confirmed", "keep")
    b.dibao_b.refresh_from_db()
    assert b.dibao_b.status == "active"


def test_identical_evidence_is_resolved_together(staff, areas, beneficiaries):
    """A spouse's public-payroll job concerns the head's dibao and her own support."""
    b = beneficiaries
    support = entitle(b.spouse_a, "extreme_poverty", "900.00")
    header = ["身份证号码", "姓名", "工作单位"]
    upload(
        staff.approver,
        areas.county,
        "public_payroll",
        csv_bytes([[b.spouse_a.id_number, "", "县医院"]], header),
    )
    deaths(staff.approver, areas.county, [(b.head_b, "2026-03-01")])
    run(areas.county)
    pair = list(Warning.objects.filter(kind="public_payroll").order_by("person__name"))
    assert {w.person for w in pair} == {b.spouse_a, b.head_a}
    other = Warning.objects.get(kind="death")
    with pytest.raises(ValidationError):
        services.warnings_dismiss(actor=staff.approver, warnings=[pair[0], other], reason="x")
    services.warnings_confirm(
        actor=staff.caseworker_a, warnings=pair, action="suspend", effective_month=MAY
    )
    b.dibao_a.refresh_from_db()
    support.refresh_from_db()
    assert (b.dibao_a.status, support.status) == ("suspended", "suspended")
    assert Warning.objects.filter(kind="public_payroll", status="confirmed").count() == 2


def test_resolving_is_for_the_area_and_the_role(staff, areas, beneficiaries):
    deaths(staff.approver, areas.county, [(beneficiaries.head_a, "2026-03-10")])
    run(areas.county)
    warning = Warning.objects.get()
    with pytest.raises(Http404):
        services.warnings_confirm(
            actor=staff.caseworker_b, warnings=[warning], action="stop", effective_month=APR
        )
    with pytest.raises(PermissionDenied):
        services.warnings_confirm(
            actor=staff.reviewer_a, warnings=[warning], action="stop", effective_month=APR
        )
    with pytest.raises(ValidationError) as caught:
        services.warnings_confirm(
            actor=staff.caseworker_a, warnings=[warning], action="keep", effective_month=APR
        )
    assert "action" in caught.value.message_dict
    warning.refresh_from_db()
    assert warning.status == "open"
    beneficiaries.dibao_a.refresh_from_db()
    assert beneficiaries.dibao_a.status == "active"


def test_nothing_half_written_when_relief_refuses(staff, areas, beneficiaries):
    """A suspension from after the entitlement's last month: relief refuses, nothing changes,
    not even the other warning of the same evidence resolved before it in the same call."""
    b = beneficiaries
    support = entitle(b.spouse_a, "extreme_poverty", "900.00")
    header = ["身份证号码", "姓名", "工作单位"]
    upload(
        staff.approver,
        areas.county,
        "public_payroll",
        csv_bytes([[b.spouse_a.id_number, "", "县医院"]], header),
    )
    run(areas.county)
    b.dibao_a.end_month = datetime.date(2026, 3, 1)  # the head's dibao ends in March
    b.dibao_a.save()
    pair = list(Warning.objects.order_by("pk"))
    with pytest.raises(ValidationError):
        services.warnings_confirm(
            actor=staff.caseworker_a, warnings=pair, action="suspend", effective_month=MAY
        )
    assert set(Warning.objects.values_list("status", flat=True)) == {"open"}
    support.refresh_from_db()
    assert (support.status, support.suspended_from) == ("active", None)


def test_a_stranger_on_the_list_is_nobody_to_stop(staff, areas):
    stranger = PersonFactory(area=areas.village_a)
    deaths(staff.approver, areas.county, [(stranger, "2026-03-10")])
    assert run(areas.county).warnings_created == 0


def test_a_lower_amount_lists_what_was_paid_above_it(staff, areas):
    """Confirmed as a cut from April to 300.00: April to June were paid 620.00, so 320.00 of
    each is to recover; a raise recovers nothing."""
    member = beneficiary(areas.village_a, "dibao", "620.00", start=JAN)
    household_of(member)
    paid_payrolls(staff, [JAN, APR, MAY, JUN], ["dibao"])
    header = ["身份证号码", "姓名", "工作单位"]
    upload(
        staff.approver,
        areas.county,
        "public_payroll",
        csv_bytes([[member.id_number, "", "县水利局"]], header),
    )
    run(areas.county)
    warning = Warning.objects.get(person=member)
    result = services.warnings_confirm(
        actor=staff.caseworker_a,
        warnings=[warning],
        action="change_amount",
        effective_month=APR,
        new_amount=Decimal("300"),
    )
    assert [(o.month, o.amount) for o in result.overpayments] == [
        (APR, Decimal("320.00")),
        (MAY, Decimal("320.00")),
        (JUN, Decimal("320.00")),
    ]
    warning.refresh_from_db()
    assert [o["amount"] for o in warning.outcome["overpayments"]] == ["320.00"] * 3


def test_ticked_benefits_are_the_opened_warnings_the_others_keep_theirs(
    staff, areas, beneficiaries
):
    """Confirmed with its identical ones: only the head's dibao is ticked on the opened
    warning; the spouse's warning (same record) still suspends her own support."""
    b = beneficiaries
    support = entitle(b.spouse_a, "extreme_poverty", "900.00")
    header = ["身份证号码", "姓名", "工作单位"]
    upload(
        staff.approver,
        areas.county,
        "public_payroll",
        csv_bytes([[b.spouse_a.id_number, "", "县医院"]], header),
    )
    run(areas.county)
    opened = Warning.objects.get(kind="public_payroll", person=b.head_a)
    response = login(staff.caseworker_a).post(
        f"/api/crosscheck/warnings/{opened.pk}/confirm/",
        {
            "action": "suspend",
            "effective_month": "2026-05",
            "benefits": [ref(b.dibao_a)],
            "also_identical": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    b.dibao_a.refresh_from_db()
    support.refresh_from_db()
    assert (b.dibao_a.status, support.status) == ("suspended", "suspended")
