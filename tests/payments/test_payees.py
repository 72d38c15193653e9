"""Payees (issue 10, item 7): centralised extreme-poverty support is paid to the care home.
The resident needs no account of their own; the approved row and the bank file carry the care
home's name and account, while the row still names the resident as the beneficiary."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from civil_affairs.payments import exports, reconciliation, services
from civil_affairs.payments.models import LedgerEntry, Payment
from relief import services as relief_services
from relief.models import Entitlement
from tests.conftest import login
from tests.factories import PersonFactory

from .factories import DEC, NOV, approved, beneficiary, entitle, generate

pytestmark = pytest.mark.django_db

HOME_ACCOUNT = "6217000011112222"


def _resident(staff, areas, *, payee: bool):
    resident = PersonFactory(area=areas.village_a, bank_name="", bank_account="")
    support = entitle(resident, "extreme_poverty", "1288.00")
    support.basis = {"support_mode": "centralised"}
    support.save(update_fields=["basis"])
    if payee:
        relief_services.entitlement_set_payee(
            actor=staff.caseworker_a,
            entitlement=support,
            payee_name="县敬老院",
            payee_bank_name="农商银行",
            payee_account=HOME_ACCOUNT,
        )
    return resident


def test_centralised_support_is_paid_to_the_care_home(staff, areas):
    resident = _resident(staff, areas, payee=True)
    other = beneficiary(areas.village_a, "dibao", "500.00")

    payroll = approved(generate(staff.finance), staff)

    paid = Payment.objects.get(payroll=payroll, person=resident)
    assert (paid.payee_name, paid.bank_account, paid.amount) == (
        "县敬老院",
        HOME_ACCOUNT,
        1288,
    )
    own = Payment.objects.get(payroll=payroll, person=other)
    assert (own.payee_name, own.bank_account) == ("", other.bank_account)

    stream, _name = services.payroll_bank_file(actor=staff.finance, payroll=payroll)
    records = b"".join(stream).split(b"\r\n")[1:-2]
    by_account = {r[17:49].decode().strip(): r for r in records}
    assert len(records) == 2
    home = by_account[HOME_ACCOUNT]
    assert home[49:89].decode("gb18030").strip() == "县敬老院"
    assert int(home[89:104]) == 128800


def test_without_a_payee_a_resident_without_an_account_stops_the_approval(staff, areas):
    resident = _resident(staff, areas, payee=False)
    payroll = generate(staff.finance)
    with pytest.raises(ValidationError) as info:
        approved(payroll, staff)
    assert resident.name in str(info.value)


def test_a_caseworker_names_the_care_home_on_the_entitlement_page(staff, areas):
    resident = _resident(staff, areas, payee=False)
    support = Entitlement.objects.get(person=resident)
    url = f"/relief/entitlements/{support.pk}/payee/"
    page = login(staff.caseworker_a)
    response = page.post(url, {"payee_name": "县敬老院", "payee_account": ""})
    assert response.status_code == 400
    assert "请填写供养机构账号" in response.content.decode()
    response = page.post(
        url,
        {"payee_name": "县敬老院", "payee_bank_name": "农商银行", "payee_account": HOME_ACCOUNT},
    )
    assert response.status_code == 302
    support.refresh_from_db()
    assert (support.payee_name, support.payee_account) == ("县敬老院", HOME_ACCOUNT)
    assert "县敬老院" in page.get(f"/relief/entitlements/{support.pk}/").content.decode()
    # another township's caseworker does not find it
    assert login(staff.caseworker_b).get(url).status_code == 404


def test_the_caregiver_is_someone_on_file_in_the_actors_areas(staff, areas):
    elder = PersonFactory(area=areas.village_a)
    support = entitle(elder, "extreme_poverty", "1288.00")
    support.basis = {"support_mode": "dispersed"}
    support.save(update_fields=["basis"])
    elsewhere = PersonFactory(area=areas.village_b)
    with pytest.raises(ValidationError) as info:
        relief_services.entitlement_set_payee(
            actor=staff.caseworker_a,
            entitlement=support,
            caregiver_id=elsewhere.pk,
            caregiver_from=NOV,
        )
    assert list(info.value.message_dict) == ["caregiver"]
    neighbour = PersonFactory(area=areas.village_a)
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=neighbour.pk, caregiver_from=NOV
    )
    support.refresh_from_db()
    assert support.caregiver == neighbour


# ---- dispersed support: the care amount to the caregiver, in the agreement's months

JAN = datetime.date(2027, 1, 1)
CAREGIVER_ACCOUNT = "6217000033334444"


def _dispersed(staff, areas):
    """1288 a month: 988 basic living + 300 care (full care, the period's basis)."""
    elder = PersonFactory(
        area=areas.village_a, bank_name="农商银行", bank_account="6217000055556666"
    )
    support = entitle(elder, "extreme_poverty", "1288.00")
    support.basis = {"support_mode": "dispersed"}
    support.save(update_fields=["basis"])
    support.periods.update(basis={"care": "300.00", "self_care": "full_care"})
    caregiver = PersonFactory(
        area=areas.village_a, bank_name="农商银行", bank_account=CAREGIVER_ACCOUNT
    )
    return elder, support, caregiver


def _paid(payroll):
    return sorted(
        (p.program, f"{p.month:%m}", p.amount, p.payee_name, p.bank_account)
        for p in Payment.objects.filter(payroll=payroll)
    )


def _differences():
    return [
        d
        for program, month in reconciliation.as_of_months().items()
        for d in reconciliation.differences(program, month)
    ]


def test_the_care_amount_goes_to_the_caregiver_in_the_agreements_months(staff, areas):
    elder, support, caregiver = _dispersed(staff, areas)
    november = approved(generate(staff.finance, NOV), staff)
    assert _paid(november) == [
        ("extreme_poverty", "11", Decimal("1288.00"), "", elder.bank_account)
    ]

    def agree(first, last=None):
        relief_services.entitlement_set_payee(
            actor=staff.caseworker_a,
            entitlement=support,
            caregiver_id=caregiver.pk,
            caregiver_from=first,
            caregiver_to=last,
        )

    # November was paid whole to the elder: the agreement cannot reach back into it
    with pytest.raises(ValidationError) as info:
        agree(NOV)
    assert "2026-11" in str(info.value)
    agree(DEC)
    api = login(staff.caseworker_a).get(f"/api/relief/entitlements/{support.pk}/").json()
    assert (api["caregiver"], api["caregiver_from"], api["caregiver_to"]) == (
        caregiver.pk,
        "2026-12-01",
        None,
    )

    december = generate(staff.finance, DEC)
    assert december.programs == [
        "dibao",
        "disability_care",
        "disability_living",
        "extreme_poverty",
        "extreme_poverty_care",
    ]
    # "generate again" on the draft's page asks for the same programs (the care subsidy comes
    # with extreme poverty, it is not asked for alone) and adds nothing already there
    rows_before, generated_before = _paid(december), december.generation_finished_at
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = login(staff.finance).post(f"/payments/{december.pk}/regenerate/", follow=True)
    assert "extreme_poverty_care" not in page.content.decode()
    december.refresh_from_db()
    assert (december.status, _paid(december)) == ("draft", rows_before)
    assert december.generation_finished_at > generated_before  # it did run again
    # the care subsidy alone is still not a payroll of its own
    with pytest.raises(ValidationError, match="extreme_poverty_care"):
        generate(staff.finance, JAN, programs=["extreme_poverty_care"])
    december = approved(december, staff)
    assert _paid(december) == [
        ("extreme_poverty", "12", Decimal("988.00"), "", elder.bank_account),
        ("extreme_poverty_care", "12", Decimal("300.00"), caregiver.name, CAREGIVER_ACCOUNT),
    ]
    # both rows are paid out of the extreme-poverty fund, 1288 in all
    disbursed = LedgerEntry.objects.filter(payroll=december, kind=LedgerEntry.Kind.DISBURSEMENT)
    assert [(e.program, e.amount) for e in disbursed] == [("extreme_poverty", Decimal("-1288.00"))]
    # the bank file pays the caregiver's account in the caregiver's name
    stream, _name = services.payroll_bank_file(actor=staff.finance, payroll=december)
    records = b"".join(stream).split(b"\r\n")[1:-2]
    by_account = {r[17:49].decode().strip(): r for r in records}
    assert by_account[CAREGIVER_ACCOUNT][49:89].decode("gb18030").strip() == caregiver.name
    assert int(by_account[CAREGIVER_ACCOUNT][89:104]) == 30000

    # the payroll's CSV says whom each row is paid to
    body = b"".join(exports.csv_stream(december, full_id=True)).decode("utf-8-sig")
    paid_to = {(row[4], row[11]) for row in csv.reader(io.StringIO(body))}
    assert ("特困人员照料护理补贴", caregiver.name) in paid_to
    assert ("特困人员救助供养", elder.name) in paid_to
    rows = login(staff.finance).get(f"/payments/{december.pk}/rows/").content.decode()
    assert f"收款人：{caregiver.name}" in rows

    # the agreement ends with December: January is paid whole to the elder again
    agree(DEC, DEC)
    january = approved(generate(staff.finance, JAN), staff)
    assert _paid(january) == [("extreme_poverty", "01", Decimal("1288.00"), "", elder.bank_account)]
    assert _differences() == []
    page = login(staff.caseworker_a).get(f"/relief/entitlements/{support.pk}/").content.decode()
    assert f"{caregiver.name}" in page
    assert "2026-12" in page


def test_a_caregiver_without_an_account_stops_the_approval_not_paid_to_the_elder(staff, areas):
    elder, support, caregiver = _dispersed(staff, areas)
    caregiver.bank_account = ""
    caregiver.save(update_fields=["bank_account"])
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=caregiver.pk, caregiver_from=NOV
    )
    with pytest.raises(ValidationError) as info:
        approved(generate(staff.finance, NOV), staff)
    assert f"{elder.name}（特困人员照料护理补贴）" in str(info.value)
    assert Payment.objects.filter(program="extreme_poverty_care", amount=300).count() == 1


