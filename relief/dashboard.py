"""Relief's work queues on the dashboards (civil_affairs/dashboard/queues.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.dashboard import queues

from .models import Application, Review


def _in_area(user: Any, area: Area, queryset: Any) -> Any:
    return policy.scope(user, queryset).filter(
        **{f"{queryset.model.area_lookup}__code__startswith": area.code}
    )


def overdue_reviews(*, user: Any, area: Area) -> int:
    rows = Review.objects.exclude(status=Review.Status.DONE).filter(
        due_date__lt=timezone.localdate()
    )
    return int(_in_area(user, area, rows).count())


def awaiting_review(*, user: Any, area: Area) -> int:
    rows = Application.objects.filter(status=Application.Status.SUBMITTED)
    return int(_in_area(user, area, rows).count())


def awaiting_approval(*, user: Any, area: Area) -> int:
    rows = Application.objects.filter(status=Application.Status.REVIEWED)
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
            label=_("Cases waiting for the township's review"),
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
