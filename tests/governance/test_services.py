"""Committees, vacancies and by-elections, certificates, village rules, deliberations."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.core.status import history
from civil_affairs.dashboard.figures import Period
from governance import selectors, services
from governance.models import Deliberation, Member, Vacancy, VillageRules

pytestmark = pytest.mark.django_db
D = datetime.date
S = Deliberation.Step


def _errors(exc) -> dict:
    return exc.value.message_dict


@pytest.fixture
def committee(areas, officers):
    c = services.committee_elect(
        actor=officers.clerk_a, area=areas.village_a, kind="village", elected_on=D(2021, 4, 10)
    )
    for name, sex, post in (
        ("村主任甲", "M", "chair"),
        ("副主任乙", "M", "vice_chair"),
        ("委员丙", "M", "member"),
    ):
        services.member_add(actor=officers.clerk_a, committee=c, name=name, sex=sex, post=post)
    return c


# ---- committees and members


def test_a_term_lasts_the_standards_years_and_the_women_rule_warns(committee, officers):
    assert committee.term_ends_on == D(2026, 4, 9)
    assert committee.members.count() == 3
    assert services.committee_warnings(committee) == [
        "The committee has no woman member (Organic Law of Villagers' Committees, Art. 6)."
    ]
    assert list(selectors.without_women(user=officers.clerk_a)) == [committee]
    services.member_add(
        actor=officers.clerk_a, committee=committee, name="妇女委员丁", sex="F", post="member"
    )
    assert services.committee_warnings(committee) == []
    assert list(selectors.without_women(user=officers.clerk_a)) == []


def test_member_rules(committee, officers, areas):
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=officers.clerk_a, committee=committee, name="二号主任", sex="M", post="chair"
        )
    assert "post" in _errors(exc)
    with pytest.raises(ValidationError) as exc:  # the ID number says female
        services.member_add(
            actor=officers.clerk_a,
            committee=committee,
            name="x",
            sex="M",
            post="member",
            id_number="11010519491231002X",
        )
    assert _errors(exc) == {"sex": ["The ID number says the other sex."]}
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=officers.clerk_a,
            committee=committee,
            name="x",
            sex="F",
            post="member",
            id_number="110105194912310021",
        )
    assert "id_number" in _errors(exc)
    with pytest.raises(Http404):
        services.member_add(
            actor=officers.clerk_b, committee=committee, name="x", sex="F", post="member"
        )
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=officers.caseworker_a, committee=committee, name="x", sex="F", post="member"
        )


def test_a_new_term_ends_the_old_one(committee, officers, areas):
    new = services.committee_elect(
        actor=officers.governance, area=areas.village_a, kind="village", elected_on=D(2026, 4, 12)
    )
    committee.refresh_from_db()
    assert committee.dissolved_on == D(2026, 4, 11)
    assert not committee.members.filter(left_on__isnull=True).exists()
    assert list(selectors.committees(user=officers.clerk_a)) == [new]


def test_sub_committees_and_villages_lacking_public_health(committee, officers, areas):
    with pytest.raises(ValidationError) as exc:  # no main committee in village B's community
        services.committee_elect(
            actor=officers.governance,
            area=areas.by_code["430922100001"],
            kind="public_health",
            elected_on=D(2022, 1, 1),
        )
    assert "kind" in _errors(exc)
    sub = services.committee_elect(
        actor=officers.clerk_a, area=areas.village_a, kind="public_health", elected_on=D(2021, 5, 1)
    )
    assert (sub.parent, sub.term_ends_on) == (committee, committee.term_ends_on)
    lacking = [
        v.code for v in selectors.villages_lacking(user=officers.governance, on=D(2022, 1, 1))
    ]
    assert lacking == ["430922100001", "430922101001", "430922101201"]
    assert [
        v.code for v in selectors.villages_lacking(user=officers.clerk_a, on=D(2022, 1, 1))
    ] == ["430922100001"]
    year = Period.year(2022)
    assert (
        selectors.figure_public_health_committees(
            user=officers.governance, area=areas.county, period=year
        )
        == 1
    )
    assert selectors.figure_public_health_coverage(
        user=officers.governance, area=areas.county, period=year
    ) == Decimal("25.0")
    assert selectors.figure_public_health_coverage(
        user=officers.clerk_a, area=areas.county, period=year
    ) == Decimal("50.0")
    assert selectors.figure_public_health_coverage(
        user=officers.governance, area=areas.county, period=Period.year(2020)
    ) == Decimal("0.0")


# ---- vacancies and by-elections


def test_a_by_election_after_the_eligibility_check_fills_the_vacancy(committee, officers):
    chair = committee.members.get(post="chair")
    vacancy = services.member_leave(
        actor=officers.clerk_a, member=chair, left_on=D(2023, 2, 1), reason="辞职"
    )
    assert list(selectors.vacancies(user=officers.clerk_a)) == [vacancy]
    with pytest.raises(ValidationError):  # no check yet
        services.vacancy_record_by_election(
            actor=officers.clerk_a,
            vacancy=vacancy,
            held_on=D(2023, 3, 1),
            votes_cast=100,
            votes_for=80,
            elected=True,
        )
    with pytest.raises(ValidationError) as exc:
        services.vacancy_check_eligibility(
            actor=officers.clerk_a,
            vacancy=vacancy,
            candidate_name="候选人一",
            candidate_sex="M",
            checked_on=D(2023, 2, 10),
            eligible=False,
        )
    assert "note" in _errors(exc)
    services.vacancy_check_eligibility(
        actor=officers.clerk_a,
        vacancy=vacancy,
        candidate_name="候选人一",
        candidate_sex="M",
        checked_on=D(2023, 2, 10),
        eligible=False,
        note="有违法记录",
    )
    assert vacancy.status == "open"
    services.vacancy_check_eligibility(
        actor=officers.clerk_a,
        vacancy=vacancy,
        candidate_name="候选人二",
        candidate_sex="F",
        checked_on=D(2023, 2, 15),
        eligible=True,
    )
    assert vacancy.status == "checked"
    with pytest.raises(ValidationError) as exc:
        services.vacancy_record_by_election(
            actor=officers.clerk_a,
            vacancy=vacancy,
            held_on=D(2023, 3, 1),
            votes_cast=100,
            votes_for=101,
            elected=True,
        )
    assert "votes_for" in _errors(exc)
    services.vacancy_record_by_election(
        actor=officers.clerk_a,
        vacancy=vacancy,
        held_on=D(2023, 3, 1),
        votes_cast=100,
        votes_for=80,
        elected=True,
    )
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    new_chair = committee.members.get(post="chair", left_on__isnull=True)
    assert (new_chair.name, new_chair.sex, new_chair.by_election, new_chair.elected_on) == (
        "候选人二",
        "F",
        True,
        D(2023, 3, 1),
    )
    assert list(selectors.vacancies(user=officers.clerk_a)) == []
    assert [c.new_status for c in history(vacancy)] == ["open", "checked", "filled"]


def test_a_candidate_not_elected_leaves_the_vacancy_open(committee, officers):
    member = committee.members.get(post="member")
    vacancy = services.member_leave(
        actor=officers.clerk_a, member=member, left_on=D(2023, 2, 1), reason="病故"
    )
    services.vacancy_check_eligibility(
        actor=officers.clerk_a,
        vacancy=vacancy,
        candidate_name="候选人",
        candidate_sex="M",
        checked_on=D(2023, 2, 15),
        eligible=True,
    )
    services.vacancy_record_by_election(
        actor=officers.clerk_a,
        vacancy=vacancy,
        held_on=D(2023, 3, 1),
        votes_cast=100,
        votes_for=30,
        elected=False,
    )
    assert vacancy.status == "open"
    assert vacancy.elected is None
    assert Member.objects.filter(left_on__isnull=True).count() == 2
    with pytest.raises(Http404):
        services.vacancy_check_eligibility(
            actor=officers.clerk_b,
            vacancy=vacancy,
            candidate_name="x",
            candidate_sex="M",
            checked_on=D(2023, 3, 2),
            eligible=True,
        )
    assert Vacancy.objects.get().status == "open"


# ---- certificates


def test_a_request_for_a_cancelled_certificate_is_refused_with_the_basis(areas, officers):
    services.certificate_cancel(
        actor=officers.governance,
        area=areas.county,
        item="亲属关系证明",
        legal_basis="《关于改进和规范基层群众性自治组织出具证明工作的指导意见》",
        cancelled_on=D(2020, 6, 1),
    )
    with pytest.raises(PermissionDenied):
        services.certificate_cancel(
            actor=officers.clerk_a,
            area=areas.a,
            item="x",
            legal_basis="y",
            cancelled_on=D(2020, 6, 1),
        )
    refused = services.certificate_request(
        actor=officers.clerk_a,
        area=areas.village_a,
        applicant="村民甲",
        item=" 亲属关系 证明",
        requested_on=D(2024, 1, 3),
    )
    assert refused.outcome == "refused"
    assert (
        refused.basis
        == "Cancelled on 2020-06-01: 《关于改进和规范基层群众性自治组织出具证明工作的指导意见》"
    )
    issued = services.certificate_request(
        actor=officers.clerk_a,
        area=areas.village_a,
        applicant="村民乙",
        item="居住证明",
        requested_on=D(2024, 1, 3),
    )
    assert issued.outcome == "issued"
    assert issued.basis == ""
    before = services.certificate_request(
        actor=officers.clerk_a,
        area=areas.village_a,
        applicant="村民丙",
        item="亲属关系证明",
        requested_on=D(2019, 1, 3),
    )
    assert before.outcome == "issued"
    # the county's cancellation holds in township A's villages; township B's own does not
    services.certificate_cancel(
        actor=officers.governance,
        area=areas.b,
        item="出生证明",
        legal_basis="由卫生健康部门出具",
        cancelled_on=D(2022, 6, 1),
    )
    assert [c.item for c in selectors.cancelled_certificates(user=officers.clerk_a)] == [
        "亲属关系证明"
    ]
    assert (
        selectors.figure_certificates_cancelled(
            user=officers.governance, area=areas.county, period=Period.year(2020)
        )
        == 1
    )
    assert (
        selectors.figure_certificates_cancelled(
            user=officers.governance, area=areas.county, period=Period.year(2021)
        )
        == 0
    )


# ---- village rules


def _pass(officers, areas, on, **kw):
    data = {
        "title": "花果山村村规民约",
        "meeting": "villagers",
        "passed_on": on,
        "attendance": 200,
        "votes_for": 150,
    }
    data.update(kw)
    return services.rules_pass(actor=officers.clerk_a, area=areas.village_a, **data)


def test_village_rules_versions_filing_and_legality(areas, officers):
    with pytest.raises(ValidationError) as exc:
        _pass(officers, areas, D(2020, 1, 5), votes_for=100)
    assert "votes_for" in _errors(exc)
    v1 = _pass(officers, areas, D(2020, 1, 5))
    with pytest.raises(ValidationError):  # not filed yet
        services.rules_check(
            actor=officers.clerk_a, rules=v1, checked_on=D(2020, 2, 1), lawful=True
        )
    services.rules_file(actor=officers.clerk_a, rules=v1, filed_on=D(2020, 1, 20))
    services.rules_check(actor=officers.clerk_a, rules=v1, checked_on=D(2020, 2, 1), lawful=True)
    v2 = _pass(officers, areas, D(2023, 1, 5), title="修订版")
    services.rules_file(actor=officers.clerk_a, rules=v2, filed_on=D(2023, 1, 20))
    with pytest.raises(ValidationError) as exc:
        services.rules_check(
            actor=officers.clerk_a, rules=v2, checked_on=D(2023, 2, 1), lawful=False
        )
    assert "note" in _errors(exc)
    services.rules_check(
        actor=officers.clerk_a,
        rules=v2,
        checked_on=D(2023, 2, 1),
        lawful=False,
        note="罚款条款违法",
    )
    current = dict(selectors.current_rules(user=officers.clerk_a))
    assert current[areas.village_a].version == 1
    v3 = _pass(officers, areas, D(2023, 3, 5), title="再修订版")
    services.rules_file(actor=officers.clerk_a, rules=v3, filed_on=D(2023, 3, 20))
    services.rules_check(actor=officers.clerk_a, rules=v3, checked_on=D(2023, 4, 1), lawful=True)
    current = dict(selectors.current_rules(user=officers.clerk_a))
    assert (current[areas.village_a].version, current[areas.by_code["430922100001"]]) == (3, None)
    statuses = dict(VillageRules.objects.values_list("version", "status"))
    assert statuses == {1: "superseded", 2: "returned", 3: "in_force"}


# ---- four deliberations, two disclosures


def test_six_steps_strictly_in_order_and_implementation_after_disclosure(areas, officers):
    d = services.deliberation_start(
        actor=officers.clerk_a,
        area=areas.village_a,
        subject="村道硬化",
        proposed_on=D(2024, 3, 1),
        record="支委会提议",
    )
    a = officers.clerk_a
    with pytest.raises(ValidationError) as exc:
        services.deliberation_step(
            actor=a, deliberation=d, step=S.REVIEWED, on=D(2024, 3, 5), record="x"
        )
    assert _errors(exc)["step"] == ["The next step is “Discussed by the two committees”."]
    with pytest.raises(ValidationError) as exc:
        services.deliberation_step(
            actor=a, deliberation=d, step=S.CONSULTED, on=D(2024, 2, 28), record="x"
        )
    assert "on" in _errors(exc)
    for step, day in ((S.CONSULTED, 3), (S.REVIEWED, 5), (S.RESOLVED, 8)):
        services.deliberation_step(
            actor=a, deliberation=d, step=step, on=D(2024, 3, day), record=f"第{step}步"
        )
    with pytest.raises(ValidationError) as exc:
        services.deliberation_implement(actor=a, deliberation=d, on=D(2024, 3, 9))
    assert "before its resolution is disclosed" in exc.value.messages[0]
    services.deliberation_step(
        actor=a, deliberation=d, step=S.RESOLUTION_DISCLOSED, on=D(2024, 3, 9), record="公示栏"
    )
    with pytest.raises(ValidationError) as exc:
        services.deliberation_step(
            actor=a, deliberation=d, step=S.RESULT_DISCLOSED, on=D(2024, 3, 10), record="x"
        )
    assert "step" in _errors(exc)
    services.deliberation_implement(actor=a, deliberation=d, on=D(2024, 5, 1))
    services.deliberation_step(
        actor=a, deliberation=d, step=S.RESULT_DISCLOSED, on=D(2024, 5, 3), record="结果公开"
    )
    assert [s.step for s in d.steps.all()] == [1, 2, 3, 4, 5, 6]
    with pytest.raises(ValidationError):
        services.deliberation_step(actor=a, deliberation=d, step=7, on=D(2024, 5, 4), record="x")


def test_the_disclosure_calendar_lists_overdue_disclosures(areas, officers):
    made = services.disclosure_plan(
        actor=officers.clerk_a, area=areas.village_a, topic="finance", year=2024
    )
    assert [m.due_on for m in made] == [
        D(2024, 4, 10),
        D(2024, 7, 10),
        D(2024, 10, 10),
        D(2025, 1, 10),
    ]
    assert (
        services.disclosure_plan(
            actor=officers.clerk_a, area=areas.village_a, topic="finance", year=2024
        )
        == []
    )
    services.disclosure_record(
        actor=officers.clerk_a, disclosure=made[0], disclosed_on=D(2024, 4, 5), content="一季度收支"
    )
    overdue = selectors.overdue_disclosures(user=officers.clerk_a, on=D(2024, 10, 11))
    assert [o.due_on for o in overdue] == [D(2024, 7, 10), D(2024, 10, 10)]
    assert list(selectors.overdue_disclosures(user=officers.clerk_b, on=D(2024, 10, 11))) == []