def test_the_payee_page_asks_a_dispersed_case_for_the_caregiver_and_the_months(staff, areas):
    _elder, support, caregiver = _dispersed(staff, areas)
    url = f"/relief/entitlements/{support.pk}/payee/"
    page = login(staff.caseworker_a)
    text = page.get(url).content.decode()
    assert 'name="caregiver_from"' in text
    assert 'name="payee_account"' not in text
    response = page.post(url, {"caregiver": caregiver.id_number, "caregiver_from": ""})
    assert response.status_code == 400
    assert "请填写协议起始月" in response.content.decode()
    response = page.post(
        url,
        {"caregiver": caregiver.id_number, "caregiver_from": "2026-12", "caregiver_to": "2026-11"},
    )
    assert response.status_code == 400
    assert "不能早于" in response.content.decode()
    response = page.post(url, {"caregiver": caregiver.id_number, "caregiver_from": "2026-10"})
    assert "协议起始月不能早于供养的起始月（2026-11）" in response.content.decode()
    response = page.post(url, {"caregiver": caregiver.id_number, "caregiver_from": "2026-12"})
    assert response.status_code == 302
    support.refresh_from_db()
    assert (support.caregiver, support.caregiver_from, support.caregiver_to) == (
        caregiver,
        DEC,
        None,
    )


