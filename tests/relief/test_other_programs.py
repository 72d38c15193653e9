"""Homeless relief, charity medical aid, the figures page, and the remaining pages' scoping."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from relief import selectors, services
from relief.models import Application, HomelessCase, MedicalAid
from tests.conftest import login
from tests.relief.conftest import apply_for, head_of, make_household, member, next_month, walk

pytestmark = pytest.mark.django_db
today = datetime.date.today


def test_homeless_intake_services_and_return_home(staff, areas, standards):
    zone = services.patrol_zone_create(actor=staff.caseworker_a, area=areas.a, name="汽车站")
    case = services.homeless_intake(
        actor=staff.caseworker_a, area=areas.a, name="无名男子", found_on=today(), zone=zone
    )
    services.homeless_give_service(
        actor=staff.caseworker_a, case=case, kind="food", given_on=today(), cost="25.5"
    )
    with pytest.raises(ValidationError, match="home address"):
        services.homeless_close(actor=staff.caseworker_a, case=case, outcome="returned", on=today())
    services.homeless_close(
        actor=staff.caseworker_a,
        case=case,
        outcome="returned",
        on=today(),
        destination="湖南省益阳市某村",
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("returned", today())
    assert case.services.get().cost == Decimal("25.50")
    with pytest.raises(ValidationError, match="left the station"):
        services.homeless_give_service(
            actor=staff.caseworker_a, case=case, kind="food", given_on=today()
        )
    with pytest.raises(Http404):
        services.homeless_give_service(
            actor=staff.caseworker_b, case=case, kind="food", given_on=today()
        )


def test_homeless_pages_are_scoped(staff, areas):
    case = services.homeless_intake(
        actor=staff.caseworker_b, area=areas.b, name="乙镇个案", found_on=today()
    )
    client = login(staff.caseworker_a)
    assert "乙镇个案" not in client.get(reverse("relief:homeless_list")).content.decode()
    assert client.get(reverse("relief:homeless_detail", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("relief:homeless_list"), {"area": areas.b.pk, "name": "x", "found_on": today()}
    )
    assert response.status_code == 200  # the area is not a choice for them
    assert HomelessCase.objects.count() == 1


def test_medical_aid_for_a_dibao_patient_only(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head", wages="100"))
    patient = head_of(household)
    with pytest.raises(ValidationError, match="receiving dibao"):
        services.medical_aid_record(
            actor=staff.caseworker_a,
            person=patient,
            hospital="县医院",
            treated_on=today(),
            total_cost="1000",
            insurance_paid="600",
            aid_amount="300",
        )
    walk(apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT)
    with pytest.raises(ValidationError, match="at most what insurance left"):
        services.medical_aid_record(
            actor=staff.caseworker_a,
            person=patient,
            hospital="县医院",
            treated_on=today(),
            total_cost="1000",
            insurance_paid="600",
            aid_amount="500",
        )
    services.medical_aid_record(
        actor=staff.caseworker_a,
        person=patient,
        hospital="县医院",
        treated_on=today(),
        total_cost="1000",
        insurance_paid="600",
        aid_amount="400",
    )
    figures = selectors.program_figures(user=staff.approver)
    assert (figures["medical_aid_times"], figures["medical_aid_amount"]) == (1, Decimal("400.00"))
    assert selectors.program_figures(user=staff.caseworker_b)["medical_aid_times"] == 0
    page = login(staff.caseworker_a).get(reverse("relief:medical_aid")).content.decode()
    assert "400.00" in page
    assert MedicalAid.objects.count() == 1


def test_figures_page_counts_people_paid_by_program(staff, areas, standards):
    household = make_household(
        staff.caseworker_a, areas.village_a, member("head", wages="300"), member("spouse")
    )
    walk(apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT)
    month = next_month()
    response = login(staff.approver).get(
        reverse("relief:figures"), {"month": month.strftime("%Y-%m")}
    )
    figures = response.context["figures"]
    dibao = next(f for f in figures["programs"] if f.program == "dibao")
    assert (dibao.people, dibao.monthly_total) == (1, Decimal("1220.00"))
    other = login(staff.caseworker_b).get(
        reverse("relief:figures"), {"month": month.strftime("%Y-%m")}
    )
    assert next(f for f in other.context["figures"]["programs"] if f.program == "dibao").people == 0


def test_figures_page_reads_the_month_as_typed(staff, areas, standards):
    client = login(staff.approver)
    page = client.get(reverse("relief:figures"), {"month": "2027-3"}).content.decode()
    assert 'value="2027-03"' in page
    this_month = timezone.localdate().strftime("%Y-%m")
    page = client.get(reverse("relief:figures"), {"month": "2027-13"}).content.decode()
    assert f'value="{this_month}"' in page  # not a month: the current one


def test_entitlement_page_changes_amount_through_the_service(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head", wages="160"))
    walk(apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT)
    entitlement = household.entitlements.get()
    month = entitlement.start_month
    url = reverse("relief:entitlement_detail", args=[entitlement.pk])
    response = login(staff.caseworker_a).post(
        url,
        {"action": "change_amount", "effective_month": month.strftime("%Y-%m"), "reason": "更正"},
    )
    assert response.status_code == 400
    assert 'data-field="monthly_amount"' in response.content.decode()
    response = login(staff.caseworker_a).post(
        url,
        {
            "action": "change_amount",
            "effective_month": month.strftime("%Y-%m"),
            "monthly_amount": "550",
            "reason": "更正",
        },
    )
    assert response.status_code == 302
    entitlement.refresh_from_db()
    assert entitlement.monthly_amount == Decimal("550.00")
    assert (
        login(staff.finance)
        .post(url, {"action": "stop", "effective_month": month.strftime("%Y-%m"), "reason": "x"})
        .status_code
        == 403
    )  # finance does not change entitlements
    entitlement.refresh_from_db()
    assert entitlement.status == "active"
