"""What civil_affairs registers itself: the money figures and the queues of payments and
cross-checks (the domain apps register their own, from their AppConfig)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy

from . import money, queues, scope


def _warnings(*, user: Any, area: Any, overdue: bool) -> int | None:
    from civil_affairs.crosscheck import selectors
    from civil_affairs.crosscheck.models import Warning

    if not policy.may(user, "warning.view"):
        return None
    rows = Warning.objects.filter(
        status=Warning.Status.OPEN, area_id__in=scope.area_ids(user, area)
    )
    if overdue:
        rows = rows.filter(selectors._overdue())
    return rows.count()


def open_warnings(*, user: Any, area: Any) -> int | None:
    return _warnings(user=user, area=area, overdue=False)


def overdue_warnings(*, user: Any, area: Any) -> int | None:
    return _warnings(user=user, area=area, overdue=True)


def failed_payments(*, user: Any, area: Any) -> int | None:
    from civil_affairs.payments.models import Payment, Payroll

    if not (policy.may(user, "payment.correct") or policy.may(user, "payroll.generate")):
        return None
    rows = Payment.objects.filter(reissued=False, area_id__in=scope.area_ids(user, area)).filter(
        Q(status=Payment.Status.FAILED)
        | Q(status=Payment.Status.HELD, payroll__status__in=Payroll.ACTION_STATUSES["reissue"])
    )
    return rows.count()


def register() -> None:
    money.register()
    queues.register(
        queues.Queue(
            key="crosscheck.open_warnings",
            label=_("Open warnings"),
            app="relief",
            count=open_warnings,
            url=lambda area: reverse("crosscheck:warning_list") + f"?status=open&area={area.code}",
        )
    )
    queues.register(
        queues.Queue(
            key="crosscheck.overdue_warnings",
            label=_("Overdue warnings"),
            app="relief",
            count=overdue_warnings,
            url=lambda area: (
                reverse("crosscheck:warning_list") + f"?status=open&overdue=on&area={area.code}"
            ),
            overdue=True,
        )
    )
    queues.register(
        queues.Queue(
            key="payments.failed",
            label=_("Failed payments to correct and reissue"),
            app="relief",
            count=failed_payments,
            url=lambda area: reverse("payments:failed_list"),
            overdue=True,
        )
    )