def test_a_failed_care_row_is_corrected_on_the_caregivers_record_not_the_elders(staff, areas):
    from civil_affairs.payments import bankfile
    from civil_affairs.people.services import person_update

    elder, support, caregiver = _dispersed(staff, areas)
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=caregiver.pk, caregiver_from=NOV
    )
    november = approved(generate(staff.finance, NOV), staff)
    stream, _name = services.payroll_bank_file(actor=staff.finance, payroll=november)
    b"".join(stream)
    care = Payment.objects.get(payroll=november, program="extreme_poverty_care")
    lines = [
        (
            p.pk,
            p.bank_account,
            p.payee_name or elder.name,
            int(p.amount * 100),
            p != care,
            "账户冻结",
        )
        for p in Payment.objects.filter(payroll=november)
    ]
    services.bank_return_apply(
        actor=staff.finance,
        payroll=november,
        content=bankfile.result_file(november.pk, NOV, NOV, lines),
        file_name="r.txt",
    )
    care.refresh_from_db()
    assert care.status == "failed"
    # the failed 300 returns to the extreme-poverty fund the care subsidy is paid from
    returned = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RETURN)
    assert [(e.program, e.amount) for e in returned] == [("extreme_poverty", Decimal("300.00"))]

    # the row's account is the caregiver's: the elder's record is not the place to correct it
    with pytest.raises(ValidationError) as info:
        services.payment_correct_account(
            actor=staff.caseworker_a,
            payment=care,
            bank_name="邮储银行",
            bank_account="6221880000000009",
        )
    assert caregiver.name in str(info.value)
    page = login(staff.caseworker_a).get(f"/payments/rows/{care.pk}/correct/").content.decode()
    assert 'id="paid-to-payee"' in page
    assert 'id="correct-form"' not in page
    # the failed list shows the caregiver's account as the one a reissue would pay: unchanged
    listed = login(staff.finance).get("/payments/failed/").content.decode()
    row = listed.split(f'id="pick-{care.pk}"')[1].split("</tr>")[0]
    assert "****4444" in row
    assert "已更改" not in row
    elder.refresh_from_db()
    assert elder.bank_account == "6217000055556666"

    # the caregiver's account has not changed: a reissue would fail the same way
    with pytest.raises(ValidationError) as info:
        services.payroll_reissue(actor=staff.finance, payments=[care], month=NOV)
    assert info.value.code == "same_account"
    person_update(
        actor=staff.caseworker_a,
        person=caregiver,
        bank_name="邮储银行",
        bank_account="6221880000000009",
    )
    supplementary = approved(
        services.payroll_reissue(actor=staff.finance, payments=[care], month=NOV), staff
    )
    assert _paid(supplementary) == [
        ("extreme_poverty_care", "11", Decimal("300.00"), caregiver.name, "6221880000000009")
    ]


