"""Money over time: six months of real payrolls (a real Celery worker on Redis) while the
standards change, approvals come late and a standard is backdated to months already paid.
Every amount is computed by hand in the comments; after each payroll the reconciliation is
empty, and before it, it lists exactly what the next payroll will pay.

The county's rural dibao standard is 760 from January. Households (income per member is
what the household earns over its members, kept exact):
- H1 (township A): 3 members, income 1000 → (760 − 1000/3) × 3 = 1280.00, not 1280.01.
- H2 (township A): 2 members, income 400 → (760 − 200) × 2 = 1120.
- HB (township B): 1 member, income 0 → 760.
- H3 (township A): 1 member, income 100 → 660; asks from July, approved only after the July
  payroll was sent.
"""

import datetime
import time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from civil_affairs.payments import bankfile, reconciliation, services
from civil_affairs.payments.models import Payment, Payroll
from civil_affairs.standards import services as standards
from civil_affairs.standards.models import Standard
from relief import services as relief
from relief.models import Entitlement, Review
from tests.relief.conftest import COUNTY_STANDARDS, SINCE, apply_for, make_household, member, walk

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

JUN, JUL, AUG, SEP, OCT, NOV = (datetime.date(2026, m, 1) for m in range(6, 12))
D = Decimal


@pytest.fixture
def county(areas: SimpleNamespace) -> None:
    for kind, variant, value in COUNTY_STANDARDS:
        value = "760" if (kind, variant) == ("dibao", "rural") else value
        Standard.objects.create(
            kind=kind, variant=variant, area=areas.county, valid_from=SINCE, value=D(value)
        )


def _household(staff: Any, area: Any, incomes: list[str]) -> Any:
    worker = staff.caseworker_a if area.code.startswith("430922100") else staff.caseworker_b
    heads = [member("head", wages=incomes[0])]
    heads += [
        member("spouse" if i == 1 else "child", wages=w) for i, w in enumerate(incomes[1:], 1)
    ]
    return make_household(worker, area, *heads)


def _approve(staff: Any, household: Any, start: datetime.date) -> Entitlement:
    worker = (
        staff.caseworker_a if household.area.code.startswith("430922100") else staff.caseworker_b
    )
    application = apply_for(worker, household, start_month=start)
    walk(application, staff, "in_payment", caseworker=worker)
    return Entitlement.objects.get(application=application)


def _paid_payroll(staff: Any, month: datetime.date) -> Payroll:
    """Generate through the worker, then submit, approve, send and settle it all paid."""
    payroll = services.payroll_generate(actor=staff.finance, month=month, programs=["dibao"])
    deadline = time.monotonic() + 60
    while Payroll.objects.get(pk=payroll.pk).status == Payroll.Status.GENERATING:
        assert time.monotonic() < deadline, "the worker did not finish the payroll"
        time.sleep(0.2)
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.DRAFT
    services.ledger_allocate(
        actor=staff.finance, program="dibao", amount=payroll.amount, reference="财社〔2026〕"
    )
    services.payroll_submit(actor=staff.finance, payroll=payroll)
    services.payroll_approve(actor=staff.approver, payroll=payroll)
    stream, _name = services.payroll_bank_file(actor=staff.finance, payroll=payroll)
    b"".join(stream)
    rows = Payment.objects.filter(payroll=payroll).select_related("person").order_by("pk")
    result = bankfile.result_file(
        payroll.pk,
        month,
        month,
        [(p.pk, p.bank_account, p.person.name, bankfile.fen(p.amount), True, "") for p in rows],
    )
    services.bank_return_apply(actor=staff.finance, payroll=payroll, content=result, file_name="r")
    payroll.refresh_from_db()
    assert payroll.status == Payroll.Status.PAID
    return payroll


def _applied(standard: Standard) -> int:
    """Wait for the worker to apply a standard row; how many entitlements it changed."""
    deadline = time.monotonic() + 30
    while (count := Standard.objects.get(pk=standard.pk).applied_count) is None:
        assert time.monotonic() < deadline, "the standard was not applied"
        time.sleep(0.2)
    return count


def _rows(payroll: Payroll, names: dict[int, str]) -> set[tuple[str, str, Decimal, str]]:
    return {
        (names[p.person_id], f"{p.month:%m}", p.amount, p.kind)
        for p in Payment.objects.filter(payroll=payroll)
    }


