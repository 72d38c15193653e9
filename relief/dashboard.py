"""Relief's work queues on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import queues

from .models import Application, Review


def _in_area(user: Any, area: Area, queryset: Any) -> Any:
    return policy.within(policy.scope(user, queryset), area)


def overdue_reviews(*, user: Any, area: Area) -> int:
    rows = Review.objects.exclude(status=Review.Status.DONE).filter(
        due_date__lt=timezone.localdate()
    )
    return int(_in_area(user, area, rows).count())


def awaiting_review(*, user: Any, area: Area) -> int:
    rows = Application.objects.filter(status=Application.Status.SUBMITTED)
    return int(_in_area(user, area, rows).count())


def awaiting_approval(*, user: Any, area: Area) -> int:
    """After the notice (temporary assistance: after the first opinion; the disability
    subsidies: after the federation's confirmation)."""
    status = Application.Status
    rows = Application.objects.filter(
        Q(status__in=(status.NOTICE_ENDED, status.GRADE_CONFIRMED))
        | Q(status=status.REVIEWED, program=Application.Kind.TEMPORARY)
    )
    return int(_in_area(user, area, rows).count())


def register_queues() -> None:
    queues.register(
        queues.Queue(
            key="relief.overdue_reviews",
            label=_("Overdue reviews"),
            app="relief",
            count=overdue_reviews,
            url=lambda area: reverse("relief:due_reviews"),
            overdue=True,
        )
    )
    queues.register(
        queues.Queue(
            key="relief.awaiting_review",
            label=_("Cases waiting for the township's first opinion"),
            app="relief",
            count=awaiting_review,
            url=lambda area: reverse("relief:approval_queue"),
        )
    )
    queues.register(
        queues.Queue(
            key="relief.awaiting_approval",
            label=_("Cases waiting for approval"),
            app="relief",
            count=awaiting_approval,
            url=lambda area: reverse("relief:approval_queue"),
        )
    )