def _export(payroll, tmp_path, *, full_id):
    """{(name, program): (bank, account, paid to)} from the CSV, checked equal to the xlsx."""
    body = b"".join(exports.csv_stream(payroll, full_id=full_id)).decode("utf-8-sig")
    from_csv = {
        (row[2], row[4]): (row[7], row[8], row[11])
        for row in list(csv.reader(io.StringIO(body)))[1:]
    }
    path = tmp_path / f"{payroll.pk}-{full_id}.xlsx"
    exports.write_xlsx(payroll, path, full_id=full_id)
    sheet = openpyxl.load_workbook(path, read_only=True)["桃花江镇"]
    from_xlsx = {
        (row[2], row[4]): (row[7], row[8], row[11])
        for row in list(sheet.iter_rows(values_only=True))[3:-1]
    }
    assert from_xlsx == from_csv
    return from_csv


def test_a_draft_shows_whom_approval_will_pay(staff, areas, tmp_path):
    """Before approval the exports and the rows page show the care home or caregiver a row
    will be paid to, not the beneficiary; after approval, whom it was paid to."""
    elder, support, caregiver = _dispersed(staff, areas)
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=caregiver.pk, caregiver_from=NOV
    )
    resident = _resident(staff, areas, payee=True)
    draft = generate(staff.finance, NOV)
    care, living, home = "特困人员照料护理补贴", "特困人员救助供养", "县敬老院"
    expected = {
        (elder.name, care): ("农商银行", CAREGIVER_ACCOUNT, caregiver.name),
        (elder.name, living): ("农商银行", elder.bank_account, elder.name),
        (resident.name, living): ("农商银行", HOME_ACCOUNT, home),
    }
    assert _export(draft, tmp_path, full_id=True) == expected
    masked = _export(draft, tmp_path, full_id=False)
    assert masked[(elder.name, care)] == ("农商银行", "****4444", caregiver.name)
    assert masked[(resident.name, living)][1:] == ("****2222", home)
    page = login(staff.finance).get(f"/payments/{draft.pk}/rows/").content.decode()
    assert f"收款人：{caregiver.name}" in page
    assert f"收款人：{home}" in page

    # approval keeps the payee and account it paid; a later change shows on the next draft only
    approved(draft, staff)
    caregiver.bank_account = "6217000077778888"
    caregiver.save(update_fields=["bank_account"])
    assert _export(draft, tmp_path, full_id=True) == expected


