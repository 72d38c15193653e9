"""The generate form proposes the next month without a payroll, never one already made."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.payments import services
from civil_affairs.payments.forms import GenerateForm
from tests.conftest import login

from .factories import NOV, approved, beneficiary, generate

pytestmark = pytest.mark.django_db


def _proposed(user) -> datetime.date:
    return GenerateForm(user=user).initial["month"]


def test_without_any_payroll_it_proposes_next_month(staff):
    assert _proposed(staff.finance) == add_months(first_of_month(timezone.localdate()), 1)


def test_after_a_sent_payroll_it_proposes_the_month_after(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    payroll = approved(generate(staff.finance, month=NOV), staff)
    services.payroll_bank_file(actor=staff.finance, payroll=payroll)  # sent to the bank
    assert _proposed(staff.finance) == datetime.date(2026, 12, 1)
    page = login(staff.finance).get(reverse("payments:payroll_list")).content.decode()
    assert 'value="2026-12"' in page


def test_a_cancelled_payroll_leaves_its_month_free(staff, areas):
    beneficiary(areas.village_a, "dibao", "500.00")
    generate(staff.finance, month=datetime.date(2026, 10, 1))
    cancelled = generate(staff.finance, month=NOV)
    services.payroll_discard(actor=staff.finance, payroll=cancelled, note="月份选错")
    assert _proposed(staff.finance) == NOV
