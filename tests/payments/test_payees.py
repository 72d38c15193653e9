"""Payees (issue 10, item 7): centralised extreme-poverty support is paid to the care home.
The resident needs no account of their own; the approved row and the bank file carry the care
home's name and account, while the row still names the resident as the beneficiary."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from civil_affairs.payments import services
from civil_affairs.payments.models import Payment
from relief import services as relief_services
from relief.models import Entitlement
from tests.conftest import login
from tests.factories import PersonFactory

from .factories import approved, beneficiary, entitle, generate

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
            actor=staff.caseworker_a, entitlement=support, caregiver_id=elsewhere.pk
        )
    assert list(info.value.message_dict) == ["caregiver"]
    neighbour = PersonFactory(area=areas.village_a)
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=neighbour.pk
    )
    support.refresh_from_db()
    assert support.caregiver == neighbour
