"""The children's services: registry, allowances, visits and follow-ups, mandatory reports,
care activities — the normal path, each rule, and an actor from another area."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from children import selectors, services
from children.models import Allowance, Category, Child, FollowUp, MandatoryReport, Visit
from civil_affairs.people.models import Person
from tests.factories import next_id_number

from .conftest import register

pytestmark = pytest.mark.django_db
JUN = datetime.date(2026, 6, 1)


def test_register_orphan_with_guardian(kids_staff, areas, standards):
    child = register(
        kids_staff.director_a,
        areas.village_a,
        name="李小花",
        guardians=[{"name": "李奶奶", "relationship": "祖母", "phone": "13800000000"}],
        school="城关小学",
        in_full_time_education=True,
    )
    assert child.person.name == "李小花"
    assert child.guardians.get().name == "李奶奶"
    assert Child.objects.filter(category=Category.ORPHAN_SCATTERED).count() == 1
    assert selectors.children(user=kids_staff.director_a).get() == child
    assert not selectors.children(user=kids_staff.director_b).exists()


def test_register_refuses_bad_input_and_writes_nothing(kids_staff, areas, standards):
    with pytest.raises(ValidationError) as exc:
        register(kids_staff.officer, areas.village_a, category="unsupported", parents=[])
    assert "parents" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        register(
            kids_staff.officer,
            areas.village_a,
            category="unsupported",
            parents=[
                {"parent": "father", "situation": "prison", "evidence": ""},
                {"parent": "mother", "situation": "dead", "evidence": "死亡证明"},
            ],
        )
    assert "evidence" in exc.value.message_dict["parents"][0]
    with pytest.raises(ValidationError) as exc:  # 17 is too old for left-behind (under 16)
        register(
            kids_staff.officer,
            areas.village_a,
            category="left_behind",
            born=datetime.date(2007, 1, 1),
        )
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.child_register(
            actor=kids_staff.officer,
            id_number="11010519491231002Y",
            name="某",
            area=areas.village_a,
            category="difficulty",
            registered_on=datetime.date(2024, 1, 1),
        )
    assert "id_number" in exc.value.message_dict
    assert Child.objects.count() == 0
    assert Person.objects.count() == 0


def test_register_outside_area_and_wrong_role(kids_staff, areas, standards):
    with pytest.raises(ValidationError) as exc:  # a director of village A picks village B
        register(kids_staff.director_a, areas.village_b)
    assert "area" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        register(kids_staff.caseworker_a, areas.village_a)


def test_allowance_grant_amount_and_choose_higher(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, category="orphan_institutional")
    allowance = services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    assert allowance.program == "orphan_allowance"
    assert allowance.variant == "institutional"
    assert services.amount_for(child, JUN) == Decimal("1600")
    with pytest.raises(ValidationError, match="already receives"):
        services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    other = register(kids_staff.officer, areas.village_a)
    with pytest.raises(PermissionDenied):
        services.allowance_grant(actor=kids_staff.director_a, child=other, start_month=JUN)
    difficulty = register(kids_staff.officer, areas.village_a, category="difficulty")
    with pytest.raises(ValidationError) as exc:
        services.allowance_grant(actor=kids_staff.officer, child=difficulty, start_month=JUN)
    assert "category" in exc.value.message_dict


def test_choose_higher_refuses_when_extreme_poverty_pays_more(kids_staff, areas, standards):
    from tests.payments.factories import entitle

    child = register(kids_staff.officer, areas.village_a, category="orphan_scattered")
    entitle(child.person, "extreme_poverty", "1500.00", start=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="only the higher"):
        services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    assert not Allowance.objects.exists()


def test_choose_higher_records_what_it_was_chosen_over(kids_staff, areas, standards):
    from tests.payments.factories import entitle

    child = register(kids_staff.officer, areas.village_a, category="orphan_scattered")
    entitlement = entitle(
        child.person, "extreme_poverty", "900.00", start=datetime.date(2026, 1, 1)
    )
    allowance = services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    assert allowance.basis["chosen_over"][0]["ref"] == f"relief.entitlement:{entitlement.pk}"


def test_parent_released_ends_unsupported_from_next_month(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, category="unsupported")
    allowance = services.allowance_grant(actor=kids_staff.officer, child=child, start_month=JUN)
    assert allowance.program == "unsupported_child_allowance"
    father = child.parents.get(parent="father")
    services.parent_situation_end(
        actor=kids_staff.director_a, situation=father, ended_on=datetime.date(2026, 9, 20)
    )
    allowance.refresh_from_db()
    child.refresh_from_db()
    assert allowance.status == Allowance.Status.STOPPED
    assert allowance.end_month == datetime.date(2026, 9, 1)
    assert child.category == Category.DIFFICULTY


def test_leaving_school_needs_the_date(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, in_full_time_education=True)
    with pytest.raises(ValidationError) as exc:
        services.child_update(actor=kids_staff.officer, child=child, in_full_time_education=False)
    assert "left_school_on" in exc.value.message_dict
    services.child_update(
        actor=kids_staff.officer,
        child=child,
        in_full_time_education=False,
        left_school_on=datetime.date(2026, 6, 30),
    )
    child.refresh_from_db()
    assert child.left_school_on == datetime.date(2026, 6, 30)


def test_high_risk_visit_opens_a_follow_up(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, category="left_behind")
    day = datetime.date(2026, 11, 2)
    visit = services.visit_record(
        actor=kids_staff.director_a,
        child=child,
        visited_on=day,
        findings="独自在家，监护人外出务工未归",
        risk_level="high",
    )
    child.refresh_from_db()
    assert child.risk_level == "high"
    follow_up = FollowUp.objects.get(visit=visit)
    assert follow_up.deadline == day + datetime.timedelta(days=7)
    assert list(selectors.follow_ups(user=kids_staff.supervisor_a)) == [follow_up]
    assert not selectors.follow_ups(user=kids_staff.director_b).exists()
    with pytest.raises(Http404):
        services.follow_up_close(
            actor=kids_staff.director_b, follow_up=follow_up, done_on=day, outcome="x"
        )
    services.follow_up_close(
        actor=kids_staff.supervisor_a, follow_up=follow_up, done_on=day, outcome="已联系父母返乡"
    )
    assert not selectors.follow_ups(user=kids_staff.supervisor_a).exists()
    low = services.visit_record(
        actor=kids_staff.director_a, child=child, visited_on=day, findings="正常", risk_level="low"
    )
    assert not FollowUp.objects.filter(visit=low).exists()
    assert Visit.objects.count() == 2


def test_overdue_visits_and_areas_without_staff(kids_staff, areas, standards):
    child = register(kids_staff.officer, areas.village_a, category="left_behind")
    services.appointment_create(
        actor=kids_staff.officer,
        post="director",
        area=areas.village_a,
        name="王主任",
        appointed_on=datetime.date(2023, 1, 1),
    )
    services.appointment_create(
        actor=kids_staff.officer,
        post="supervisor",
        area=areas.a,
        name="赵督导",
        appointed_on=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:  # a director serves a village
        services.appointment_create(
            actor=kids_staff.officer,
            post="director",
            area=areas.a,
            name="某",
            appointed_on=datetime.date(2023, 1, 1),
        )
    assert "area" in exc.value.message_dict
    day = datetime.date(2026, 11, 20)
    services.visit_record(
        actor=kids_staff.director_a,
        child=child,
        visited_on=datetime.date(2026, 10, 1),
        findings="正常",
        risk_level="low",
    )
    overdue = selectors.overdue_visits(user=kids_staff.supervisor_a, day=day)
    assert [(o.child, o.due_on, o.director, o.supervisor) for o in overdue] == [
        (child, datetime.date(2026, 10, 31), "王主任", "赵督导")
    ]
    assert (
        selectors.overdue_visits(user=kids_staff.supervisor_a, day=datetime.date(2026, 10, 20))
        == []
    )
    without = selectors.areas_without(user=kids_staff.officer, post="director")
    assert areas.village_a not in without
    assert areas.village_b in without
    assert list(selectors.areas_without(user=kids_staff.officer, post="supervisor")) == [areas.b]


def test_mandatory_reports_only_for_those_who_handle_them(kids_staff, areas, standards):
    report = services.mandatory_report_receive(
        actor=kids_staff.officer,
        area=areas.village_a,
        received_at=datetime.datetime(2026, 11, 3, 9, 30, tzinfo=datetime.UTC),
        reporter="城关小学 张老师",
        child_name="小明",
        description="身上多处伤痕",
    )
    services.mandatory_report_refer(
        actor=kids_staff.officer,
        report=report,
        referred_to="县公安局城关派出所",
        referred_on=datetime.date(2026, 11, 3),
    )
    report.refresh_from_db()
    assert report.status == MandatoryReport.Status.REFERRED
    assert list(selectors.mandatory_reports(user=kids_staff.officer)) == [report]
    assert list(selectors.mandatory_reports(user=kids_staff.admin)) == [report]
    for user in (kids_staff.caseworker_a, kids_staff.director_a, kids_staff.reviewer_a):
        with pytest.raises(Http404):
            selectors.mandatory_report_get(user=user, pk=report.pk)
        with pytest.raises(PermissionDenied):
            selectors.mandatory_reports(user=user)
        with pytest.raises((PermissionDenied, Http404)):
            services.mandatory_report_close(actor=user, report=report, outcome="x")


def test_care_activity(kids_staff, areas, standards):
    activity = services.care_activity_record(
        actor=kids_staff.supervisor_a,
        area=areas.a,
        held_on=datetime.date(2026, 6, 1),
        theme="六一关爱困境儿童",
        children_reached=35,
        funds_raised="5000",
        goods_value="2300.50",
    )
    assert activity.funds_raised == Decimal("5000.00")
    with pytest.raises(ValidationError) as exc:
        services.care_activity_record(
            actor=kids_staff.supervisor_a,
            area=areas.a,
            held_on=datetime.date(2026, 6, 1),
            theme="=HYPERLINK(1)",
            funds_raised="-1",
        )
    assert "theme" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.care_activity_record(
            actor=kids_staff.supervisor_a,
            area=areas.b,
            held_on=datetime.date(2026, 6, 1),
            theme="x",
        )
    assert "area" in exc.value.message_dict


def test_id_number_already_registered(kids_staff, areas, standards):
    number = next_id_number(datetime.date(2015, 1, 1))
    kw = {
        "actor": kids_staff.officer,
        "id_number": number,
        "name": "张三",
        "area": areas.village_a,
        "category": "difficulty",
        "registered_on": datetime.date(2024, 1, 1),
    }
    services.child_register(**kw)
    with pytest.raises(ValidationError, match="already on the registry"):
        services.child_register(**kw)
