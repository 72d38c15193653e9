"""The money figures, read from the payments summary (models.PaymentSummary).

Registered by civil_affairs.dashboard itself (SHARED.md): relief person-times and funds by
program and in total, disabled people covered by the two subsidies, charity medical aid, and
the welfare funds (orphans, de-facto unsupported children, the old-age allowance).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from civil_affairs.payments import providers

from . import figures, scope, summary
from .figures import Period
from .models import PaymentSummary

# The relief programs of the report's "assisted person-times and funds" (monthly and one-off;
# a code not registered by any app yet simply adds nothing).
RELIEF_PROGRAMS = (
    "dibao",
    "extreme_poverty",
    "disability_living",
    "disability_care",
    "temporary_assistance",
    "medical_aid",
    "homeless",
)
WELFARE_PROGRAMS = ("orphan_allowance", "unsupported_child_allowance", "old_age_allowance")
MEDICAL_AID = "medical_aid"
DISABILITY_GROUP = "disability_subsidies"

PERSON_TIMES = "person_times"
PERSONS = "persons"
AMOUNT = "amount"


@dataclass(frozen=True)
class MoneyFigure:
    """How a money figure reads the summary (the breakdown and the charts group by it)."""

    programs: tuple[str, ...]
    measure: str  # person_times, persons or amount
    group: str = ""  # for persons: the program group of the summary rows


MONEY: dict[str, MoneyFigure] = {}


def known_programs() -> set[str]:
    return set(providers.fund_programs())


def available(money: MoneyFigure) -> bool:
    """Whether any of the figure's programs is paid through the portal at all."""
    return bool(set(money.programs) & known_programs())


def programs_read(money: MoneyFigure) -> list[str]:
    """A part of a program (paid to someone else, providers.Provider.part_of) adds to its
    program's funds, never to its person-times."""
    if money.measure == AMOUNT:
        return providers.with_parts(list(money.programs))
    return list(money.programs)


def rows(money: MoneyFigure, period: Period, area_ids: Iterable[int]) -> Any:
    """The summary rows a money figure adds up, in the user's share of the area."""
    refresh = summary.latest()
    if refresh is None:
        return None
    qs = PaymentSummary.objects.filter(refresh=refresh, area_id__in=list(area_ids))
    if money.measure == PERSONS:
        return qs.filter(
            program=money.group or money.programs[0], period=period.kind, start=period.first
        )
    return qs.filter(
        program__in=programs_read(money),
        period="month",
        start__gte=period.first,
        start__lte=period.last,
    )


def _totals(user: Any, area: Any, period: Period) -> dict[tuple[str, str], dict[str, Any]] | None:
    """Every program's sums in the user's share of the area and period, in one query, kept
    on the user object for the request (a page shows a dozen money figures)."""
    refresh = summary.latest()
    if refresh is None:
        return None
    cache: dict[Any, Any] | None = getattr(user, "_dashboard_money", None)
    if cache is None:
        cache = {}
        user._dashboard_money = cache
    key = (refresh.pk, area.pk, str(period))
    if key not in cache:
        rows = (
            PaymentSummary.objects.filter(refresh=refresh, area_id__in=scope.area_ids(user, area))
            .filter(
                Q(period="month", start__gte=period.first, start__lte=period.last)
                | Q(period=period.kind, start=period.first)
            )
            .values("program", "period")
            .annotate(
                person_times=Sum("person_times"), persons=Sum("persons"), amount=Sum("amount")
            )
        )
        cache[key] = {(r["program"], r["period"]): r for r in rows}
    return cache[key]  # type: ignore[no-any-return]


def compute(money: MoneyFigure, *, user: Any, area: Any, period: Period) -> int | Decimal | None:
    if not available(money):
        return None
    totals = _totals(user, area, period)
    if totals is None:
        return None  # never refreshed: no summary yet
    if money.measure == PERSONS:
        row = totals.get((money.group or money.programs[0], period.kind))
        return int(row["persons"]) if row else 0
    values = [
        totals[(p, "month")][money.measure] for p in programs_read(money) if (p, "month") in totals
    ]
    if money.measure == AMOUNT:
        return sum(values, Decimal("0.00"))
    return int(sum(values))


def _label(code: str, what: Any) -> str:
    return f"{providers.label_of(code)}: {what}"


lazy_label = lazy(_label, str)


def _register(key: str, money: MoneyFigure, **kwargs: Any) -> None:
    MONEY[key] = money

    def fn(*, user: Any, area: Any, period: Period) -> int | Decimal | None:
        return compute(money, user=user, area=area, period=period)

    figures.register(figures.Figure(key=key, compute=fn, **kwargs))


