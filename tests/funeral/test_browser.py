"""In the system Chromium: the registrar refuses an under-age marriage and sees the reason."""

import datetime

import pytest

from funeral.models import Marriage, MarriageRefusal
from tests.conftest import browser_login

from .conftest import man, woman

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_registrar_refuses_an_under_age_marriage_and_sees_the_reason(
    page, areas, officers, rules
):
    groom = man(datetime.date(2005, 3, 1))
    bride = woman(datetime.date(1999, 9, 9))
    browser_login(page, "registrar")
    page.click("#nav-funeral")
    with page.expect_navigation():
        page.click("#nav-marriages")
    form = "#form-marriage"
    page.select_option(f"{form} [name=marriage-area]", str(areas.county.pk))
    page.fill(f"{form} [name=marriage-registered_on]", "2026-06-01")
    page.fill(f"{form} [name=marriage-party_a_name]", "周小军")
    page.fill(f"{form} [name=marriage-party_a_id_number]", groom)
    page.fill(f"{form} [name=marriage-party_b_name]", "吴小燕")
    page.fill(f"{form} [name=marriage-party_b_id_number]", bride)
    page.fill(f"{form} [name=marriage-certificate_no]", "J430922-2026-0100")
    with page.expect_navigation():
        page.click(f"{form} button")
    refusal = page.inner_text("#refusal")
    assert "不予登记" in refusal
    assert "周小军（男）在 2026-06-01 为 21 周岁零 92 天" in refusal
    assert "男方结婚年龄不得早于 22 周岁" in refusal
    field_error = page.inner_text(f"{form} .field-error[data-field=party_a_id_number]")
    assert "21 周岁零 92 天" in field_error
    assert not Marriage.objects.exists()
    assert MarriageRefusal.objects.get().party_a_name == "周小军"
