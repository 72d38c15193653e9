"""The means test and eligibility, as the national rules say (issue: relief follows the
national rules). Standard 760 (rural dibao), edge multiple 1.5, ages 60/16/18 and the listed
disabilities come from the county's standards (conftest.COUNTY_STANDARDS); every amount here
is computed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from civil_affairs.standards.models import Standard
from relief import calc, services
from relief.models import Application, Entitlement
from relief.standards import Kind
from tests.relief.conftest import SINCE, apply_for, assess, make_household, member, walk

pytestmark = pytest.mark.django_db
S = Application.Status
D = Decimal
MONTH = datetime.date(2026, 12, 1)


def _standard(areas, kind, value, variant=""):
    return Standard.objects.create(
        kind=kind, variant=variant, area=areas.county, valid_from=SINCE, value=D(value)
    )


def _edge_household(staff, areas, multiple):
    """Four members, income per member `multiple` × 760 (all from the head's wages), and a
    grade-1 physically disabled child with no income of their own."""
    total = D("760") * D(multiple) * 4
    child = member("child", born=datetime.date(2000, 3, 3), name="残疾子女")
    child["disability_certificate"] = child["id_number"] + "41"  # physical, grade 1
    return make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages=str(total)),
        member("spouse"),
        child,
        member("child", born=datetime.date(2005, 5, 5)),
    )


def _disabled(household):
    return household.members.get(person__name="残疾子女").person


def test_single_person_coverage_pays_an_edge_household_member_as_one_person(
    staff, areas, standards
):
    household = _edge_household(staff, areas, "1.2")  # income per member 912.00
    application = walk(
        apply_for(staff.caseworker_a, household, person=_disabled(household), coverage="single"),
        staff,
        S.IN_PAYMENT,
    )
    entitlement = Entitlement.objects.get(application=application)
    assert entitlement.person == _disabled(household)
    assert entitlement.monthly_amount == D("760.00")  # a one-person household with no income


def test_single_person_coverage_refused_above_the_edge_with_the_reason(staff, areas, standards):
    household = _edge_household(staff, areas, "1.6")  # income per member 1216.00
    with pytest.raises(ValidationError) as refused:
        calc.compute(
            program="dibao",
            household=household,
            person_id=_disabled(household).pk,
            month=MONTH,
            coverage="single",
        )
    message = " ".join(refused.value.messages)
    assert "1216.00" in message
    assert "1140.00" in message  # 1.5 × 760


def test_single_person_coverage_at_the_countys_share_and_not_for_a_poorer_household(
    staff, areas, standards
):
    _standard(areas, Kind.SINGLE_COVERAGE_SHARE, "80")
    household = _edge_household(staff, areas, "1.2")
    computed = calc.compute(
        program="dibao",
        household=household,
        person_id=_disabled(household).pk,
        month=MONTH,
        coverage="single",
    )
    assert computed.amount == D("608.00")  # 80% of 760
    poorer = _edge_household(staff, areas, "0.5")
    with pytest.raises(ValidationError, match="whole household"):
        calc.compute(
            program="dibao",
            household=poorer,
            person_id=_disabled(poorer).pk,
            month=MONTH,
            coverage="single",
        )


def _elder(staff, areas, pension):
    return make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", born=datetime.date(1956, 6, 1), income_transfer=pension),  # 70
    )


def test_an_elder_living_alone_with_a_small_pension_is_eligible_for_extreme_poverty(
    staff, areas, standards
):
    household = _elder(staff, areas, "500")
    assess(staff, household, failed=0)
    application = walk(
        apply_for(
            staff.caseworker_a, household, program="extreme_poverty", support_mode="dispersed"
        ),
        staff,
        S.IN_PAYMENT,
    )
    entitlement = Entitlement.objects.get(application=application)
    assert entitlement.monthly_amount == D("1088.00")  # 760 × 1.3 + 100 (full self-care)
    assert application.self_care == "full"


def test_an_elder_with_a_pension_above_the_standard_is_refused_naming_it(staff, areas, standards):
    household = _elder(staff, areas, "800")
    assess(staff, household, failed=0)
    with pytest.raises(ValidationError) as refused:
        calc.compute(
            program="extreme_poverty",
            household=household,
            person_id=household.members.get().person_id,
            month=MONTH,
        )
    assert "800.00" in " ".join(refused.value.messages)


def test_extreme_poverty_needs_no_able_supporter_and_derives_work_capacity(staff, areas, standards):
    household = _elder(staff, areas, "0")
    assess(staff, household, failed=4)
    head = household.members.get()
    services.supporter_add(
        actor=staff.caseworker_a,
        member=head,
        name="赵大",
        relationship="child",
        situation="able",
        maintenance_owed="0",
    )
    conditions = calc.means.extreme_poverty_conditions(
        calc.household_means(household, MONTH), head.person_id, "rural"
    )
    assert [c.met for c in conditions] == [True, True, True, False]
    assert "赵大" in conditions[3].text
    # a 40-year-old without a listed disability has work capacity, unless an illness is recorded
    younger = make_household(
        staff.caseworker_b, areas.village_b, member("head", born=datetime.date(1986, 1, 1))
    )
    first = calc.means.extreme_poverty_conditions(
        calc.household_means(younger, MONTH), younger.members.get().person_id, "rural"
    )[0]
    assert not first.met


def test_cost_of_working_and_an_excluded_income_change_dibao_by_exactly_their_amounts(
    staff, areas, standards
):
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages="900"),
        member("spouse"),
        member("parent", born=datetime.date(1940, 1, 1)),
    )
    grandparent = household.members.get(relationship="parent")
    services.income_entry_add(  # the old-age allowance: 150 a month, not counted
        actor=staff.caseworker_a,
        member=grandparent,
        kind="old_age_allowance",
        first_month=datetime.date(2026, 1, 1),
        last_month=datetime.date(2026, 11, 1),
        monthly_amount="150",
    )
    before = calc.compute(
        program="dibao", household=household, person_id=_head(household), month=MONTH
    )
    assert before.amount == D("1380.00")  # (760 × 3) − 900
    _standard(areas, Kind.WORK_COST_DEDUCTION, "100")
    after = calc.compute(
        program="dibao", household=household, person_id=_head(household), month=MONTH
    )
    assert after.amount - before.amount == D("100.00")  # 2280 − 800
    # the same allowance counted (the county changes its rule) lowers it by 150
    Standard.objects.filter(kind=Kind.INCOME_NOT_COUNTED, variant="old_age_allowance").delete()
    counted = calc.compute(
        program="dibao", household=household, person_id=_head(household), month=MONTH
    )
    assert after.amount - counted.amount == D("150.00")


def _head(household):
    return household.members.get(relationship="head").person_id


def test_income_entries_are_averaged_over_the_months_entered_in_the_reference_period(
    staff, areas, standards
):
    household = make_household(staff.caseworker_a, areas.village_a, member("head"))
    head = household.members.get()
    # six months of casual wages: 1200 in Jun–Aug, 0 recorded for Sep–Nov, and an entry from
    # two years ago that is outside the 12-month reference period
    for first, last, amount in [
        (datetime.date(2026, 6, 1), datetime.date(2026, 8, 1), "1200"),
        (datetime.date(2026, 9, 1), datetime.date(2026, 11, 1), "0.01"),
        (datetime.date(2024, 1, 1), datetime.date(2024, 3, 1), "5000"),
    ]:
        services.income_entry_add(
            actor=staff.caseworker_a,
            member=head,
            kind="wages",
            first_month=first,
            last_month=last,
            monthly_amount=amount,
        )
    means = calc.household_means(household, MONTH)
    assert means.reference == (datetime.date(2025, 12, 1), datetime.date(2026, 11, 1))
    assert means.income_per_member == D("3600.03") / 6


def test_classified_extras_and_rounding_to_the_yuan(staff, areas, standards):
    _standard(areas, Kind.CATEGORY_AGE, "60", "elderly")
    _standard(areas, Kind.CATEGORY_EXTRA, "10", "elderly")
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages="1000", born=datetime.date(1950, 1, 1)),  # elderly
        member("spouse", born=datetime.date(1970, 1, 1)),
        member("child", born=datetime.date(2000, 1, 1)),
    )
    computed = calc.compute(
        program="dibao", household=household, person_id=_head(household), month=MONTH
    )
    assert computed.amount == D("1356.00")  # (760 − 1000/3) × 3 + 10% of 760
    _standard(areas, Kind.ROUNDING_UNIT, "1")
    Standard.objects.filter(kind=Kind.CATEGORY_EXTRA).update(value=D("10.1"))
    computed = calc.compute(
        program="dibao", household=household, person_id=_head(household), month=MONTH
    )
    assert computed.amount == D("1357.00")  # 1280 + 76.76 = 1356.76 → the yuan, half up


def test_the_asset_test_counts_securities_and_leaves_exempt_vehicles_out(staff, areas, standards):
    _standard(areas, Kind.ASSET_FINANCIAL_MULTIPLE, "2")  # 2 × 760 × 12 = 18240 a member
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", deposits="10000", securities="9000", vehicles="1", vehicles_exempt="1"),
    )
    means = calc.household_means(household, MONTH)
    assert means.vehicles == 0
    assert means.asset_failures == [
        "Deposits, securities and insurance of 19000.00 are above 18240.00 per member."
    ]


def test_the_household_page_shows_how_income_was_reached(staff, areas, standards):
    from tests.conftest import login

    household = make_household(
        staff.caseworker_a, areas.village_a, member("head", wages="900"), member("spouse")
    )
    page = login(staff.caseworker_a).get(f"/relief/households/{household.pk}/").content.decode()
    assert "income-lines" in page
    assert "900.00" in page
    assert "450.00" in page  # income per member


def test_the_member_page_records_income_supporters_and_assessments(staff, areas, standards):
    from tests.conftest import login

    household = _elder(staff, areas, "300")
    head = household.members.get()
    client = login(staff.caseworker_a)
    url = f"/relief/members/{head.pk}/"
    client.post(
        url,
        {
            "form": "assessment",
            "assessed_on": "2026-11-20",
            "eating": "on",
            "dressing": "on",
            "transfer": "on",
        },
    )
    client.post(
        url,
        {"form": "supporter", "name": "赵二", "relationship": "child", "situation": "prison"},
    )  # refused: no evidence
    client.post(
        url,
        {
            "form": "income",
            "kind": "rural_basic_pension",
            "first_month": "2026-06",
            "last_month": "2026-11",
            "monthly_amount": "120",
        },
    )
    page = client.get(url).content.decode()
    assert head.assessments.get().level == "partial"  # three activities not done unaided
    assert "生活半自理" in page
    assert not head.supporters.exists()
    assert head.incomes.get().monthly_amount == D("120.00")
    outsider = login(staff.caseworker_b)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"form": "income"}).status_code == 404
    reviewer = login(staff.reviewer_a)
    assert "assessment-form" not in reviewer.get(url).content.decode()
    assert reviewer.post(url, {"form": "income"}).status_code == 403