def _differences() -> set[tuple[int, str, Decimal]]:
    found = set()
    for program, month in reconciliation.as_of_months().items():
        for d in reconciliation.differences(program, month):
            found.add((d.person_id, f"{d.month:%m}", d.difference))
    return found


def _bank_accounts(staff: Any, *households: Any) -> None:
    from civil_affairs.people.services import person_update

    for h in households:
        for m in h.members.select_related("person"):
            worker = (
                staff.caseworker_a if h.area.code.startswith("430922100") else staff.caseworker_b
            )
            person_update(
                actor=worker,
                person=m.person,
                bank_name="农商银行",
                bank_account=f"6217{m.person.pk:012d}",
            )


def test_six_months_of_payrolls_pay_every_month_owed_exactly_once(
    celery_worker_thread: Any, staff: Any, areas: Any, county: None
) -> None:
    translation.activate("en")
    h1 = _household(staff, areas.village_a, ["1000", "0", "0"])
    h2 = _household(staff, areas.village_a, ["400", "0"])
    hb = _household(staff, areas.village_b, ["0"])
    h3 = _household(staff, areas.village_a, ["100"])
    _bank_accounts(staff, h1, h2, hb, h3)
    names = {
        h.members.get(relationship="head").person_id: n
        for h, n in [(h1, "H1"), (h2, "H2"), (hb, "HB"), (h3, "H3")]
    }
    e1 = _approve(staff, h1, JUN)
    eb = _approve(staff, hb, JUN)
    assert e1.monthly_amount == D("1280.00")  # item 5: rounded once, at the end

    # June: the county enters a future standard, 790 from October (closing 760 at September)
    _applied(
        standards.standard_create(
            actor=staff.admin,
            kind="dibao",
            variant="rural",
            area=areas.county,
            valid_from=OCT,
            value=D("790"),
        )
    )
    june = _paid_payroll(staff, JUN)
    assert _rows(june, names) == {
        ("H1", "06", D("1280.00"), "regular"),
        ("HB", "06", D("760.00"), "regular"),
    }
    assert _differences() == set()

    # July: H2 is approved from August, after the October row was entered (item 1): its
    # amount follows the standard in force each month, 1120 to September, then 1180
    e2 = _approve(staff, h2, AUG)
    assert [
        (p.valid_from, p.valid_to, p.monthly_amount) for p in e2.periods.order_by("valid_from")
    ] == [
        (AUG, SEP, D("1120.00")),
        (OCT, None, D("1180.00")),  # (790 − 200) × 2
    ]
    july = _paid_payroll(staff, JUL)
    assert _rows(july, names) == {
        ("H1", "07", D("1280.00"), "regular"),
        ("HB", "07", D("760.00"), "regular"),
    }

    # August: H3 asked from July and is approved after the July payroll was sent (item 3):
    # July is paid as arrears in August
    e3 = _approve(staff, h3, JUL)
    h3_head = e3.person_id
    assert reconciliation.differences("dibao", JUL) == [
        reconciliation.Difference(h3_head, "dibao", JUL, e3.area_id, D("660.00"), D("0"))
    ]
    august = _paid_payroll(staff, AUG)
    assert _rows(august, names) == {
        ("H1", "08", D("1280.00"), "regular"),
        ("HB", "08", D("760.00"), "regular"),
        ("H2", "08", D("1120.00"), "regular"),
        ("H3", "07", D("660.00"), "arrears"),
        ("H3", "08", D("660.00"), "regular"),
    }
    assert _differences() == set()

    # September: a review of H2 finds income of 600 from October (inputs change)
    relief.household_set_members(
        actor=staff.caseworker_a,
        household=h2,
        members=[
            {**_member_data(m), "income_wages": "600" if m.relationship == "head" else "0"}
            for m in h2.members.select_related("person")
        ],
    )
    review = Review.objects.get(household=h2, status__in=["due", "overdue"])
    relief.review_complete(
        actor=staff.caseworker_a,
        review=review,
        outcome="adjust",
        effective_month=OCT,
        note="收入增加",
    )
    september = _paid_payroll(staff, SEP)
    assert {r for r in _rows(september, names) if r[0] == "H2"} == {
        ("H2", "09", D("1120.00"), "regular")
    }

    # October, before its payroll: township B decides 800 from August, backdated to months
    # already paid (item 2): HB is owed 40 more for August and September
    _applied(
        standards.standard_create(
            actor=staff.admin,
            kind="dibao",
            variant="rural",
            area=areas.b,
            valid_from=AUG,
            value=D("800"),
        )
    )
    assert _differences() == {(eb.person_id, "08", D("40.00")), (eb.person_id, "09", D("40.00"))}
    october = _paid_payroll(staff, OCT)
    assert _rows(october, names) == {
        ("H1", "10", D("1370.00"), "regular"),  # (790 − 1000/3) × 3
        ("H2", "10", D("980.00"), "regular"),  # (790 − 300) × 2, the review's inputs
        ("H3", "10", D("690.00"), "regular"),
        ("HB", "08", D("40.00"), "back_pay"),
        ("HB", "09", D("40.00"), "back_pay"),
        ("HB", "10", D("800.00"), "regular"),  # the township's own row
    }
    assert _differences() == set()

    # November: the county changes its October row to 795 (item 4). Township B's row governs
    # HB, which is not recomputed; H2 is recomputed from its current inputs (300), not from
    # those of its approval (200)
    c2 = Standard.objects.get(area=areas.county, kind="dibao", variant="rural", valid_from=OCT)
    Standard.objects.filter(pk=c2.pk).update(applied_count=None)
    c2.refresh_from_db()
    standards.standard_update(actor=staff.admin, standard=c2, value=D("795"))
    assert _applied(c2) == 3  # H1, H2, H3
    november = _paid_payroll(staff, NOV)
    assert _rows(november, names) == {
        ("H1", "10", D("15.00"), "back_pay"),
        ("H1", "11", D("1385.00"), "regular"),  # (795 − 1000/3) × 3
        ("H2", "10", D("10.00"), "back_pay"),
        ("H2", "11", D("990.00"), "regular"),  # (795 − 300) × 2
        ("H3", "10", D("5.00"), "back_pay"),
        ("H3", "11", D("695.00"), "regular"),
        ("HB", "11", D("800.00"), "regular"),
    }
    assert _differences() == set()
    # what every household received over the six months, by hand
    totals = {
        names[p]: sum(Payment.objects.filter(person_id=p).values_list("amount", flat=True), D(0))
        for p in names
    }
    assert totals == {
        "H1": D("1280") * 4 + D("1385") * 2,
        "H2": D("1120") * 2 + D("990") * 2,
        "HB": D("760") * 2 + D("800") * 4,
        "H3": D("660") * 3 + D("695") * 2,
    }


