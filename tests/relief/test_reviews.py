"""Dynamic management: review due dates, outcomes, and the daily overdue job."""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask

from civil_affairs.core.models import StatusChange
from civil_affairs.core.months import add_months
from relief import selectors, services
from relief.models import Application, Entitlement, Review
from tests.relief.conftest import apply_for, make_household, member, next_month, walk

pytestmark = pytest.mark.django_db


def in_payment(staff, areas, category="B", wages="300"):
    household = make_household(
        staff.caseworker_a,
        areas.village_a,
        member("head", wages=wages),
        member("spouse"),
        category=category,
    )
    walk(apply_for(staff.caseworker_a, household), staff, Application.Status.IN_PAYMENT)
    return household, Entitlement.objects.get(household=household)


def test_review_falls_due_by_the_household_category(staff, areas, standards):
    household, _ = in_payment(staff, areas, category="B")
    review = household.reviews.get()
    today = datetime.date.today()
    expected = add_months(today.replace(day=1), 6)
    assert (review.due_date.year, review.due_date.month) == (expected.year, expected.month)
    assert review.status == Review.Status.DUE


def test_due_reviews_list_is_per_caseworker_and_area(staff, areas, standards):
    household, _ = in_payment(staff, areas)
    other = make_household(staff.caseworker_b, areas.village_b, member("head", wages="100"))
    walk(
        apply_for(staff.caseworker_b, other),
        staff,
        Application.Status.IN_PAYMENT,
        caseworker=staff.caseworker_b,
    )
    mine = list(selectors.due_reviews(user=staff.caseworker_a, mine=True))
    assert [r.household for r in mine] == [household]
    assert [r.household for r in selectors.due_reviews(user=staff.caseworker_b, mine=True)] == [
        other
    ]
    assert len(selectors.due_reviews(user=staff.approver)) == 2


def test_income_above_the_standard_refuses_adjust_and_allows_gradual_exit(staff, areas, standards):
    household, entitlement = in_payment(staff, areas)
    head = household.members.get(relationship="head")
    head.income_wages = Decimal("2000")
    head.save()
    review = household.reviews.get()
    effective = add_months(next_month(), 1)
    with pytest.raises(ValidationError, match="gradual exit or stop"):
        services.review_complete(
            actor=staff.caseworker_a,
            review=review,
            outcome="adjust",
            effective_month=effective,
            note="工资上涨",
        )
    entitlement.refresh_from_db()
    assert entitlement.status == "active"
    services.review_complete(
        actor=staff.caseworker_a,
        review=review,
        outcome="gradual_exit",
        effective_month=effective,
        note="工资上涨",
    )
    entitlement.refresh_from_db()
    assert entitlement.status == "gradual_exit"
    assert entitlement.end_month == add_months(effective, 2)
    review.refresh_from_db()
    assert (review.status, review.outcome, review.effective_month) == (
        "done",
        "gradual_exit",
        effective,
    )
    assert household.reviews.filter(status="due").count() == 1  # the next one


def test_stop_outcome_stops_everything_and_schedules_nothing(staff, areas, standards):
    household, entitlement = in_payment(staff, areas)
    review = household.reviews.get()
    services.review_complete(
        actor=staff.caseworker_a,
        review=review,
        outcome="stop",
        effective_month=next_month(),
        note="迁出",
    )
    entitlement.refresh_from_db()
    assert entitlement.status == "stopped"
    assert not household.reviews.exclude(status="done").exists()


def test_reviewer_of_other_township_and_wrong_role_are_refused(staff, areas, standards):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    household, _ = in_payment(staff, areas)
    review = household.reviews.get()
    with pytest.raises(Http404):
        services.review_complete(actor=staff.caseworker_b, review=review, outcome="continue")
    with pytest.raises(PermissionDenied):
        services.review_complete(actor=staff.reviewer_a, review=review, outcome="continue")
    review.refresh_from_db()
    assert review.status == "due"


def test_mark_overdue_marks_only_past_due_reviews(staff, areas, standards):
    household, _ = in_payment(staff, areas)
    review = household.reviews.get()
    assert services.review_mark_overdue(today=review.due_date) == 0
    assert services.review_mark_overdue(today=review.due_date + datetime.timedelta(days=1)) == 1
    review.refresh_from_db()
    assert review.status == "overdue"
    assert StatusChange.objects.filter(object_id=review.pk, new_status="overdue").exists()
    assert services.review_mark_overdue(today=review.due_date + datetime.timedelta(days=2)) == 0


def test_the_daily_job_is_a_beat_task_the_admin_can_edit():
    task = PeriodicTask.objects.get(task="relief.mark_overdue_reviews")
    assert task.enabled
    assert task.crontab is not None
    assert task.crontab.hour == "1"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_job_runs_in_a_real_worker(celery_worker_thread, staff, areas, standards):
    from relief.tasks import mark_overdue_reviews

    household, _ = in_payment(staff, areas)
    Review.objects.filter(household=household).update(due_date=datetime.date(2020, 1, 1))
    result = mark_overdue_reviews.delay()
    assert result.get(timeout=30) == 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and household.reviews.get().status != "overdue":
        time.sleep(0.2)
    assert household.reviews.get().status == "overdue"
