"""Bulk approval offers a checkbox only for the cases the user may approve: a township
reviewer approves where approval is delegated to the township (and temporary assistance
up to its limit), never a case they handled; the county approver approves them all."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from civil_affairs.areas.models import Role
from civil_affairs.areas.services import assignment_create
from relief.models import Application, ApprovalDelegation
from tests.conftest import login
from tests.relief.conftest import apply_for, walk

from .test_services import temporary, three_member_household

pytestmark = pytest.mark.django_db
S = Application.Status


def _delegate(areas) -> None:
    ApprovalDelegation.objects.create(
        township=areas.a, program="dibao", valid_from=datetime.date(2020, 1, 1)
    )


def _box(pk: int) -> str:
    return f'name="applications" value="{pk}"'


@pytest.fixture
def cases(staff, areas, standards):
    """A dibao case after its notice (the county approves it unless delegated) and
    temporary assistance of 2000 after the first opinion (within the township's limit),
    both in township A."""
    dibao = walk(
        apply_for(staff.caseworker_a, three_member_household(staff, areas)),
        staff,
        S.NOTICE_ENDED,
    )
    return dibao, temporary(staff, areas, "2000")


def test_township_reviewer_gets_checkboxes_only_for_what_it_may_approve(staff, areas, cases):
    dibao, temp = cases
    # a second reviewer of township A: did not review these cases (four eyes)
    assignment_create(user=staff.reviewer_b, area=areas.a, role=Role.TOWNSHIP_REVIEWER)
    client = login(staff.reviewer_b)
    page = client.get(reverse("relief:approval_queue")).content.decode()
    assert _box(temp.pk) in page
    assert _box(dibao.pk) not in page
    assert f'id="not-approvable-{dibao.pk}"' in page  # listed, without a checkbox
    detail = client.get(reverse("relief:application_detail", args=[dibao.pk])).content.decode()
    assert 'id="step-approve"' not in detail
    # a forged post of the case without a checkbox approves nothing
    client.post(reverse("relief:approval_queue"), {"applications": [dibao.pk]})
    dibao.refresh_from_db()
    assert dibao.status == S.NOTICE_ENDED
    # once approval is delegated to the township, the checkbox is there and it approves
    _delegate(areas)
    page = client.get(reverse("relief:approval_queue")).content.decode()
    assert _box(dibao.pk) in page
    response = client.post(reverse("relief:approval_queue"), {"applications": [dibao.pk, temp.pk]})
    assert response.status_code == 302
    dibao.refresh_from_db()
    temp.refresh_from_db()
    assert (dibao.status, temp.status) == (S.IN_PAYMENT, S.IN_PAYMENT)


def test_the_reviewer_who_reviewed_gets_no_checkbox_even_where_delegated(staff, areas, cases):
    _delegate(areas)
    page = login(staff.reviewer_a).get(reverse("relief:approval_queue")).content.decode()
    assert all(_box(a.pk) not in page for a in cases)


def test_above_the_township_limit_only_the_county_gets_a_checkbox(staff, areas, standards):
    big = temporary(staff, areas, "900000")
    assignment_create(user=staff.reviewer_b, area=areas.a, role=Role.TOWNSHIP_REVIEWER)
    assert (
        _box(big.pk)
        not in login(staff.reviewer_b).get(reverse("relief:approval_queue")).content.decode()
    )
    page = login(staff.approver).get(reverse("relief:approval_queue")).content.decode()
    assert _box(big.pk) in page
    assert big.requested_amount == Decimal("900000")


def test_the_county_approver_gets_every_checkbox(staff, cases):
    page = login(staff.approver).get(reverse("relief:approval_queue")).content.decode()
    assert all(_box(a.pk) in page for a in cases)
