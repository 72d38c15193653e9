"""The relief pages: what a caseworker, a reviewer and an approver see and do."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from relief.models import Application, Entitlement, Household
from tests.conftest import login
from tests.relief.conftest import apply_for, head_of, make_household, member, walk

pytestmark = pytest.mark.django_db
S = Application.Status


def member_post(index, **values):
    data = {
        "relationship": "head",
        "work_capacity": "full",
        "health": "healthy",
        "disability_certificate": "",
        "income_wages": "0",
        "income_business": "0",
        "income_farming": "0",
        "income_property": "0",
        "income_transfer": "0",
        "income_other": "0",
        "vehicles": "0",
        "real_estate": "0",
        "deposits": "0",
        **values,
    }
    return {f"members-{index}-{k}": v for k, v in data.items()}


def household_post(areas, *members):
    data = {
        "area": areas.village_a.pk,
        "address": "一组3号",
        "registered_type": "rural",
        "category": "B",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
    }
    for index, values in enumerate(members):
        data.update(member_post(index, **values))
    return data


def test_household_intake_with_members_in_one_page(staff, areas, standards):
    client = login(staff.caseworker_a)
    response = client.post(
        reverse("relief:household_create"),
        household_post(
            areas,
            {"id_number": "11010519491231002X", "name": "王大", "income_wages": "600"},
            {
                "id_number": "430922196001010011",
                "name": "王二",
                "relationship": "spouse",
                "income_farming": "300",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    household = Household.objects.get()
    assert household.members.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "王大" in page
    assert "450.00" in page  # income per member, computed
    assert "11010519491231002X" not in page  # masked
    assert "110105********002X" in page


def test_household_intake_names_the_bad_field(staff, areas, standards):
    response = login(staff.caseworker_a).post(
        reverse("relief:household_create"),
        household_post(areas, {"id_number": "110105194912310021", "name": "王大"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-field="id_number"' in page
    assert "校验码" in page or "check character" in page
    assert not Household.objects.exists()


def test_case_search_by_id_number_and_name_prefix(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head", name="欧阳修"))
    other = make_household(staff.caseworker_b, areas.village_b, member("head", name="欧阳询"))
    client = login(staff.caseworker_a)
    url = reverse("relief:household_list")
    page = client.get(url, {"q": "欧阳"}).content.decode()
    assert "欧阳修" in page
    assert "欧阳询" not in page  # township B
    page = client.get(url, {"q": head_of(household).id_number}).content.decode()
    assert "欧阳修" in page
    page = client.get(url, {"q": head_of(other).id_number}).content.decode()
    assert "欧阳询" not in page


def test_caseworker_walks_a_case_and_approver_approves_in_pages(staff, areas, standards):
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages="900"),
        member("spouse"),
        member("child", born=datetime.date(2012, 1, 1)),
    )
    worker = login(staff.caseworker_a)
    response = worker.post(
        reverse("relief:application_create", args=[household.pk]),
        {
            "program": "dibao",
            "person": head_of(household).pk,
            "coverage": "household",
            "applied_on": datetime.date.today() - datetime.timedelta(days=20),
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    today = datetime.date.today()

    def step(client, name, **data):
        return client.post(
            reverse("relief:application_step", args=[application.pk, name]),
            {f"{name}-{k}": v for k, v in data.items()},
        )

    assert step(worker, "accept", finance_check_authorised="on").status_code == 302
    assert (
        step(worker, "visit", visited_on=today, visitors="张敏、王五", findings="属实").status_code
        == 302
    )
    assert step(worker, "request_crosscheck").status_code == 302
    assert step(worker, "clear_crosscheck", result="无异常").status_code == 302
    # the notice comes after the township's first opinion
    response = step(worker, "start_notice", start=today - datetime.timedelta(days=8))
    assert response.status_code == 400
    assert "waits for" in response.content.decode() or "等待" in response.content.decode()
    assert step(worker, "submit").status_code == 302
    page = worker.get(reverse("relief:application_detail", args=[application.pk])).content.decode()
    assert "1380.00" in page  # the estimate
    reviewer = login(staff.reviewer_a)
    assert step(reviewer, "review", opinion="同意").status_code == 302
    page = worker.get(reverse("relief:application_detail", args=[application.pk])).content.decode()
    assert 'id="proposed-amount"' in page
    assert "1380.00" in page
    assert step(worker, "start_notice", start=today - datetime.timedelta(days=8)).status_code == 302
    assert step(worker, "close_notice").status_code == 302
    response = step(worker, "approve")
    assert response.status_code == 403
    approver = login(staff.approver)
    queue = approver.get(reverse("relief:approval_queue")).content.decode()
    assert f'value="{application.pk}"' in queue
    response = approver.post(reverse("relief:approval_queue"), {"applications": [application.pk]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.IN_PAYMENT
    page = approver.get(
        reverse("relief:application_detail", args=[application.pk])
    ).content.decode()
    assert "1380.00" in page
    assert Entitlement.objects.get().monthly_amount == Decimal("1380.00")


def test_caseworker_sees_no_approve_button_and_approving_is_refused(staff, areas, standards):
    household = make_household(staff.caseworker_a, areas.village_a, member("head", wages="300"))
    application = walk(apply_for(staff.caseworker_a, household), staff, S.NOTICE_ENDED)
    client = login(staff.caseworker_a)
    page = client.get(reverse("relief:application_detail", args=[application.pk])).content.decode()
    assert 'id="step-approve"' not in page
    response = client.post(reverse("relief:application_step", args=[application.pk, "approve"]))
    assert response.status_code == 403
    assert 'id="step-error"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.NOTICE_ENDED


def test_township_b_is_invisible_to_caseworker_a_in_pages(staff, areas, standards):
    household = make_household(staff.caseworker_b, areas.village_b, member("head", name="乙镇户主"))
    application = walk(
        apply_for(staff.caseworker_b, household), staff, S.IN_PAYMENT, caseworker=staff.caseworker_b
    )
    entitlement = Entitlement.objects.get()
    review = household.reviews.get()
    client = login(staff.caseworker_a)
    for name, args in [
        ("relief:household_detail", [household.pk]),
        ("relief:household_edit", [household.pk]),
        ("relief:application_create", [household.pk]),
        ("relief:application_detail", [application.pk]),
        ("relief:entitlement_detail", [entitlement.pk]),
        ("relief:review_detail", [review.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        client.post(
            reverse("relief:application_step", args=[application.pk, "refuse"]),
            {"refuse-reason": "x"},
        ).status_code
        == 404
    )
    for name in ["relief:household_list", "relief:entitlement_list", "relief:due_reviews"]:
        assert (
            "乙镇户主" not in client.get(reverse(name), {"q": "乙镇", "mine": "0"}).content.decode()
        )


def test_due_reviews_and_review_adjusts_amount(staff, areas, standards):
    household = make_household(
        staff.caseworker_a, areas.village_a, member("head", wages="300"), member("spouse")
    )
    walk(apply_for(staff.caseworker_a, household), staff, S.IN_PAYMENT)
    entitlement = Entitlement.objects.get()
    assert entitlement.monthly_amount == Decimal("1220.00")  # (760 - 150) x 2
    client = login(staff.caseworker_a)
    page = client.get(reverse("relief:due_reviews")).content.decode()
    review = household.reviews.get()
    assert reverse("relief:review_detail", args=[review.pk]) in page
    head = household.members.get(relationship="head")
    head.income_wages = Decimal("700")
    head.save()
    month = (datetime.date.today().replace(day=1) + datetime.timedelta(days=62)).replace(day=1)
    response = client.post(
        reverse("relief:review_detail", args=[review.pk]),
        {"outcome": "adjust", "effective_month": month.strftime("%Y-%m"), "note": "工资上涨"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    entitlement.refresh_from_db()
    assert entitlement.monthly_amount == Decimal("820.00")  # (760 - 350) x 2
    periods = list(
        entitlement.periods.order_by("valid_from").values_list("valid_from", "monthly_amount")
    )
    assert periods[-1] == (month, Decimal("820.00"))
    assert periods[0][1] == Decimal("1220.00")
