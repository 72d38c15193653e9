"""In the system Chromium: the elder-care officer records an inspection with a major finding,
is refused closing it without evidence, then closes it with evidence and verification."""

import datetime

import pytest

from eldercare.models import Finding
from tests.conftest import browser_login

from .conftest import make_institution

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_officer_records_a_finding_and_closes_it_with_evidence(page, officers, areas):
    today = datetime.date.today()
    home = make_institution(officers.eldercare, areas.village_a)
    browser_login(page, "eldercare")
    page.goto(f"{page.base}/eldercare/inspections/")
    page.select_option("#id_institution", str(home.pk))
    page.select_option("#id_kind", "fire")
    page.fill("#id_inspected_on", str(today - datetime.timedelta(days=20)))
    page.fill("#id_inspectors", "何丽、县消防大队周勇")
    with page.expect_navigation():
        page.click("#form-inspection button[type=submit]")
    page.fill("#id_description", "二楼疏散通道堆放杂物")
    page.select_option("#id_severity", "major")
    page.fill("#id_deadline", str(today - datetime.timedelta(days=5)))
    with page.expect_navigation():
        page.click("#form-finding button[type=submit]")
    assert "二楼疏散通道堆放杂物" in page.inner_text("#findings")
    assert "逾期" in page.inner_text("#findings")

    page.goto(f"{page.base}/eldercare/findings/overdue/")
    with page.expect_navigation():
        page.click("#overdue a")
    page.fill("#id_fixed_on", str(today - datetime.timedelta(days=1)))
    page.check("#id_verified")
    with page.expect_navigation():
        page.click("#close-finding")
    assert "重大隐患须有整改佐证材料才能销号" in page.inner_text(
        ".field-error[data-field=evidence]"
    )
    assert Finding.objects.get().status == "open"

    page.fill("#id_fixed_on", str(today - datetime.timedelta(days=1)))
    page.fill("#id_evidence", "整改照片3张，复查记录编号FC-2026-031")
    page.check("#id_verified")
    with page.expect_navigation():
        page.click("#close-finding")
    assert page.inner_text("#status") == "已销号"
    assert "FC-2026-031" in page.inner_text("#evidence")
    assert "eldercare" in page.inner_text("#verified-by")
    finding = Finding.objects.get()
    assert (finding.status, finding.verified_by) == ("closed", officers.eldercare)
    page.goto(f"{page.base}/eldercare/findings/overdue/")
    assert "二楼疏散通道堆放杂物" not in page.inner_text("#overdue")