FEB = datetime.date(2027, 2, 1)


def test_the_caregivers_death_ends_the_agreement_in_the_month_after(staff, areas):
    """The caregiver dies on 20 November: November's care is still theirs; from December the
    elder is paid the whole amount. The death reaches the bureau after December was paid
    split: January's payroll pays the elder December's care part, and reconciliation lists
    December's care, paid to the dead caregiver, as overpaid."""
    from civil_affairs.people import services as people_services

    elder, support, caregiver = _dispersed(staff, areas)
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=caregiver.pk, caregiver_from=NOV
    )
    approved(generate(staff.finance, NOV), staff)
    december = approved(generate(staff.finance, DEC), staff)
    assert [(p, a) for p, _m, a, _n, _b in _paid(december)] == [
        ("extreme_poverty", Decimal("988.00")),
        ("extreme_poverty_care", Decimal("300.00")),
    ]
    people_services.person_update(
        actor=staff.caseworker_a, person=caregiver, death_date=datetime.date(2026, 11, 20)
    )
    january = approved(generate(staff.finance, JAN), staff)
    assert _paid(january) == [
        ("extreme_poverty", "01", Decimal("1288.00"), "", elder.bank_account),
        ("extreme_poverty", "12", Decimal("300.00"), "", elder.bank_account),
    ]
    assert [(d.person_id, d.program, d.month, d.owed, d.paid) for d in _differences()] == [
        (elder.pk, "extreme_poverty_care", DEC, Decimal("0.00"), Decimal("300.00"))
    ]
    page = login(staff.caseworker_a).get(f"/relief/entitlements/{support.pk}/").content.decode()
    assert "2026-11-20" in page
    # the dead caregiver's agreement can still be ended with its last month (November)...
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a,
        entitlement=support,
        caregiver_id=caregiver.pk,
        caregiver_from=NOV,
        caregiver_to=NOV,
    )
    support.refresh_from_db()
    assert (support.caregiver_id, support.caregiver_to) == (caregiver.pk, NOV)
    # months after the death are paid (whole, with the arrears): no successor on this agreement
    with pytest.raises(ValidationError, match="2026-12"):
        relief_services.entitlement_set_payee(
            actor=staff.caseworker_a,
            entitlement=support,
            caregiver_id=PersonFactory(area=areas.village_a).pk,
            caregiver_from=NOV,
        )
    # ...and a dead person is not named caregiver of another elder
    _other, other_support, _nobody = _dispersed(staff, areas)
    with pytest.raises(ValidationError) as info:
        relief_services.entitlement_set_payee(
            actor=staff.caseworker_a,
            entitlement=other_support,
            caregiver_id=caregiver.pk,
            caregiver_from=FEB,
        )
    assert list(info.value.message_dict) == ["caregiver"]


def test_a_new_caregiver_after_a_death_takes_the_months_not_yet_paid(staff, areas):
    """The death is on file before December's payroll: a new caregiver, on the agreement that
    began in November, is paid December's care; November stays paid to the dead caregiver."""
    from civil_affairs.people import services as people_services

    elder, support, caregiver = _dispersed(staff, areas)
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=caregiver.pk, caregiver_from=NOV
    )
    approved(generate(staff.finance, NOV), staff)
    people_services.person_update(
        actor=staff.caseworker_a, person=caregiver, death_date=datetime.date(2026, 11, 20)
    )
    successor = PersonFactory(
        area=areas.village_a, bank_name="农商银行", bank_account="6217000099990000"
    )
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=successor.pk, caregiver_from=NOV
    )
    december = approved(generate(staff.finance, DEC), staff)
    assert _paid(december) == [
        ("extreme_poverty", "12", Decimal("988.00"), "", elder.bank_account),
        ("extreme_poverty_care", "12", Decimal("300.00"), successor.name, "6217000099990000"),
    ]
    assert _differences() == []
