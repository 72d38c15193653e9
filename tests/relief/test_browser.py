"""In the system Chromium: a caseworker takes in a household and walks the case to submission,
the township reviews it, the county approver approves it from the queue, and the entitlement's
amount is on the page."""

import datetime

import pytest

from relief.models import Application, Entitlement
from tests.conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def fill_member(page, index, id_number, name, relationship, wages="0"):
    prefix = f"#id_members-{index}-"
    page.fill(prefix + "id_number", id_number)
    page.fill(prefix + "name", name)
    page.select_option(prefix + "relationship", relationship)
    page.fill(prefix + "income_wages", wages)


def step(page, name, **fields):
    form = f"#step-{name}"
    for field, value in fields.items():
        page.fill(f"{form} [name={name}-{field}]", value)
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def logout(page):
    page.click("#logout")
    page.wait_for_selector("#id_username")


def test_intake_to_submission_then_approval_shows_the_amount(page, staff, areas, standards):
    today = datetime.date.today()
    browser_login(page, "caseworker_a")
    page.goto(f"{page.base}/relief/households/new/")
    page.select_option("#id_area", str(areas.village_a.pk))
    page.select_option("#id_registered_type", "rural")
    page.fill("#id_address", "花果山村一组8号")
    fill_member(page, 0, "11010519491231002X", "周建国", "head", "900")
    page.click("#add-member")
    fill_member(page, 1, "430922196001010011", "周李氏", "spouse")
    page.click("#add-member")
    fill_member(page, 2, "430922201405050013", "周小宝", "grandchild")
    with page.expect_navigation():
        page.click("#save-household")
    assert "周小宝" in page.inner_text("#members")
    assert "300.00" in page.inner_text("#means")  # income per member, computed

    with page.expect_navigation():
        page.click("#new-application")
    page.select_option("#id_program", "dibao")
    page.select_option("#id_coverage", "household")
    page.fill("#id_applied_on", str(today - datetime.timedelta(days=20)))
    with page.expect_navigation():
        page.click("#save-application")
    application = Application.objects.get()
    page.check("#step-accept [name=accept-finance_check_authorised]")
    step(page, "accept")
    step(
        page,
        "visit",
        visited_on=str(today - datetime.timedelta(days=18)),
        visitors="张敏、村干部王五",
        findings="家中收入与申报一致。",
    )
    step(page, "request_crosscheck")
    step(page, "clear_crosscheck", result="未发现车辆、房产和工商登记。")
    assert "1380.00" in page.inner_text("#estimate")
    assert page.locator("#step-start_notice").count() == 0  # the township's opinion first
    step(page, "submit")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    logout(page)

    browser_login(page, "reviewer_a")
    page.goto(f"{page.base}/relief/applications/{application.pk}/")
    step(page, "review", opinion="经初审，同意公示。")
    assert "1380.00" in page.inner_text("#proposed-amount")
    logout(page)

    browser_login(page, "caseworker_a")
    page.goto(f"{page.base}/relief/applications/{application.pk}/")
    step(page, "start_notice", start=str(today - datetime.timedelta(days=10)))
    assert page.locator("#step-approve").count() == 0  # not for a caseworker
    step(page, "close_notice")
    application.refresh_from_db()
    assert application.status == Application.Status.NOTICE_ENDED
    logout(page)

    browser_login(page, "approver")
    page.goto(f"{page.base}/relief/approvals/")
    page.check(f"#queue input[value='{application.pk}']")
    with page.expect_navigation():
        page.click("#approve-selected")
    page.goto(f"{page.base}/relief/applications/{application.pk}/")
    assert "1380.00" in page.inner_text("#approved-amount")
    with page.expect_navigation():
        page.click("#entitlement-link")
    assert page.inner_text("#amount").strip() == "1380.00"
    assert Entitlement.objects.get().monthly_amount == 1380


def test_a_caseworker_records_the_six_activities_and_the_care_amount_follows(
    page, staff, areas, standards
):
    """An elder in extreme-poverty support at partial self-care (760 × 1.3 + 300 = 1288) is
    assessed again: five activities no longer done unaided, no self-care, so from the next
    month the care amount is 600 (760 × 1.3 + 600 = 1588)."""
    from tests.relief.conftest import apply_for, assess, make_household, member, walk

    household = make_household(
        staff.caseworker_a, areas.village_a, member("head", born=datetime.date(1944, 4, 4))
    )
    assess(staff, household, failed=2)
    walk(
        apply_for(
            staff.caseworker_a, household, program="extreme_poverty", support_mode="dispersed"
        ),
        staff,
        Application.Status.IN_PAYMENT,
    )
    entitlement = Entitlement.objects.get()
    assert str(entitlement.monthly_amount) == "1288.00"
    head = household.members.get()
    browser_login(page, "caseworker_a")
    page.goto(f"{page.base}/relief/households/{household.pk}/")
    with page.expect_navigation():
        page.click(".member-means")
    form = "#assessment-form"
    page.check(f"{form} [name=walking]")  # the only activity still done unaided
    with page.expect_navigation():
        page.click(f"{form} button")
    assert "生活不能自理" in page.inner_text("#assessments")
    head.refresh_from_db()
    assert head.assessments.order_by("-id").first().level == "none"
    entitlement.refresh_from_db()
    assert str(entitlement.monthly_amount) == "1588.00"
    page.goto(f"{page.base}/relief/entitlements/{entitlement.pk}/")
    assert "1588.00" in page.inner_text("#amount")