def _payments_url(program: str = "") -> Any:
    def url(area: Any, period: Period) -> str:
        query = f"?program={program}" if program else ""
        # one-off payments are ledger entries; monthly ones are payroll rows
        name = "payments:ledger" if program in ONE_OFF_LINKS else "payments:payroll_list"
        return reverse(name) + query

    return url


ONE_OFF_LINKS = {"temporary_assistance", "medical_aid", "homeless"}

PT_DEFINITION = _(
    "Person-times: for a monthly program, the person-months paid in the period (a month paid "
    "once counts once; back pay of a month already paid adds no person-time; a payment that "
    "failed at the bank counts only once reissued and paid); for a one-off program, the "
    "payments made. Counted where each payment was paid."
)
FUNDS_DEFINITION = _(
    "Yuan actually paid in the period (by benefit month; one-off payments by the day booked): "
    "rows the bank confirmed paid, reissues of failed rows included, failed rows excluded, "
    "one-off payments out of the fund ledger that were not reversed. Not amounts due."
)


def register() -> None:
    _register(
        "relief.assisted_person_times",
        MoneyFigure(RELIEF_PROGRAMS, PERSON_TIMES),
        label=_("Person-times assisted (all assistance programs)"),
        definition=PT_DEFINITION,
        unit=figures.Unit.PERSON_TIMES,
        records_url=_payments_url(),
        section="一",
    )
    _register(
        "relief.assistance_funds",
        MoneyFigure(RELIEF_PROGRAMS, AMOUNT),
        label=_("Assistance funds paid (all assistance programs)"),
        definition=FUNDS_DEFINITION,
        unit=figures.Unit.YUAN,
        records_url=_payments_url(),
        section="一",
    )
    for code in RELIEF_PROGRAMS:
        _register(
            f"relief.person_times.{code}",
            MoneyFigure((code,), PERSON_TIMES),
            label=lazy_label(code, _("person-times")),
            definition=PT_DEFINITION,
            unit=figures.Unit.PERSON_TIMES,
            records_url=_payments_url(code),
            section="一",
        )
        _register(
            f"relief.funds.{code}",
            MoneyFigure((code,), AMOUNT),
            label=lazy_label(code, _("funds paid")),
            definition=FUNDS_DEFINITION,
            unit=figures.Unit.YUAN,
            records_url=_payments_url(code),
            section="一",
        )
    _register(
        "relief.disabled_covered",
        MoneyFigure(("disability_living", "disability_care"), PERSONS, DISABILITY_GROUP),
        label=_("Disabled people covered by the two subsidies"),
        definition=_(
            "Distinct people paid the disability living subsidy or the severe disability care "
            "subsidy (or both, counted once) for any month of the period."
        ),
        unit=figures.Unit.PERSONS,
        records_url=_payments_url("disability_living"),
        section="一",
    )
    _register(
        "relief.medical_aid_person_times",
        MoneyFigure((MEDICAL_AID,), PERSON_TIMES),
        label=_("Charity medical aid: person-times"),
        definition=_("One-off charity medical aid payments made in the period (not reversed)."),
        unit=figures.Unit.PERSON_TIMES,
        records_url=_payments_url(MEDICAL_AID),
        section="一",
    )
    _register(
        "relief.medical_aid_amount",
        MoneyFigure((MEDICAL_AID,), AMOUNT),
        label=_("Charity medical aid: amount paid"),
        definition=_("Yuan of charity medical aid paid out of the fund in the period."),
        unit=figures.Unit.YUAN,
        records_url=_payments_url(MEDICAL_AID),
        section="一",
    )
    _register(
        "welfare.funds",
        MoneyFigure(WELFARE_PROGRAMS, AMOUNT),
        label=_("Welfare funds paid (orphans, de-facto unsupported children, old-age allowance)"),
        definition=_(
            "Yuan actually paid in the period for the orphan allowance, the allowance of "
            "de-facto unsupported children and the old-age allowance (as assistance funds)."
        ),
        unit=figures.Unit.YUAN,
        records_url=_payments_url(),
        section="二",
    )
    for code in WELFARE_PROGRAMS:
        _register(
            f"welfare.funds.{code}",
            MoneyFigure((code,), AMOUNT),
            label=lazy_label(code, _("funds paid")),
            definition=FUNDS_DEFINITION,
            unit=figures.Unit.YUAN,
            records_url=_payments_url(code),
            section="二",
        )