def _member_data(m: Any) -> dict[str, Any]:
    return {
        "id_number": m.person.id_number,
        "name": m.person.name,
        "relationship": m.relationship,
        "work_capacity": m.work_capacity,
        "health": m.health,
    }


def test_a_cut_for_months_already_paid_is_listed_not_clawed_back(
    celery_worker_thread: Any, staff: Any, areas: Any, county: None
) -> None:
    translation.activate("en")
    hb = _household(staff, areas.village_b, ["0"])
    _bank_accounts(staff, hb)
    eb = _approve(staff, hb, JUN)
    _paid_payroll(staff, JUN)
    _paid_payroll(staff, JUL)
    # township B sets 700 from June, after June and July were paid at 760
    _applied(
        standards.standard_create(
            actor=staff.admin,
            kind="dibao",
            variant="rural",
            area=areas.b,
            valid_from=JUN,
            value=D("700"),
        )
    )
    august = _paid_payroll(staff, AUG)
    assert list(Payment.objects.filter(payroll=august).values_list("month", "amount")) == [
        (AUG, D("700.00"))
    ]
    assert _differences() == {(eb.person_id, "06", D("-60.00")), (eb.person_id, "07", D("-60.00"))}
    # finance decides: recover June's excess; July stays listed
    services.overpayment_register(
        actor=staff.finance,
        person=eb.person,
        program="dibao",
        from_month=JUN,
        to_month=JUN,
        due_amount=D("700"),
        reason="标准下调",
    )
    assert _differences() == {(eb.person_id, "07", D("-60.00"))}
