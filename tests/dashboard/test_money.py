"""Every money figure from known records: exactly, in the selector (for the county and each
township: the county is the sum of its townships), on the pages, and what a township user
sees. Funds exclude the row failed at the bank and include its reissue; person-times count
person-months."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils import timezone

from civil_affairs.dashboard import figures, selectors, summary
from civil_affairs.dashboard.figures import Period
from civil_affairs.dashboard.models import PaymentSummary
from civil_affairs.payments import providers
from relief import services as relief_services
from tests.conftest import login
from tests.factories import PersonFactory
from tests.payments.factories import approved, entitle, generate

from .conftest import NOV, OCT, bank_return, refresh

pytestmark = pytest.mark.django_db

YEAR = Period.year(2026)
D = Decimal

# figure key -> (county, township A, township B) for 2026
EXPECTED = {
    "relief.assisted_person_times": (13, 7, 6),
    "relief.assistance_funds": (D("5790.00"), D("2400.00"), D("3390.00")),
    "relief.person_times.dibao": (3, 2, 1),
    "relief.funds.dibao": (D("1300.00"), D("1000.00"), D("300.00")),
    "relief.person_times.extreme_poverty": (2, 0, 2),
    "relief.funds.extreme_poverty": (D("2200.00"), D("0.00"), D("2200.00")),
    "relief.person_times.disability_living": (2, 2, 0),
    "relief.funds.disability_living": (D("200.00"), D("200.00"), D("0.00")),
    "relief.person_times.disability_care": (4, 2, 2),
    "relief.funds.disability_care": (D("640.00"), D("400.00"), D("240.00")),
    "relief.person_times.medical_aid": (2, 1, 1),
    "relief.funds.medical_aid": (D("1450.00"), D("800.00"), D("650.00")),
    "relief.disabled_covered": (2, 1, 1),
    "relief.medical_aid_person_times": (2, 1, 1),
    "relief.medical_aid_amount": (D("1450.00"), D("800.00"), D("650.00")),
    "welfare.funds": (D("1360.00"), D("160.00"), D("1200.00")),
    "welfare.funds.old_age_allowance": (D("160.00"), D("160.00"), D("0.00")),
    "welfare.funds.orphan_allowance": (D("1200.00"), D("0.00"), D("1200.00")),
}
# figures of programs the known records do not pay: 0 if an app pays the program, else no
# data in the portal (None), never a made-up 0
UNPAID = {
    "relief.person_times.temporary_assistance": "temporary_assistance",
    "relief.funds.homeless": "homeless",
    "welfare.funds.unsupported_child_allowance": "unsupported_child_allowance",
}


def test_every_money_figure_exactly(paid, staff, areas):
    assert (
        figures.get("relief.assistance_funds").compute(
            user=staff.approver, area=areas.county, period=YEAR
        )
        is None
    )  # before the first refresh there is no summary: no number is made up
    run = refresh()
    assert run.status == "done"
    assert run.percent == 100
    for key, (county, a, b) in EXPECTED.items():
        figure = figures.get(key)
        got = [
            figure.compute(user=staff.approver, area=area, period=YEAR)
            for area in (areas.county, areas.a, areas.b)
        ]
        assert got == [county, a, b], key
        assert county == a + b, key  # the county is the sum of its townships
    paid_programs = set(providers.fund_programs())
    for key, program in UNPAID.items():
        got = figures.get(key).compute(user=staff.approver, area=areas.county, period=YEAR)
        assert got == (0 if program in paid_programs else None), key


def test_failed_rows_excluded_reissues_included(paid, staff, areas):
    refresh()
    rows = PaymentSummary.objects.filter(program="extreme_poverty", start=NOV, period="month")
    assert [(r.person_times, r.amount) for r in rows] == [(1, D("1100.00"))]
    nov = Period.month(2026, 11)
    assert (
        figures.get("relief.assisted_person_times").compute(
            user=staff.approver, area=areas.county, period=nov
        )
        == 8
    )
    assert figures.get("relief.assistance_funds").compute(
        user=staff.approver, area=areas.county, period=nov
    ) == D("3770.00")
    q4 = Period.quarter(2026, 4)
    assert (
        figures.get("relief.disabled_covered").compute(
            user=staff.approver, area=areas.county, period=q4
        )
        == 2
    )


def test_a_township_user_counts_only_their_township(paid, staff, areas):
    refresh()
    for key, (_county, a, _b) in EXPECTED.items():
        figure = figures.get(key)
        # asked about the county, the township reviewer gets their township's share
        assert figure.compute(user=staff.reviewer_a, area=areas.county, period=YEAR) == a, key
    shown, table, totals = selectors.breakdown(user=staff.approver, area=areas.county, period=YEAR)
    assert [f.key for f in shown] == list(selectors.HEADLINE)
    by_name = {area.code: values for area, values in table}
    assert by_name[areas.a.code] == [7, D("2400.00"), 1, D("160.00")]
    assert by_name[areas.b.code] == [6, D("3390.00"), 1, D("1200.00")]
    assert totals == [13, D("5790.00"), 2, D("1360.00")]
    _shown, table_a, _totals = selectors.breakdown(
        user=staff.reviewer_a, area=areas.county, period=YEAR
    )
    assert [area.code for area, _v in table_a] == [areas.a.code]


def test_pages_show_the_figures(paid, staff, areas):
    refresh()
    page = login(staff.approver).get(f"/dashboard/?area={areas.county.pk}&period=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "5,790.00" in html
    assert ">13<" in html.replace(" ", "")
    refreshed = timezone.localtime(summary.latest().finished_at)
    assert f"{refreshed:%Y-%m-%d %H:%M}" in html
    township = login(staff.reviewer_a).get(f"/dashboard/relief/?area={areas.county.pk}&period=2026")
    text = township.content.decode()
    assert "2,400.00" in text
    assert "5,790.00" not in text
    other = login(staff.reviewer_a).get(f"/dashboard/?area={areas.b.pk}&period=2026")
    assert other.status_code == 404


def _summary_rows(run):
    return sorted(
        (r.program, r.area_id, r.period, r.start, r.person_times, r.persons, r.amount)
        for r in PaymentSummary.objects.filter(refresh=run)
    )


def test_each_bank_return_is_read_once_and_a_rebuild_agrees(paid, staff, areas):
    """A refresh reads only the bank returns applied since the last one; what it shows is what
    a rebuild from every payment row shows."""
    import datetime

    from civil_affairs.dashboard import services as dashboard_services
    from civil_affairs.dashboard.models import ReturnTally, TalliedReturn
    from civil_affairs.payments.models import BankReturn

    from .conftest import MONTHLY, WELFARE

    first = refresh()
    assert TalliedReturn.objects.count() == BankReturn.objects.count() == 3
    tallies = ReturnTally.objects.count()
    again = refresh()  # nothing new: nothing read again, the same figures
    assert ReturnTally.objects.count() == tallies
    assert _summary_rows(again) == _summary_rows(first)

    dec = datetime.date(2026, 12, 1)
    december = approved(generate(staff.finance, month=dec, programs=MONTHLY + WELFARE), staff)
    bank_return(staff, december)
    latest = refresh()
    (december_return,) = BankReturn.objects.filter(payroll=december)
    assert TalliedReturn.objects.filter(bank_return=december_return).exists()
    assert ReturnTally.objects.exclude(bank_return=december_return).count() == tallies
    funds = figures.get("relief.funds.dibao")
    assert funds.compute(
        user=staff.approver, area=areas.county, period=Period.month(2026, 12)
    ) == D("800.00")
    assert funds.compute(user=staff.approver, area=areas.county, period=YEAR) == D("2100.00")
    covered = figures.get("relief.disabled_covered")
    assert covered.compute(user=staff.approver, area=areas.county, period=YEAR) == 2

    with TestCase.captureOnCommitCallbacks(execute=True):
        rebuild = dashboard_services.summary_refresh_start(actor=None, trigger="rebuild")
    rebuild.refresh_from_db()
    assert rebuild.status == "done"
    assert TalliedReturn.objects.count() == 4
    assert _summary_rows(rebuild) == _summary_rows(latest)


def test_the_summary_is_refreshed_after_a_bank_return(
    staff, areas, django_capture_on_commit_callbacks
):
    from civil_affairs.dashboard.models import SummaryRefresh
    from tests.payments.factories import approved, beneficiary, generate

    from .conftest import bank_return

    beneficiary(areas.village_a, "dibao", "500.00", start=NOV)
    payroll = approved(generate(staff.finance, month=NOV, programs=["dibao"]), staff)
    with django_capture_on_commit_callbacks(execute=True):
        bank_return(staff, payroll)
    run = SummaryRefresh.objects.get()
    assert (run.trigger, run.status) == ("bank_return", "done")
    assert figures.get("relief.funds.dibao").compute(
        user=staff.approver, area=areas.county, period=YEAR
    ) == D("500.00")


def test_the_care_subsidy_counts_in_extreme_povertys_funds_not_its_person_times(staff, areas):
    """A dispersed elder's 1288 a month, 300 of it paid to her caregiver: the funds are
    1288 a month, the person-times one a month."""
    elder = PersonFactory(
        area=areas.village_a, bank_name="农商银行", bank_account="6217000000009101"
    )
    caregiver = PersonFactory(
        area=areas.village_a, bank_name="农商银行", bank_account="6217000000009102"
    )
    support = entitle(elder, "extreme_poverty", "1288.00", start=OCT)
    support.basis = {"support_mode": "dispersed"}
    support.save(update_fields=["basis"])
    support.periods.update(basis={"care": "300.00"})
    relief_services.entitlement_set_payee(
        actor=staff.caseworker_a, entitlement=support, caregiver_id=caregiver.pk, caregiver_from=OCT
    )
    for month in (OCT, NOV):
        payroll = approved(generate(staff.finance, month=month), staff)
        bank_return(staff, payroll)
    refresh()
    got = {
        key: figures.get(key).compute(user=staff.approver, area=areas.a, period=YEAR)
        for key in (
            "relief.funds.extreme_poverty",
            "relief.person_times.extreme_poverty",
            "relief.assistance_funds",
            "relief.assisted_person_times",
        )
    }
    assert got == {
        "relief.funds.extreme_poverty": D("2576.00"),
        "relief.person_times.extreme_poverty": 2,
        "relief.assistance_funds": D("2576.00"),
        "relief.assisted_person_times": 2,
    }
